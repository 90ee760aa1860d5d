/**
 * FlatFieldStep (jwst 3.0 flat_field) for imaging and non-NIRSpec
 * spectroscopy (flat.ts): the FLAT reference (SCI, ERR, DQ, DQ_DEF), cut to the
 * science subarray when it is larger. NIRSpec (fflat/sflat/dflat built per
 * wavelength), user_supplied_flat, inverse and save_interpolated_flat are not
 * implemented and fail clearly.
 */
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray, type NDArray } from '../../ndarray/index.ts';
import { cloneModel, defineStep, param, type JwstModel } from '../../stpipe/index.ts';
import {
  extractWindow, readRefFile, refDq, refDqDef, referencePathOrNA, refFloat, refWindow, scienceWindow, translateDq,
} from '../reffiles/index.node.ts';
import { skippedOutput } from '../reffiles/ramp.ts';
import { applyFlat, prepareFlat } from './flat.ts';

function unsupported(m: JwstModel): string | undefined {
  const et = String(getMeta(m.meta, 'exposure.type') ?? '');
  const inst = String(getMeta(m.meta, 'instrument.name') ?? '');
  if (inst === 'NIRSPEC' || et.startsWith('NRS_')) return `flat_field for NIRSpec (${et}: fflat/sflat/dflat interpolated in wavelength) is not implemented`;
  if ((m.parts?.length ?? 0) > 0) return 'flat_field for multi-slit products is not implemented';
  return undefined;
}

const f32 = (a: NDArray | undefined): Float32Array | undefined => (a ? (a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>)) : undefined);

export const step = defineStep<JwstModel, JwstModel>({
  name: 'flat_field',
  className: 'FlatFieldStep',
  spec: {
    save_interpolated_flat: param.bool(false, 'Save interpolated NRS flat'),
    user_supplied_flat: param.string(null, 'User-supplied flat'),
    inverse: param.bool(false, 'Invert the operation'),
  },
  referenceTypes: ['flat', 'fflat', 'sflat', 'dflat'],
  summary: 'Divide the science data by the flat field; propagate DQ and VAR_FLAT',
  supports: unsupported,
  async run(input, ctx) {
    const msg = unsupported(input);
    if (msg) throw new StepError('not-implemented', msg);
    for (const p of ['user_supplied_flat', 'inverse', 'save_interpolated_flat'] as const) {
      const v = ctx.params[p];
      if (v !== null && v !== false && v !== undefined) throw new StepError('not-implemented', `flat_field: ${p} is not implemented`, { parameter: p });
    }
    const path = await referencePathOrNA(ctx, 'flat');
    if (!path) {
      ctx.log.warning('No FLAT reference file found; flat_field step will be skipped');
      return skippedOutput(input, 'flat_field');
    }
    const out = cloneModel(input);
    ctx.log.info(`Using FLAT reference file: ${path}`);
    const data = input.arrays.data;
    const dq = input.arrays.dq;
    if (!data || !dq) throw new StepError('bad-input', 'flat_field: input lacks SCI or DQ', { file: input.source });
    const nd = data.shape.length, ny = data.shape[nd - 2]!, nx = data.shape[nd - 1]!;
    const ref = await readRefFile(path);
    const sciWin = scienceWindow(input.meta, ny, nx);
    const cut = <A extends NDArray>(a: A | undefined, what: string): A | undefined => (a ? (extractWindow(a as never, refWindow(ref, a), sciWin, `FLAT ${what} ${path}`) as A) : undefined);
    const fsci = cut(refFloat(ref, 'SCI'), 'SCI')!;
    const ferr = ref.images['ERR'] ? cut(refFloat(ref, 'ERR'), 'ERR') : undefined;
    const rdq = refDq(ref);
    let fdq: Uint32Array | undefined;
    if (rdq) {
      const { dq: t, unknown } = translateDq(cut(rdq, 'DQ')!.data, refDqDef(ref));
      if (unknown.length) ctx.log.warning(`FLAT DQ_DEF names not standard flags, ignored: ${unknown.join(', ')}`);
      fdq = t;
    }
    const prepared = prepareFlat({ data: fsci.data as Float32Array, err: ferr?.data as Float32Array | undefined, dq: fdq });
    const r = applyFlat({
      data: f32(data)!, dq: dq.data as Uint32Array,
      varPoisson: f32(input.arrays.var_poisson), varRnoise: f32(input.arrays.var_rnoise),
    }, prepared);
    out.arrays.data = ndarray(r.data, data.shape);
    out.arrays.dq = ndarray(r.dq, data.shape);
    out.arrays.err = ndarray(r.err, data.shape);
    out.arrays.var_flat = ndarray(r.varFlat, data.shape);
    if (r.varPoisson) out.arrays.var_poisson = ndarray(r.varPoisson, data.shape);
    if (r.varRnoise) out.arrays.var_rnoise = ndarray(r.varRnoise, data.shape);
    for (const t of ['fflat', 'sflat', 'dflat']) {
      const c = await ctx.reference(t);
      if (c.kind === 'file') ctx.log.warning(`${t.toUpperCase()} reference ${c.path} is ignored: it is used for NIRSpec only`);
    }
    return out;
  },
});

