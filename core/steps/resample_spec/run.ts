/**
 * resample_spec for MIRI LRS fixed slit: check the inputs, build the drizzle
 * inputs from the models (WCS attached by assign_wcs, DQ, variances, weights)
 * and wrap the rectified result as a SlitModel (_s2d). Pure (no file I/O).
 *
 * jwst docs (resample_spec, step arguments; jwst/resample/resample_spec_step.py
 * 3.0): an ImageModel input is treated as a SlitModel; 3-D inputs are not
 * supported; several inputs (association) are drizzled onto one grid; DQ
 * DO_NOT_USE and NON_SCIENCE pixels are not used (GOOD_BITS
 * "~DO_NOT_USE+NON_SCIENCE"); weight_type ivm = 1/VAR_RNOISE, exptime = the
 * exposure time; output SCI, ERR, DQ, WHT, CON, VAR_POISSON/RNOISE/FLAT and WAVELENGTH with
 * meta.resample.pixfrac and pixel_scale_ratio.
 */
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import { cloneModel, type JwstModel, type Params, type StepLogger } from '../../stpipe/index.ts';
import { modelWcs, setModelWcs } from '../../wcs/attach.ts';
import type { Wcs } from '../../wcs/wcs.ts';
import { resampleSlits, VAR_NAMES, type ResampleResult, type SlitInput } from '../../resample/resample-slit.ts';

const expType = (m: JwstModel): string => String(getMeta(m.meta, 'exposure.type') ?? '');

/** Why this input cannot be resampled here, or undefined. */
export function unsupportedReason(m: JwstModel): string | undefined {
  const et = expType(m);
  if (et === 'MIR_LRS-SLITLESS') return 'resample_spec for MIR_LRS-SLITLESS is not implemented (jwst does not resample slitless LRS either; Spec2Pipeline skips it for TSO data)';
  if (et !== 'MIR_LRS-FIXEDSLIT') return `resample_spec is implemented for MIR_LRS-FIXEDSLIT only, not EXP_TYPE ${et || '(missing)'} (NIRSpec slits, WFSS and other modes are not implemented)`;
  if (m.type === 'MultiSlitModel' || (m.parts?.length ?? 0) > 0) return 'resample_spec on a MultiSlitModel is not implemented';
  const nd = m.arrays.data?.shape.length ?? 0;
  if (nd !== 2) return `resample_spec needs a 2-D image (a _cal product); the input SCI is ${nd}-D${nd === 3 ? ' (per-integration data cannot be resampled)' : ''}`;
  return undefined;
}

/** 'NAN'/'INDEF' -> NaN, else a number. */
export function parseFillval(s: unknown): number {
  const t = String(s ?? 'NAN').trim();
  if (/^(nan|indef)$/i.test(t)) return NaN;
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) throw new StepError('bad-parameter', `fillval must be NAN, INDEF or a number, got ${JSON.stringify(t)}`, { parameter: 'fillval' });
  return v;
}

function wcsOf(m: JwstModel): Wcs {
  const w = modelWcs(m);
  if (!w) throw new StepError('not-implemented', 'resample_spec needs the WCS that assign_wcs attaches in the same run: reading the WCS back from a file is not implemented; run assign_wcs before resample_spec in one pipeline run', { file: m.source });
  return w;
}

/** Shift that puts `other`'s alpha into `first`'s slit frame, through the sky (bounding-box centre of `other`). */
export function alphaOffset(first: Wcs, other: Wcs): number {
  const bb = other.boundingBox!;
  const x = (bb[0]![0] + bb[0]![1]) / 2, y = (bb[1]![0] + bb[1]![1]) / 2;
  const own = other.evaluate([Float64Array.of(x), Float64Array.of(y)], { to: 'alpha_beta' });
  const world = other.evaluate([Float64Array.of(x), Float64Array.of(y)]);
  let inFirst: Float64Array[];
  try {
    inFirst = first.evaluate(world, { from: 'world', to: 'alpha_beta' });
  } catch (e) {
    throw new StepError('not-implemented', `combining several inputs needs the world -> alpha_beta inverse of the first input's WCS: ${(e as Error).message}`, {}, { cause: e });
  }
  const d = inFirst[0]![0]! - own[0]![0]!;
  if (!Number.isFinite(d)) throw new StepError('bad-input', 'cannot place an input on the first input\'s slit (its centre maps outside the WCS)');
  return d;
}

function weightOf(m: JwstModel, kind: unknown, log: StepLogger): SlitInput['weight'] {
  if (kind === 'ivm') {
    if (m.arrays.var_rnoise) return { kind: 'ivm' };
    log.warning('weight_type=ivm but the input has no VAR_RNOISE array: using weight 1');
    return { kind: 'scalar', value: 1 };
  }
  if (kind === 'exptime') {
    const t = Number(getMeta(m.meta, 'exposure.measurement_time') ?? getMeta(m.meta, 'exposure.exposure_time') ?? NaN);
    if (Number.isFinite(t) && t > 0) return { kind: 'scalar', value: t };
    log.warning('weight_type=exptime but TMEASURE/EFFEXPTM is missing: using weight 1');
  }
  return { kind: 'scalar', value: 1 };
}

