/** Small step and pipeline definitions and a tiny CRDS cache for the runner tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeParameterFile, markFloat } from '../../core/asdf/index.ts';
import { CancelledError } from '../../core/errors/index.ts';
import { ndarray } from '../../core/ndarray/index.ts';
import { cloneModel, type JwstModel } from '../../core/stpipe/model.ts';
import { param } from '../../core/stpipe/param.ts';
import { definePipeline, defineStep, type StepDefinition } from '../../core/stpipe/types.ts';

/** A 2x3 MIRI ImageModel with data 0..5. */
export function toyModel(source?: string): JwstModel {
  return {
    type: 'ImageModel',
    meta: { instrument: { name: 'MIRI', detector: 'MIRIMAGE' }, exposure: { type: 'MIR_IMAGE', nints: 1 }, observation: { date: '2024-03-14', time: '10:00:00' } },
    arrays: { data: ndarray(new Float32Array([0, 1, 2, 3, 4, 5]), [2, 3]) },
    tables: {},
    extras: [],
    source,
  };
}

export interface Seen { params?: Record<string, unknown>; refs: Record<string, unknown> }

/** Adds `value` to data; asks for the reference types listed in `ask`. */
export function addStep(seen: Seen = { refs: {} }, ask: readonly string[] = []): StepDefinition {
  return defineStep({
    name: 'linearity',
    className: 'ToyLinearityStep',
    summary: 'adds a constant',
    spec: {
      value: param.float(1.0, 'value added'),
      mode: param.option(['a', 'b'], 'a', 'a mode'),
      flag: param.bool(false, 'a flag'),
      count: param.int(3, 'a count'),
      names: param.stringList(null, 'names'),
    },
    referenceTypes: ['gain', 'readnoise'],
    async run(input: JwstModel, ctx) {
      seen.params = { ...ctx.params };
      for (const rt of ask) seen.refs[rt] = await ctx.reference(rt);
      ctx.progress(1, 2, 'integrations');
      ctx.log.info('adding');
      ctx.progress(2, 2, 'integrations');
      const out = cloneModel(input);
      const d = input.arrays.data.data as Float32Array;
      out.arrays.data = ndarray(d.map((x) => x + Number(ctx.params.value)), [...input.arrays.data.shape]);
      return out;
    },
  }) as StepDefinition;
}

/** Returns two products (like RampFitStep: rate, rateints). */
export const twoStep = defineStep({
  name: 'ramp_fit',
  className: 'ToyRampFitStep',
  summary: 'two products',
  spec: {},
  referenceTypes: [],
  async run(input: JwstModel) {
    return [cloneModel(input), { ...cloneModel(input), type: 'CubeModel' as const }];
  },
}) as StepDefinition;

/** Cancels the run (through `abort`) and then notices it, as a long step would between chunks. */
export function cancelStep(abort: () => void): StepDefinition {
  return defineStep({
    name: 'jump',
    className: 'ToyJumpStep',
    summary: 'cancels',
    spec: {},
    referenceTypes: [],
    async run(input: JwstModel, ctx) {
      abort();
      if (ctx.signal.aborted) throw new CancelledError();
      return input;
    },
  }) as StepDefinition;
}

/** A pipeline: linearity, then (jump), then ramp_fit; saves 'rate' (the first ramp_fit product) and 'rateints'. */
export function toyPipeline(first: StepDefinition, middle?: StepDefinition) {
  const steps = [{ step: first }, ...(middle ? [{ step: middle }] : []), { step: twoStep }];
  return definePipeline({
    name: 'calwebb_toy',
    className: 'ToyPipeline',
    summary: 'toy',
    spec: { save_calibrated_ramp: param.bool(false, 'save the ramp'), fail_on_exception: param.bool(true, 'fail') },
    steps,
    products: ['rate', 'rateints'],
    async run(input, ctx) {
      // An association product arrives as the list of its members.
      const sci = Array.isArray(input) ? (input as JwstModel[]).find((x) => x.asn?.exptype === 'science') ?? input[0] : input;
      let m = await ctx.runStep<JwstModel>('linearity', sci);
      if (middle) m = await ctx.runStep<JwstModel>('jump', m);
      if (ctx.params.save_calibrated_ramp) await ctx.save(m, 'ramp', { force: true });
      const [rate, rateints] = await ctx.runStep<JwstModel[]>('ramp_fit', m);
      await ctx.save(rate, 'rate');
      await ctx.save(rateints, 'rateints');
      return rate;
    },
  });
}

