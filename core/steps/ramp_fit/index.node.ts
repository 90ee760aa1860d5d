/**
 * RampFitStep (jwst 3.0 `ramp_fit`): OLS ramp fitting with optimal weighting
 * (ols.ts, stcal's OLS_C), returning [rate ImageModel, rateints CubeModel].
 * Parameters and reference types as jwst/ramp_fitting/ramp_fit_step.py.
 * algorithm='LIKELY' and save_opt=True (the fitopt product) are not
 * implemented and fail with StepError 'not-implemented'.
 */
import { StepError } from '../../errors/index.ts';
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { ndarray } from '../../ndarray/index.ts';
import { defineStep, param, type JwstModel, type StepContext } from '../../stpipe/index.ts';
import { readRampRefs, rampArrays } from './inputs.node.ts';
import { runRampFit } from './run.ts';
import type { RateArrays } from './ols.ts';

const spec = {
  algorithm: param.option(['OLS_C', 'LIKELY'], 'OLS_C', "'OLS' and 'OLS_C' use the same underlying algorithm"),
  int_name: param.string('', 'name of the rateints output file'),
  save_opt: param.bool(false, 'Save optional output'),
  opt_name: param.string('', 'name of the optional output file'),
  suppress_one_group: param.bool(true, 'Suppress saturated ramps with good 0th group'),
  firstgroup: param.int(null, 'Ignore groups before this one (zero indexed)'),
  lastgroup: param.int(null, 'Ignore groups after this one (zero indexed)'),
  maximum_cores: param.string('1', "cores for multiprocessing. Can be an integer, 'half', 'quarter', or 'all'"),
};

/** jwst set_groupdq: DO_NOT_USE on groups before firstgroup and after lastgroup (a copy when anything changes). */
export function applyGroupRange(gdq: Uint8Array, shape: readonly number[], first: number | null, last: number | null, log: StepContext['log']): Uint8Array {
  if (first === null && last === null) return gdq;
  const [nints, ngroups, ny, nx] = shape;
  let f = first ?? 0;
  let l = last ?? ngroups - 1;
  if (f < 0) { log.warning('first group < 0, reset to 0'); f = 0; }
  if (l >= ngroups) log.warning(`Last group number >= #groups (${ngroups}), reset to ${ngroups - 1}`);
  if (f >= l) {
    log.warning(`firstgroup (${f}) cannot be >= lastgroup (${l})`);
    log.warning('Group selectors ignored');
    f = 0; l = ngroups - 1;
  }
  const out = gdq.slice();
  const plane = ny * nx;
  for (let i = 0; i < nints; i++) {
    for (let g = 0; g < ngroups; g++) {
      if (g >= f && g <= l) continue;
      const base = (i * ngroups + g) * plane;
      for (let q = base; q < base + plane; q++) out[q] |= 1;
    }
  }
  return out;
}

function product(type: 'ImageModel' | 'CubeModel', input: JwstModel, r: RateArrays, shape: number[], gainFactor?: number): JwstModel {
  const meta = structuredClone(input.meta);
  setMeta(meta, 'meta.bunit_data', 'DN/s');
  setMeta(meta, 'meta.bunit_err', 'DN/s');
  if (gainFactor !== undefined) setMeta(meta, 'meta.exposure.gain_factor', gainFactor);
  const model: JwstModel = {
    type, meta, tables: {}, extras: [], source: input.source,
    arrays: {
      data: ndarray(r.sci, shape), dq: ndarray(r.dq, shape), var_poisson: ndarray(r.varPoisson, shape),
      var_rnoise: ndarray(r.varRnoise, shape), err: ndarray(r.err, shape),
    },
  };
  if (type === 'CubeModel' && input.tables.int_times) model.tables.int_times = input.tables.int_times;
  return model;
}

/** Fit the ramps of a RampModel: [rate, rateints]. */
export async function runRampFitStep(input: JwstModel, ctx: StepContext): Promise<JwstModel[]> {
  const p = ctx.params;
  if (String(p.algorithm).toUpperCase() === 'LIKELY') throw new StepError('not-implemented', "ramp_fit: algorithm='LIKELY' is not implemented in WebbDesk (use OLS_C)", { parameter: 'algorithm' });
  if (p.save_opt === true) throw new StepError('not-implemented', 'ramp_fit: save_opt=True (the fitopt product) is not implemented in WebbDesk', { parameter: 'save_opt' });
  const ramp = rampArrays(input, 'ramp_fit');
  const [nints, , ny, nx] = ramp.shape;
  const refs = await readRampRefs(input, ctx);
  const groupdq = applyGroupRange(ramp.groupdq, ramp.shape, p.firstgroup as number | null, p.lastgroup as number | null, ctx.log);
  const num = (path: string, d: number): number => {
    const v = getMeta(input.meta, path);
    return typeof v === 'number' ? v : d;
  };
  ctx.log.info('Using algorithm = OLS_C');
  ctx.log.info('Using weighting = optimal');
  const adc = input.arrays.average_dark_current;
  const darkCurrent = adc && adc.data.length === ny * nx ? Float32Array.from(adc.data as ArrayLike<number>) : undefined;
  const res = await runRampFit({ ...ramp, groupdq, ...refs, darkCurrent }, {
    groupTime: num('meta.exposure.group_time', NaN), frameTime: num('meta.exposure.frame_time', NaN),
    nframes: num('meta.exposure.nframes', 1), suppressOneGroup: p.suppress_one_group !== false,
  }, { pool: ctx.pool, signal: ctx.signal, progress: (d, t) => ctx.progress(d, t, 'row blocks') });
  return [
    product('ImageModel', input, res.rate, [ny, nx], refs.gainFactor),
    product('CubeModel', input, res.rateints, [nints, ny, nx], refs.gainFactor),
  ];
}

export const step = defineStep<JwstModel, JwstModel[]>({
  name: 'ramp_fit',
  className: 'RampFitStep',
  spec,
  referenceTypes: ['readnoise', 'gain'],
  summary: 'Fit ramps (OLS, optimal weighting): rate and rateints',
  supports: (m) => (m.type === 'RampModel' ? undefined : `ramp_fit needs a RampModel, not a ${m.type}`),
  run: runRampFitStep,
});
