/**
 * Streamed TSO processing (calwebb_spec2 and calwebb_tso3 by integration
 * chunks, peak memory independent of nints): see spec2.node.ts, tso3.node.ts.
 */
export { streamSpec2, spec2StreamChunk, PER_INTEGRATION_SPEC2 } from './spec2.node.ts';
export { streamTso3, tso3StreamPlan } from './tso3.node.ts';
export { openStreamed, materialize, streamInfo, cubeSize } from './source.node.ts';
export { chunkBytes, DEFAULT_CHUNK_BYTES } from './common.node.ts';
export { chunkRanges, intsPerChunk, rollingWindows } from './plan.ts';