const sha = "    'sha1sum' : 'X',\n";
const hdr = (fields: Record<string, string>): string => `header = {\n${Object.entries(fields).map(([k, v]) => `    '${k}' : ${v},\n`).join('')}${sha}}\n\n`;

/** Parameter file bytes (floats marked, as stpipe writes them). */
export function parsBytes(className: string, name: string, parameters: Record<string, unknown>, steps: Array<{ className: string; name: string; parameters: Record<string, unknown> }> = []): Uint8Array {
  const mark = (p: Record<string, unknown>): Record<string, unknown> => {
    const o = { ...p };
    for (const [k, v] of Object.entries(o)) if (typeof v === 'number' && !Number.isInteger(v)) markFloat(o, k);
    return o;
  };
  return writeParameterFile({ className, name, parameters: mark(parameters), steps: steps.map((s) => ({ ...s, parameters: mark(s.parameters), steps: [] })) });
}

/**
 * A CRDS cache in `dir` with context jwst_0001.pmap: MIRI GAIN by detector
 * (jwst_miri_gain_0001.fits), READNOISE N/A, and PARS-TOYLINEARITYSTEP
 * (jwst_miri_pars-toylinearitystep_0001.asdf holding `pars`). Returns the env for resolveConfig.
 */
export function buildCache(dir: string, pars: Record<string, unknown>): Record<string, string> {
  const maps = path.join(dir, 'mappings');
  const refs = path.join(dir, 'references');
  mkdirSync(maps, { recursive: true });
  mkdirSync(refs, { recursive: true });
  const put = (n: string, t: string): void => writeFileSync(path.join(maps, n), t);
  put('jwst_0001.pmap', hdr({ derived_from: "'test'", mapping: "'PIPELINE'", name: "'jwst_0001.pmap'", observatory: "'JWST'", parkey: "('META.INSTRUMENT.NAME',)" })
    + "selector = {\n    'MIRI' : 'jwst_miri_0001.imap',\n}\n");
  put('jwst_miri_0001.imap', hdr({ derived_from: "'test'", instrument: "'MIRI'", mapping: "'INSTRUMENT'", name: "'jwst_miri_0001.imap'", observatory: "'JWST'", parkey: "('REFTYPE',)" })
    + "selector = {\n    'GAIN' : 'jwst_miri_gain_0001.rmap',\n    'PARS-TOYLINEARITYSTEP' : 'jwst_miri_pars-toylinearitystep_0001.rmap',\n    'READNOISE' : 'N/A',\n}\n");
  const rmap = (name: string, filekind: string, file: string): string =>
    hdr({ classes: "('Match',)", derived_from: "'test'", filekind: `'${filekind}'`, instrument: "'MIRI'", mapping: "'REFERENCE'", name: `'${name}'`, observatory: "'JWST'", parkey: "(('META.INSTRUMENT.DETECTOR',),)" })
    + `selector = Match({\n    ('MIRIMAGE',) : '${file}',\n})\n`;
  put('jwst_miri_gain_0001.rmap', rmap('jwst_miri_gain_0001.rmap', 'GAIN', 'jwst_miri_gain_0001.fits'));
  put('jwst_miri_pars-toylinearitystep_0001.rmap', rmap('jwst_miri_pars-toylinearitystep_0001.rmap', 'PARS-TOYLINEARITYSTEP', 'jwst_miri_pars-toylinearitystep_0001.asdf'));
  writeFileSync(path.join(refs, 'jwst_miri_gain_0001.fits'), 'not read by the toy step');
  writeFileSync(path.join(refs, 'jwst_miri_pars-toylinearitystep_0001.asdf'), parsBytes('jwst.linearity.linearity_step.ToyLinearityStep', 'ToyLinearityStep', pars));
  return {
    CRDS_PATH: dir, CRDS_MAPPATH_SINGLE: maps, CRDS_REFPATH_SINGLE: refs, CRDS_CFGPATH_SINGLE: path.join(dir, 'config'),
    CRDS_MODE: 'local', CRDS_CONTEXT: 'jwst_0001.pmap', CRDS_IGNORE_MAPPING_CHECKSUM: 'true', HOME: dir,
  };
}
