/**
 * Flat-field kernel for imaging and non-NIRSpec spectroscopy (jwst docs,
 * flatfield "Imaging and Non-NIRSpec Spectroscopic Data" and "Error
 * propagation"):
 * - flat pixels that are NaN or zero get NO_FLAT_FIELD; every NO_FLAT_FIELD
 *   pixel also gets DO_NOT_USE (jwst 1.5.3, PR #6882) and is reset to 1 so it
 *   leaves the science data unchanged;
 * - SCI /= flat; DQ |= flat DQ; VAR_POISSON and VAR_RNOISE /= flat^2;
 *   VAR_FLAT = SCI^2 / flat^2 * ERR_flat^2 with SCI the flat-fielded science
 *   (checked against the jwst 3.0 golden calints);
 *   ERR = sqrt(VAR_POISSON + VAR_RNOISE + VAR_FLAT).
 * Arrays are C order: (nints, ny, nx) or (ny, nx); the flat is (ny, nx).
 */
import { DQ } from '../../datamodels/dq.ts';

export interface FlatRef {
  readonly data: Float32Array;
  readonly err?: Float32Array;
  readonly dq?: Uint32Array;
}

/** The flat with invalid pixels set to 1, its error (NaN -> 0) and DQ with NO_FLAT_FIELD added. */
export function prepareFlat(f: FlatRef): { flat: Float32Array; err: Float32Array; dq: Uint32Array } {
  const n = f.data.length;
  const flat = new Float32Array(n), err = new Float32Array(n), dq = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let d = f.dq ? f.dq[i]! : 0;
    const v = f.data[i]!;
    if (Number.isNaN(v) || v === 0) d = (d | DQ.NO_FLAT_FIELD) >>> 0;
    const bad = (d & DQ.NO_FLAT_FIELD) !== 0;
    if (bad) d = (d | DQ.DO_NOT_USE) >>> 0;
    flat[i] = bad ? 1 : v;
    const e = f.err ? f.err[i]! : 0;
    err[i] = bad || Number.isNaN(e) ? 0 : e;
    dq[i] = d;
  }
  return { flat, err, dq };
}

export interface ScienceArrays {
  readonly data: Float32Array;
  readonly dq: Uint32Array;
  readonly err?: Float32Array;
  readonly varPoisson?: Float32Array;
  readonly varRnoise?: Float32Array;
}

export interface FlatOutput {
  data: Float32Array;
  dq: Uint32Array;
  err: Float32Array;
  varPoisson?: Float32Array;
  varRnoise?: Float32Array;
  varFlat: Float32Array;
}

/** Apply a prepared flat (one plane of `plane` pixels) to every plane of the science arrays. */
export function applyFlat(sci: ScienceArrays, flat: ReturnType<typeof prepareFlat>): FlatOutput {
  const n = sci.data.length, plane = flat.flat.length;
  if (n % plane !== 0) throw new RangeError(`flat has ${plane} pixels; science arrays have ${n} (not a multiple)`);
  const out: FlatOutput = {
    data: new Float32Array(n), dq: new Uint32Array(n), err: new Float32Array(n), varFlat: new Float32Array(n),
    varPoisson: sci.varPoisson ? new Float32Array(n) : undefined,
    varRnoise: sci.varRnoise ? new Float32Array(n) : undefined,
  };
  for (let i = 0; i < n; i++) {
    const p = i % plane;
    const f = flat.flat[p]!, f2 = Math.fround(f * f);
    const s = (out.data[i] = sci.data[i]! / f);
    out.dq[i] = (sci.dq[i]! | flat.dq[p]!) >>> 0;
    const vp = sci.varPoisson ? (out.varPoisson![i] = sci.varPoisson[i]! / f2) : 0;
    const vr = sci.varRnoise ? (out.varRnoise![i] = sci.varRnoise[i]! / f2) : 0;
    const e = flat.err[p]!;
    const vf = (out.varFlat[i] = Math.fround(Math.fround(Math.fround(s * s) / f2) * Math.fround(e * e)));
    out.err[i] = Math.sqrt(Math.fround(Math.fround(out.varPoisson ? out.varPoisson[i]! : vp) + Math.fround(out.varRnoise ? out.varRnoise[i]! : vr)) + vf);
  }
  return out;
}
