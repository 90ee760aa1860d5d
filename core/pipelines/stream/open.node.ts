/**
 * How the streaming pipelines open their file inputs (PipelineDefinition.openInput):
 * a file larger than WEBBDESK_CHUNK_BYTES becomes a stub whose 3-D/4-D arrays
 * stay on disk, so `strun` on a 2 GB exposure never holds it whole; smaller
 * files are loaded as usual. The flows load a stub whole when they cannot stream.
 */
import { stat } from 'node:fs/promises';
import { loadModel } from '../../stpipe/model-io.node.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { chunkBytes } from './common.node.ts';
import { openStreamedRamp } from './detector1-source.node.ts';
import { openStreamed } from './source.node.ts';

async function larger(path: string): Promise<boolean> {
  const limit = chunkBytes();
  return limit > 0 && (await stat(path)).size > limit;
}

/** rateints/calints inputs of calwebb_spec2 and calwebb_tso3. */
export async function openCubeInput(path: string): Promise<JwstModel> {
  return (await larger(path)) ? openStreamed(path) : loadModel(path);
}

/** uncal inputs of calwebb_detector1. */
export async function openRampInput(path: string): Promise<JwstModel> {
  return (await larger(path)) ? openStreamedRamp(path) : loadModel(path);
}
