/**
 * PhotomStep (jwst 3.0 photom) for MIRI LRS (lrs.ts): PHOTOM reference
 * (MirLrsPhotomModel PHOTOM table), per-pixel conversion from the wavelength
 * map assign_wcs made, output in MJy/sr; PIXAR_SR/PIXAR_A2 from the PHOTOM
 * primary header. Other modes, inverse, and the MIRI time-dependent
 * correction (TIMECOEFF tables) are not implemented and fail clearly.
 */
import { DQ } from '../../datamodels/dq.ts';
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray, type NDArray } from '../../ndarray/index.ts';
import { cloneModel, defineStep, param, type JwstModel } from '../../stpipe/index.ts';
import { readRefFile, referencePathOrNA, type RefFile } from '../reffiles/index.node.ts';
import { applyConversion, lrsConversion, matchNansAndFlags, MJSR_TO_UJA2, type LrsPhotomRow } from './lrs.ts';

const LRS = ['MIR_LRS-FIXEDSLIT', 'MIR_LRS-SLITLESS'];
const str = (m: JwstModel, p: string): string => String(getMeta(m.meta, p) ?? '').trim();

function unsupported(m: JwstModel): string | undefined {
  const et = str(m, 'exposure.type');
  return LRS.includes(et) ? undefined : `photom is implemented for MIRI LRS only, not EXP_TYPE ${et || '(missing)'}`;
}

/** The PHOTOM row for this filter and subarray (strings compared trimmed, case-insensitive). */
export function lrsPhotomRow(ref: RefFile, filter: string, subarray: string): LrsPhotomRow {
  const t = ref.tables['PHOTOM'];
  if (!t) throw new StepError('ref-missing-ext', 'PHOTOM reference has no PHOTOM table', { file: ref.path, extname: 'PHOTOM' });
  const col = (n: string) => {
    const c = t.columns.find((x) => x.name.toLowerCase() === n);
    if (!c) throw new StepError('ref-missing-column', `PHOTOM table has no ${n} column`, { file: ref.path, extname: 'PHOTOM' });
    return c;
  };
  const f = col('filter').data as ArrayLike<unknown>, s = col('subarray').data as ArrayLike<unknown>;
  const norm = (v: unknown) => String(v).trim().toUpperCase();
  for (let i = 0; i < t.nrows; i++) {
    if (norm(f[i]) !== filter.toUpperCase() || norm(s[i]) !== subarray.toUpperCase()) continue;
    const vec = (n: string): Float64Array => {
      const c = col(n);
      const w = c.cellShape.reduce((a, b) => a * b, 1);
      return Float64Array.from((c.data as ArrayLike<number>) as Float32Array).subarray(i * w, (i + 1) * w);
    };
    return {
      filter, subarray,
      photmjsr: Number((col('photmjsr').data as ArrayLike<number>)[i]),
      uncertainty: Number((col('uncertainty').data as ArrayLike<number>)[i]),
      nelem: Number((col('nelem').data as ArrayLike<number>)[i]),
      wavelength: vec('wavelength'), relresponse: vec('relresponse'),
    };
  }
  throw new StepError('ref-no-match', `PHOTOM table has no row for FILTER=${filter} SUBARRAY=${subarray}`, { file: ref.path, extname: 'PHOTOM' });
}

const f32 = (a: NDArray | undefined): Float32Array | undefined => (a ? (a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>)) : undefined);

