/**
 * BackgroundStep (jwst 3.0 bkg_subtract): subtract the combined background
 * exposures (association members of type "background", or bkg_list) from the
 * science exposure. Input: the science model, or [science, ...backgrounds]
 * (the pipeline passes the association's background members after the
 * science one). WFSS and SOSS model-based backgrounds are not implemented.
 */
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray, type NDArray } from '../../ndarray/index.ts';
import { loadModel } from '../../stpipe/model-io.node.ts';
import { cloneModel, defineStep, isModel, param, type JwstModel, type StepContext } from '../../stpipe/index.ts';
import { combineBackground, subtractBackground, type Plane } from './combine.ts';

const MODEL_BASED = ['NIS_WFSS', 'NRC_WFSS', 'NRC_GRISM', 'NIS_SOSS'];

function plane(m: JwstModel, attr: string): NDArray | undefined {
  return m.arrays[attr];
}

/** A background member as one plane: multi-integration backgrounds are averaged over integrations first. */
function asPlane(m: JwstModel, shape: readonly number[]): Plane {
  const d = plane(m, 'data');
  if (!d) throw new StepError('bad-input', 'background member has no SCI array', { file: m.source, extname: 'SCI' });
  const n = shape[shape.length - 1] * shape[shape.length - 2];
  if (d.data.length === n) return { data: d.data as ArrayLike<number>, err: plane(m, 'err')?.data as ArrayLike<number>, dq: plane(m, 'dq')?.data as ArrayLike<number> };
  if (d.data.length % n !== 0) throw new StepError('bad-input', `background member shape ${d.shape.join('x')} does not match the science image`, { file: m.source, extname: 'SCI' });
  const k = d.data.length / n;
  const data = new Float32Array(n); const dq = new Uint32Array(n);
  for (let i = 0; i < k; i++) for (let p = 0; p < n; p++) { data[p] += Number(d.data[i * n + p]) / k; dq[p] |= Number(plane(m, 'dq')?.data[i * n + p] ?? 0); }
  return { data, dq };
}

async function run(input: JwstModel | readonly JwstModel[], ctx: StepContext): Promise<JwstModel> {
  const list = isModel(input) ? [input] : [...input];
  const sci = list[0];
  const exp = String(getMeta(sci.meta, 'exposure.type') ?? '');
  if (MODEL_BASED.includes(exp)) throw new StepError('not-implemented', `background subtraction for ${exp} (reference-file background scaling) is not implemented`);
  let bkgs = list.slice(1);
  const bl = ctx.params.bkg_list as string[] | string | null;
  if (bkgs.length === 0 && bl) {
    const names = (Array.isArray(bl) ? bl : String(bl).split(',')).map((s) => s.trim()).filter(Boolean);
    bkgs = await Promise.all(names.map((f) => loadModel(f)));
  }
  if (bkgs.length === 0) {
    ctx.log.warning('* No background list provided * Skipping step.');
    return sci;
  }
  const shape = sci.arrays.data?.shape;
  if (!shape) throw new StepError('bad-input', 'science model has no SCI array', { file: sci.source, extname: 'SCI' });
  const combined = combineBackground(bkgs.map((b) => asPlane(b, shape)), Number(ctx.params.sigma ?? 3), (ctx.params.maxiters as number | null) ?? null);
  const dq = sci.arrays.dq ? Uint32Array.from(sci.arrays.dq.data as ArrayLike<number>) : new Uint32Array(sci.arrays.data.data.length);
  const r = subtractBackground(Float32Array.from(sci.arrays.data.data as ArrayLike<number>), dq, combined);
  const out = cloneModel(sci);
  out.arrays.data = ndarray(r.data, shape);
  out.arrays.dq = ndarray(r.dq, shape);
  if (ctx.params.save_combined_background) ctx.log.warning('save_combined_background is not implemented: the combined background is not written');
  ctx.log.info(`subtracted the sigma-clipped mean of ${bkgs.length} background exposure(s)`);
  return out;
}

export const step = defineStep<JwstModel | readonly JwstModel[], JwstModel>({
  name: 'bkg_subtract',
  className: 'BackgroundStep',
  summary: 'Subtract background exposures (sigma-clipped mean of the background members)',
  referenceTypes: ['bkg', 'wavelengthrange'],
  supports: (i) => {
    const m = isModel(i) ? i : i[0];
    const exp = String(getMeta(m?.meta ?? {}, 'exposure.type') ?? '');
    return MODEL_BASED.includes(exp) ? `background subtraction for ${exp} is not implemented` : undefined;
  },
  spec: {
    bkg_list: param.stringList(null, 'List of background files. Ignored for WFSS or if asn is provided'),
    save_combined_background: param.bool(false, 'Save combined background image'),
    sigma: param.float(3.0, 'Clipping threshold'),
    maxiters: param.int(null, 'Number of clipping iterations'),
    soss_source_percentile: param.float(35.0, 'Threshold flux percentile to mask out source pixels'),
    soss_bkg_percentile: param.floatList(null, 'Background percentiles to use; default is [25.0, 50.0]'),
    wfss_mmag_extract: param.float(null, 'WFSS minimum abmag to extract'),
    wfss_mask: param.string(null, 'WFSS source mask file'),
    wfss_maxiter: param.int(5, 'WFSS iterative outlier rejection max iterations'),
    wfss_rms_stop: param.float(0, 'WFSS iterative outlier rejection RMS improvement threshold (percent)'),
    wfss_outlier_percent: param.float(1, 'WFSS outlier percentile to reject per iteration'),
  },
  run,
});
