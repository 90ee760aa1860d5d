/**
 * PixelReplaceStep (jwst 3.0 pixel_replace; skipped by default): estimate
 * flux for DO_NOT_USE pixels of 2-D/3-D spectral images before extraction.
 * Implemented: algorithm fit_profile on ImageModel/CubeModel/SlitModel
 * (per integration). mingrad and trace_model are not implemented.
 */
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import { cloneModel, defineStep, isModel, param, type JwstModel, type StepContext } from '../../stpipe/index.ts';
import { toCrossDisp } from '../extract_1d/profile.ts';
import { fitProfileReplace } from './fit_profile.ts';

function supports(i: JwstModel | readonly JwstModel[]): string | undefined {
  if (!isModel(i)) return 'pixel_replace on a list of models is not implemented';
  if (!['ImageModel', 'CubeModel', 'SlitModel'].includes(i.type)) return `pixel_replace is implemented for ImageModel, CubeModel and SlitModel inputs, not ${i.type}`;
  return undefined;
}

async function run(input: JwstModel | readonly JwstModel[], ctx: StepContext): Promise<JwstModel> {
  const why = supports(input);
  if (why) throw new StepError('not-implemented', why);
  const m = input as JwstModel;
  if (ctx.params.algorithm !== 'fit_profile') throw new StepError('not-implemented', `pixel_replace algorithm "${String(ctx.params.algorithm)}" is not implemented; use algorithm=fit_profile`, { parameter: 'algorithm' });
  const dispaxis = Number(getMeta(m.meta, 'wcsinfo.dispersion_direction') ?? NaN);
  if (dispaxis !== 1 && dispaxis !== 2) throw new StepError('bad-input', 'the dispersion direction (DISPAXIS) is missing', { file: m.source, keyword: 'DISPAXIS' });
  const shape = m.arrays.data.shape;
  const [ny, nx] = shape.slice(-2);
  const nints = shape.length === 3 ? shape[0] : 1;
  const data = Float32Array.from(m.arrays.data.data as ArrayLike<number>);
  const dq = m.arrays.dq ? Uint32Array.from(m.arrays.dq.data as ArrayLike<number>) : new Uint32Array(data.length);
  let total = 0;
  for (let k = 0; k < nints; k++) {
    ctx.signal.throwIfAborted();
    const off = k * ny * nx;
    const d = toCrossDisp(data.subarray(off, off + ny * nx), ny, nx, dispaxis);
    const q = Uint32Array.from(toCrossDisp(dq.subarray(off, off + ny * nx), ny, nx, dispaxis));
    const ncross = dispaxis === 1 ? ny : nx;
    const ndisp = dispaxis === 1 ? nx : ny;
    total += fitProfileReplace(d, q, ncross, ndisp, Number(ctx.params.n_adjacent_cols ?? 3));
    for (let c = 0; c < ncross; c++) for (let e = 0; e < ndisp; e++) {
      const det = dispaxis === 1 ? c * nx + e : e * nx + c;
      data[off + det] = d[c * ndisp + e]; dq[off + det] = q[c * ndisp + e];
    }
    ctx.progress(k + 1, nints, 'integrations');
  }
  ctx.log.info(`${total} pixels replaced (fit_profile)`);
  const out = cloneModel(m);
  out.arrays.data = ndarray(data, shape);
  out.arrays.dq = ndarray(dq, shape);
  return out;
}

export const step = defineStep<JwstModel | readonly JwstModel[], JwstModel>({
  name: 'pixel_replace',
  className: 'PixelReplaceStep',
  summary: 'Estimate flux for bad pixels in 2-D spectra (off by default)',
  referenceTypes: [],
  skipByDefault: true,
  supports,
  spec: {
    algorithm: param.option(['fit_profile', 'mingrad', 'trace_model'], 'mingrad', 'Replacement algorithm'),
    n_adjacent_cols: param.int(3, 'Number of adjacent columns to use in profile creation'),
  },
  run,
});