export const step = defineStep<JwstModel, JwstModel>({
  name: 'photom',
  className: 'PhotomStep',
  spec: {
    inverse: param.bool(false, 'Invert the operation'),
    source_type: param.string(null, 'Process as specified source type.'),
    apply_time_correction: param.bool(true, 'Apply time dependent correction'),
  },
  referenceTypes: ['photom', 'area'],
  summary: 'Convert count rates to surface brightness (MJy/sr); MIRI LRS',
  supports: unsupported,
  async run(input, ctx) {
    const msg = unsupported(input);
    if (msg) throw new StepError('not-implemented', msg);
    if (ctx.params['inverse'] === true) throw new StepError('not-implemented', 'photom: inverse=True is not implemented', { parameter: 'inverse' });
    const path = await referencePathOrNA(ctx, 'photom');
    if (!path) throw new StepError('ref-missing', 'photom for MIRI LRS needs a PHOTOM reference (got N/A)', { parameter: 'override_photom' });
    ctx.log.info(`Using photom reference file: ${path}`);
    const ref = await readRefFile(path);
    if (Object.keys(ref.tables).some((k) => k.startsWith('TIMECOEFF')) && ctx.params['apply_time_correction'] !== false) {
      throw new StepError('not-implemented', 'photom: the MIRI time-dependent correction (TIMECOEFF tables in the PHOTOM reference) is not implemented; run with apply_time_correction=False', { file: path, parameter: 'apply_time_correction' });
    }
    const wl = input.arrays.wavelength;
    if (!wl) throw new StepError('bad-input', 'photom for MIRI LRS needs the wavelength array from assign_wcs (run assign_wcs first)', { file: input.source });
    const row = lrsPhotomRow(ref, str(input, 'instrument.filter'), str(input, 'subarray.name'));
    ctx.log.info(`PHOTMJSR value: ${row.photmjsr}`);
    const { conversion, noCal } = lrsConversion(wl.data as ArrayLike<number>, row);
    const data = input.arrays.data!;
    const r = applyConversion({
      data: f32(data)!, err: f32(input.arrays.err), varPoisson: f32(input.arrays.var_poisson),
      varRnoise: f32(input.arrays.var_rnoise), varFlat: f32(input.arrays.var_flat),
    }, conversion);
    const dq = flagNoCal(input.arrays.dq?.data as Uint32Array | undefined, noCal, data.data.length);
    matchNansAndFlags(r, dq, DQ.DO_NOT_USE);
    const out = cloneModel(input);
    out.arrays.dq = ndarray(dq, data.shape);
    const put = (k: string, a: Float32Array | undefined, like: NDArray | undefined) => { if (a && like) out.arrays[k] = ndarray(a, like.shape); };
    put('data', r.data, data);
    put('err', r.err, input.arrays.err);
    put('var_poisson', r.varPoisson, input.arrays.var_poisson);
    put('var_rnoise', r.varRnoise, input.arrays.var_rnoise);
    put('var_flat', r.varFlat, input.arrays.var_flat);
    const area = await ctx.reference('area');
    if (area.kind === 'file') ctx.log.info(`AREA reference ${area.path} is not used for MIRI LRS`);
    setMeta(out.meta, 'photometry.conversion_megajanskys', row.photmjsr);
    // float32 like the PHOTOM table value it comes from
    setMeta(out.meta, 'photometry.conversion_microjanskys', Math.fround(row.photmjsr * MJSR_TO_UJA2));
    for (const [k, key] of [['PIXAR_SR', 'pixelarea_steradians'], ['PIXAR_A2', 'pixelarea_arcsecsq']] as const) {
      const v = ref.primary.get(k);
      if (typeof v === 'number') setMeta(out.meta, `photometry.${key}`, v);
    }
    setMeta(out.meta, 'bunit_data', 'MJy/sr');
    setMeta(out.meta, 'bunit_err', 'MJy/sr');
    return out;
  },
});

/** A copy of DQ (every plane) with DO_NOT_USE where the pixel has no calibration (photom docs). */
function flagNoCal(dq: Uint32Array | undefined, noCal: Uint8Array, n: number): Uint32Array {
  const out = dq ? Uint32Array.from(dq) : new Uint32Array(n);
  const plane = noCal.length;
  for (let i = 0; i < out.length; i++) if (noCal[i % plane]) out[i] = (out[i]! | DQ.DO_NOT_USE) >>> 0;
  return out;
}
