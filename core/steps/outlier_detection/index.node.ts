/**
 * OutlierDetectionStep (jwst 3.0 outlier_detection). Implemented: the TSO
 * mode (a CubeModel of one TSO exposure, as calwebb_tso3 runs it). Imaging,
 * spectroscopic, coronagraphic and IFU modes (resampling/blotting) are not.
 */
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray, type NDArray } from '../../ndarray/index.ts';
import { cloneModel, defineStep, isModel, param, type JwstModel, type StepContext } from '../../stpipe/index.ts';
import { isTso } from '../extract_1d/run.ts';
import { flagTsoOutliers, parseGoodBits } from './tso.ts';

function supports(i: JwstModel | readonly JwstModel[]): string | undefined {
  if (!isModel(i)) return 'outlier_detection on an association of several exposures (imaging/spectroscopic modes with resampling) is not implemented; only the TSO mode is';
  const threeD = i.arrays.data?.shape.length === 3;
  if (!['CubeModel', 'SlitModel'].includes(i.type) || !threeD || !isTso(i.meta)) return `outlier_detection is implemented for TSO integrations cubes only (got ${i.type}, EXP_TYPE ${String(getMeta(i.meta, 'exposure.type') ?? '?')})`;
  return undefined;
}

function f32(a: NDArray | undefined, n: number): Float32Array {
  return a ? Float32Array.from(a.data as ArrayLike<number>) : new Float32Array(n).fill(0);
}

async function run(input: JwstModel | readonly JwstModel[], ctx: StepContext): Promise<JwstModel> {
  const why = supports(input);
  if (why) throw new StepError('not-implemented', why);
  const m = input as JwstModel;
  const shape = m.arrays.data?.shape;
  if (!shape || shape.length !== 3) throw new StepError('bad-input', 'TSO outlier detection needs a 3-D SCI array (nints, ny, nx)', { file: m.source, extname: 'SCI' });
  if (!m.arrays.err || !m.arrays.dq) throw new StepError('bad-input', 'TSO outlier detection needs the ERR and DQ arrays', { file: m.source, extname: m.arrays.err ? 'DQ' : 'ERR' });
  const [nints, ny, nx] = shape;
  const n = nints * ny * nx;
  const snr = Number(String(ctx.params.snr ?? '5.0 4.0').trim().split(/\s+/)[0]);
  if (!Number.isFinite(snr)) throw new StepError('bad-parameter', `snr must start with a number (got "${String(ctx.params.snr)}")`, { parameter: 'snr' });
  const varNames = ['var_poisson', 'var_rnoise', 'var_flat'].filter((v) => m.arrays[v]?.data.length === n);
  const cube = {
    nints, npix: ny * nx,
    data: f32(m.arrays.data, n), err: f32(m.arrays.err, n), dq: Uint32Array.from(m.arrays.dq.data as ArrayLike<number>),
    vars: varNames.map((v) => f32(m.arrays[v], n)),
  };
  const flagged = flagTsoOutliers(cube, {
    goodBits: parseGoodBits(ctx.params.good_bits ?? '~DO_NOT_USE'),
    maskpt: Number(ctx.params.maskpt ?? 0.7),
    rollingWindowWidth: Number(ctx.params.rolling_window_width ?? 25),
    snr,
  });
  ctx.progress(nints, nints, 'integrations');
  ctx.log.info(`${flagged} pixels marked as outliers`);
  const out = cloneModel(m);
  out.arrays.data = ndarray(cube.data, shape);
  out.arrays.err = ndarray(cube.err, shape);
  out.arrays.dq = ndarray(cube.dq, shape);
  varNames.forEach((v, k) => { out.arrays[v] = ndarray(cube.vars[k], shape); });
  return out;
}

export const step = defineStep<JwstModel | readonly JwstModel[], JwstModel>({
  name: 'outlier_detection',
  className: 'OutlierDetectionStep',
  summary: 'Flag outlier pixels (TSO mode: rolling median along time)',
  referenceTypes: [],
  supports,
  spec: {
    weight_type: param.option(['ivm', 'exptime'], 'ivm', 'Weighting type for the resampled median'),
    pixfrac: param.float(1.0, 'Pixel shrinkage factor', { min: 0, max: 1 }),
    kernel: param.option(['square', 'point', 'turbo'], 'square', 'Flux distribution kernel'),
    fillval: param.string('NAN', 'Value for pixels with no input'),
    maskpt: param.float(0.7, 'Fraction of the mean weight below which pixels are masked'),
    snr: param.string('5.0 4.0', 'Signal-to-noise thresholds (the first is used for TSO data)'),
    scale: param.string('1.2 0.7', 'Scale factors for the derivative test'),
    backg: param.float(0.0, 'Background level added to the blotted median'),
    kernel_size: param.string('7 7', 'IFU median filter kernel size'),
    threshold_percent: param.float(99.8, 'IFU threshold percentile'),
    rolling_window_width: param.int(25, 'Number of integrations in the TSO rolling median', { unit: 'integrations' }),
    ifu_second_check: param.bool(false, 'IFU second outlier check'),
    save_intermediate_results: param.bool(false, 'Save the median and blotted images'),
    resample_data: param.bool(true, 'Resample before computing the median'),
    good_bits: param.string('~DO_NOT_USE', 'DQ flags to allow'),
    in_memory: param.bool(true, 'in_memory flag ignored if run within the pipeline; set at pipeline level instead'),
  },
  run,
});
