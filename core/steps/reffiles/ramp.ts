/**
 * Ramp access for the detector1 steps: the 4-D SCI (nints, ngroups, ny, nx)
 * as float32, GROUPDQ (uint8, same shape) and PIXELDQ (uint32, ny x nx) of a
 * RampModel-like JwstModel, plus output helpers that never touch the input.
 */
import { StepError } from '../../errors/index.ts';
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { ndarray, type NDArray } from '../../ndarray/index.ts';
import { cloneModel, type JwstModel } from '../../stpipe/model.ts';

export interface Ramp {
  readonly nints: number;
  readonly ngroups: number;
  readonly ny: number;
  readonly nx: number;
  /** SCI, C order (nints, ngroups, ny, nx). May be the input's own buffer: copy before writing. */
  readonly data: Float32Array;
  /** GROUPDQ, same layout; may be the input's buffer. */
  readonly groupdq: Uint8Array;
  /** PIXELDQ (ny, nx); may be the input's buffer. */
  readonly pixeldq: Uint32Array;
}

/** The ramp arrays of `m`, converting SCI to float32 and creating zero DQ arrays when absent (never writes `m`). */
export function rampOf(m: JwstModel, step: string): Ramp {
  const sci = m.arrays['data'];
  if (!sci || sci.shape.length !== 4) {
    throw new StepError('bad-input', `${step}: input needs a 4-D SCI array (nints, ngroups, ny, nx); got ${sci ? `shape [${sci.shape.join(', ')}]` : 'none'}`);
  }
  const [nints, ngroups, ny, nx] = sci.shape;
  let data: Float32Array;
  if (sci.data instanceof Float32Array) data = sci.data;
  else {
    data = new Float32Array(sci.data.length);
    if (sci.data instanceof BigInt64Array || sci.data instanceof BigUint64Array) for (let i = 0; i < data.length; i++) data[i] = Number(sci.data[i]);
    else data.set(sci.data); // uint16 uncal: one native conversion (was Number() per sample)
  }
  const g = m.arrays['groupdq'];
  let groupdq: Uint8Array;
  if (g && g.data instanceof Uint8Array && g.data.length === data.length) groupdq = g.data;
  else if (g) { groupdq = new Uint8Array(data.length); for (let i = 0; i < data.length; i++) groupdq[i] = Number(g.data[i]); }
  else groupdq = new Uint8Array(data.length);
  const p = m.arrays['pixeldq'];
  let pixeldq: Uint32Array;
  if (p && p.data instanceof Uint32Array && p.data.length === ny * nx) pixeldq = p.data;
  else if (p) { pixeldq = new Uint32Array(ny * nx); for (let i = 0; i < ny * nx; i++) pixeldq[i] = Number(p.data[i]) >>> 0; }
  else pixeldq = new Uint32Array(ny * nx);
  return { nints, ngroups, ny, nx, data, groupdq, pixeldq };
}

/** A RampModel output: a shallow clone of `input` with the given arrays replaced. */
export function rampOutput(input: JwstModel, r: Ramp, changed: { data?: Float32Array; groupdq?: Uint8Array; pixeldq?: Uint32Array }): JwstModel {
  const out = cloneModel(input);
  out.type = 'RampModel';
  const shape4 = [r.nints, r.ngroups, r.ny, r.nx];
  out.arrays['data'] = ndarray(changed.data ?? r.data, shape4);
  out.arrays['groupdq'] = ndarray(changed.groupdq ?? r.groupdq, shape4);
  out.arrays['pixeldq'] = ndarray(changed.pixeldq ?? r.pixeldq, [r.ny, r.nx]);
  return out;
}

/**
 * The step decided not to apply itself (jwst sets meta.cal_step.<key> =
 * 'SKIPPED' in these cases): a clone of the input with that status.
 */
export function skippedOutput(input: JwstModel, calStepKey: string): JwstModel {
  const out = cloneModel(input);
  setMeta(out.meta, `cal_step.${calStepKey}`, 'SKIPPED');
  return out;
}

/** A numeric meta value, or `dflt`. */
export function metaNum(m: JwstModel, path: string, dflt: number): number {
  const v = getMeta(m.meta, path);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : dflt;
}

/** A string meta value (upper-cased), or ''. */
export function metaStr(m: JwstModel, path: string): string {
  const v = getMeta(m.meta, path);
  return typeof v === 'string' ? v.trim().toUpperCase() : '';
}

/** Number of elements in one integration of a ramp. */
export const intSize = (r: Ramp): number => r.ngroups * r.ny * r.nx;

export type { NDArray };