function toSlitInput(m: JwstModel, wcs: Wcs, offset: number, p: Params, log: StepLogger): SlitInput {
  const d = m.arrays.data!;
  const vars: SlitInput['vars'] = {};
  for (const v of VAR_NAMES) if (m.arrays[v]) vars[v] = m.arrays[v]!.data as ArrayLike<number>;
  return {
    wcs, ny: d.shape[0]!, nx: d.shape[1]!, data: d.data as ArrayLike<number>,
    dq: m.arrays.dq?.data as ArrayLike<number> | undefined, err: m.arrays.err?.data as ArrayLike<number> | undefined,
    vars, weight: weightOf(m, p.weight_type, log), alphaOffset: offset,
  };
}

/** Check parameters the kernel does not take directly. */
function checkParams(p: Params): { outputShape: number[] | null } {
  if (String(p.output_wcs ?? '') !== '') throw new StepError('not-implemented', 'a custom output_wcs (ASDF file) is not implemented for resample_spec', { parameter: 'output_wcs' });
  const os = p.output_shape as number[] | null;
  if (os && (os.length !== 2 || os.some((v) => !Number.isInteger(v) || v < 1))) throw new StepError('bad-parameter', `output_shape must be two positive integers [x, y], got ${JSON.stringify(os)}`, { parameter: 'output_shape' });
  const pf = Number(p.pixfrac);
  if (!(pf > 0 && pf <= 1)) throw new StepError('bad-parameter', `pixfrac must be in (0, 1], got ${p.pixfrac}`, { parameter: 'pixfrac' });
  if (!(Number(p.pixel_scale_ratio) > 0)) throw new StepError('bad-parameter', `pixel_scale_ratio must be > 0, got ${p.pixel_scale_ratio}`, { parameter: 'pixel_scale_ratio' });
  if (p.pixel_scale !== null && p.pixel_scale !== undefined && !(Number(p.pixel_scale) > 0)) throw new StepError('bad-parameter', `pixel_scale must be > 0 arcsec, got ${p.pixel_scale}`, { parameter: 'pixel_scale' });
  return { outputShape: os };
}

export interface RunHooks {
  readonly log: StepLogger;
  readonly progress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Resample one model or several (an association's science members) into one _s2d SlitModel. */
export function resampleSpec(input: JwstModel | readonly JwstModel[], p: Params, hooks: RunHooks): JwstModel {
  let models = Array.isArray(input) ? [...(input as readonly JwstModel[])] : [input as JwstModel];
  if (models.length === 0) throw new StepError('bad-input', 'resample_spec got no input models');
  for (const m of models) {
    const why = unsupportedReason(m);
    if (why) throw new StepError('not-implemented', why, { file: m.source });
  }
  const { outputShape } = checkParams(p);
  if (p.single && models.length > 1) {
    hooks.log.info('single=True: resampling the first input onto its own grid (the slit product keeps the first)');
    models = [models[0]!];
  }
  const wcss = models.map(wcsOf);
  const inputs = models.map((m, k) => toSlitInput(m, wcss[k]!, k === 0 ? 0 : alphaOffset(wcss[0]!, wcss[k]!), p, hooks.log));
  const res = resampleSlits(inputs, {
    pixfrac: Number(p.pixfrac), kernel: p.kernel === 'point' ? 'point' : 'square', fillval: parseFillval(p.fillval),
    pixelScaleRatio: Number(p.pixel_scale_ratio), pixelScale: p.pixel_scale == null ? null : Number(p.pixel_scale),
    outputShape, descending: true,
    onInput: (done, total) => { hooks.signal?.throwIfAborted(); hooks.progress?.(done, total); },
  });
  hooks.log.info(`Resampled ${models.length} input(s) onto a ${res.grid.nx} x ${res.grid.ny} (slit x wavelength) grid: ${res.grid.wave[0]!.toFixed(3)}-${res.grid.wave[res.grid.ny - 1]!.toFixed(3)} um, ${Math.abs(res.grid.step).toFixed(4)} arcsec/pixel along the slit (input ${res.grid.inputScale.toFixed(4)})`);
  return toModel(models[0]!, res, p, models.length);
}

function toModel(first: JwstModel, res: ResampleResult, p: Params, n: number): JwstModel {
  const { nx, ny } = res.grid;
  const out = cloneModel(first);
  out.type = 'SlitModel';
  out.parts = undefined;
  out.tables = {};
  const wl = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) wl.fill(res.grid.wave[j]!, j * nx, (j + 1) * nx);
  const con = new Int32Array(res.con.length * nx * ny);
  res.con.forEach((plane, k) => con.set(plane, k * nx * ny));
  out.arrays = {
    data: ndarray(res.data, [ny, nx]), dq: ndarray(res.dq, [ny, nx]), err: ndarray(res.err, [ny, nx]),
    ...Object.fromEntries(Object.entries(res.vars).map(([k, v]) => [k, ndarray(v, [ny, nx])])),
    wavelength: ndarray(wl, [ny, nx]), wht: ndarray(res.wht, [ny, nx]), con: ndarray(con, [res.con.length, ny, nx]),
  };
  const ratio = p.pixel_scale == null ? Number(p.pixel_scale_ratio) : res.grid.inputScale / Number(p.pixel_scale);
  setMeta(out.meta, 'resample.pixfrac', Number(p.pixfrac));
  setMeta(out.meta, 'resample.pixel_scale_ratio', ratio);
  setMeta(out.meta, 'resample.weight_type', String(p.weight_type ?? 'None'));
  setMeta(out.meta, 'resample.pointings', n);
  setMeta(out.meta, 'cal_step.resample', 'COMPLETE');
  setMeta(out.meta, 'wcsinfo.dispersion_direction', 2);
  setModelWcs(out, res.wcs);
  return out;
}
