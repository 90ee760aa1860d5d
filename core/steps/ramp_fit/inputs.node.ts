/**
 * Shared input handling of jump and ramp_fit: the RampModel arrays as typed
 * arrays and the GAIN/READNOISE references at the science subarray.
 */
import { StepError } from '../../errors/index.ts';
import { getMeta } from '../../datamodels/meta.ts';
import type { JwstModel, StepContext } from '../../stpipe/index.ts';
import { FitsFile } from '../../fits/index.node.ts';
import { readReferenceSci, type Subarray } from './refs.node.ts';

export interface RampArraysIn {
  shape: [number, number, number, number];
  data: Float32Array;
  groupdq: Uint8Array;
  pixeldq: Uint32Array;
  /** Groups in which every pixel is DO_NOT_USE, summed over integrations. */
  allDnuGroups: number;
}

/** SCI, GROUPDQ and PIXELDQ of a RampModel (float32/uint8/uint32; converted if stored otherwise). */
export function rampArrays(m: JwstModel, step: string): RampArraysIn {
  const sci = m.arrays.data;
  if (!sci || sci.shape.length !== 4) throw new StepError('bad-input', `${step}: the input has no 4-D SCI array`, { file: m.source, extname: 'SCI' });
  const [nints, ngroups, ny, nx] = sci.shape as [number, number, number, number];
  const data = sci.data instanceof Float32Array ? sci.data : Float32Array.from(sci.data as ArrayLike<number>);
  const g = m.arrays.groupdq;
  const groupdq = !g ? new Uint8Array(data.length) : g.data instanceof Uint8Array ? g.data : Uint8Array.from(g.data as ArrayLike<number>);
  const p = m.arrays.pixeldq;
  const pixeldq = !p ? new Uint32Array(ny * nx) : p.data instanceof Uint32Array ? p.data : Uint32Array.from(p.data as ArrayLike<number>);
  if (groupdq.length !== data.length || pixeldq.length !== ny * nx) {
    throw new StepError('bad-input', `${step}: GROUPDQ/PIXELDQ shapes do not match SCI [${sci.shape.join(', ')}]`, { file: m.source });
  }
  const plane = ny * nx;
  let allDnu = 0;
  for (let k = 0; k < nints * ngroups; k++) {
    let all = true;
    for (let q = k * plane; q < (k + 1) * plane && all; q++) if ((groupdq[q] & 1) === 0) all = false;
    if (all) allDnu++;
  }
  return { shape: [nints, ngroups, ny, nx], data, groupdq, pixeldq, allDnuGroups: allDnu };
}

function subarrayOf(m: JwstModel, ny: number, nx: number): Subarray {
  const num = (path: string, d: number): number => {
    const v = getMeta(m.meta, path);
    return typeof v === 'number' ? v : d;
  };
  return { xstart: num('meta.subarray.xstart', 1), ystart: num('meta.subarray.ystart', 1), xsize: num('meta.subarray.xsize', nx), ysize: num('meta.subarray.ysize', ny) };
}

async function refPath(ctx: StepContext, reftype: string): Promise<string> {
  const r = await ctx.reference(reftype);
  if (r.kind !== 'file') throw new StepError('missing-reference', `a ${reftype.toUpperCase()} reference file is required (got N/A)`, { parameter: `override_${reftype}` });
  ctx.log.info(`Using ${reftype.toUpperCase()} reference file: ${r.path}`);
  return r.path;
}

/** GAIN and READNOISE arrays [ny, nx] at the science subarray, and the gain file's GAINFACT (meta.exposure.gain_factor) if any. */
export async function readRampRefs(m: JwstModel, ctx: StepContext): Promise<{ gain: Float32Array; readnoise: Float32Array; gainFactor?: number }> {
  const sci = m.arrays.data;
  const [ny, nx] = sci.shape.slice(-2);
  const sub = subarrayOf(m, ny, nx);
  sub.xsize = nx;
  sub.ysize = ny;
  const gainPath = await refPath(ctx, 'gain');
  const gain = await readReferenceSci(gainPath, 'GAIN', sub);
  const readnoise = await readReferenceSci(await refPath(ctx, 'readnoise'), 'READNOISE', sub);
  const ff = await FitsFile.open(gainPath);
  let gainFactor: number | undefined;
  try {
    const gf = ff.hdus[0].header.get('GAINFACT');
    if (typeof gf === 'number') gainFactor = gf;
  } finally {
    await ff.close();
  }
  return { gain, readnoise, gainFactor };
}
