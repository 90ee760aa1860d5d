/**
 * calwebb_detector1 streamed by row blocks (peak memory set by
 * WEBBDESK_CHUNK_BYTES, not by the exposure): see detector1.node.ts.
 */
export { streamDetector1, detector1StreamPlan, ROW_LOCAL_DETECTOR1 } from './detector1.node.ts';
export { openStreamedRamp, materializeRamp, rampStreamInfo } from './detector1-source.node.ts';
export { rowBlocks, rowsPerBlock, detector1Halo } from './detector1-plan.ts';
