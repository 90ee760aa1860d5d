import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import type { Meta } from '../datamodels/meta.ts';
import { tagMember } from '../associations/members.ts';
import type { PipelineContext, PipelineDefinition, RunStepOptions, StepInput, StepProduct } from '../stpipe/index.ts';
import type { JwstModel } from '../stpipe/model.ts';
import { detector1Order } from './detector1.node.ts';
import { PIPELINES, applicableSteps, defaultRunSteps, pipelineSteps } from './index.node.ts';
import { spec2Applies } from './modes.ts';
import { spec2Order } from './spec2.node.ts';
import { tso3Order } from './tso3.node.ts';

const LRS_TSO: Meta = { instrument: { name: 'MIRI' }, exposure: { type: 'MIR_LRS-SLITLESS', nints: 8 }, visit: { tsovisit: true } };
const LRS_FS: Meta = { instrument: { name: 'MIRI' }, exposure: { type: 'MIR_LRS-FIXEDSLIT', nints: 1 }, visit: { tsovisit: false } };
const spec2 = PIPELINES.calwebb_spec2!;

/** Steps of the spec2 common path that apply, in execution order. */
const spec2Applicable = (meta: Meta, multiInt: boolean) => spec2Order(meta, multiInt).filter((n) => spec2Applies(n, meta));
const runsByDefault = (p: PipelineDefinition, names: string[]) => names.filter((n) => !pipelineSteps(p)[n]!.skipByDefault);

describe('MIRI LRS step lists (seed 003)', () => {
  // jwst 3.0 steps that seed 003's table predates (both skipped by default).
  const NEW_IN_3 = new Set(['targ_centroid', 'adaptive_trace_model']);

  it('MIR_LRS-SLITLESS TSO: the MIRI SL column intersected with the TSO column', () => {
    expect(spec2Applicable(LRS_TSO, true).filter((n) => !NEW_IN_3.has(n))).toEqual(['assign_wcs', 'srctype', 'flat_field', 'photom', 'extract_1d']);
    expect(runsByDefault(spec2, spec2Applicable(LRS_TSO, true))).toEqual(['assign_wcs', 'srctype', 'flat_field', 'photom', 'extract_1d']);
  });

  it('MIR_LRS-FIXEDSLIT: the MIRI FS column, pixel_replace skipped by default', () => {
    expect(spec2Applicable(LRS_FS, false).filter((n) => !NEW_IN_3.has(n))).toEqual([
      'assign_wcs', 'bkg_subtract', 'srctype', 'flat_field', 'pathloss', 'photom', 'pixel_replace', 'resample_spec', 'extract_1d',
    ]);
    expect(runsByDefault(spec2, spec2Applicable(LRS_FS, false))).toEqual([
      'assign_wcs', 'bkg_subtract', 'srctype', 'flat_field', 'pathloss', 'photom', 'resample_spec', 'extract_1d',
    ]);
  });

  it('the UI lists (applicableSteps) contain the same steps in jwst step_defs order', () => {
    expect(new Set(applicableSteps(spec2, LRS_TSO))).toEqual(new Set(spec2Applicable(LRS_TSO, true)));
    expect(defaultRunSteps(spec2, LRS_TSO)).toEqual(['assign_wcs', 'flat_field', 'srctype', 'photom', 'extract_1d']);
  });

  it('spec2 registers BackgroundStep and ImprintStep under their step_defs names', () => {
    expect(pipelineSteps(spec2).bkg_subtract?.className).toBe('BackgroundStep');
    expect(pipelineSteps(spec2).imprint_subtract?.className).toBe('ImprintStep');
  });
});

/** Distinct 'Step X running' names of a golden pipeline.log section. */
function loggedSteps(log: string, pipeline: string, next?: string): string[] {
  const start = log.indexOf(`Step ${pipeline} running`);
  const end = next ? log.indexOf(`${next} instance created`, start) : log.length;
  const names = [...log.slice(start, end).matchAll(/Step (\w+) running/g)].map((m) => m[1]!).filter((n) => n !== pipeline);
  return names.filter((n, i) => names.indexOf(n) === i);
}

describe.skipIf(!HAVE_SHARED)('execution order equals the real jwst 3.0 runs (golden pipeline.log)', () => {
  it('detector1 for MIRI', () => {
    const log = readFileSync(sharedPath('golden/detector1_miri/p01_slitlessprism_tso/pipeline.log'), 'utf8');
    expect(detector1Order({ instrument: { name: 'MIRI' } })).toEqual(loggedSteps(log, 'Detector1Pipeline'));
  });
  it('spec2 and tso3 for MIRI LRS slitless TSO', () => {
    const log = readFileSync(sharedPath('golden/lrs_spec2_tso3/p01_lrs_slitless_transit/pipeline.log'), 'utf8');
    expect(spec2Order(LRS_TSO, true)).toEqual(loggedSteps(log, 'Spec2Pipeline', 'Tso3Pipeline'));
    expect(tso3Order(LRS_TSO)).toEqual(loggedSteps(log, 'Tso3Pipeline'));
  });
});

// ---- flows with toy steps ----------------------------------------------------

const CAL_STEP_KEY: Readonly<Record<string, string>> = { imprint_subtract: 'imprint', dark_current: 'dark_sub' };

interface Call { name: string; skip: boolean; forced: boolean; n: number }

function model(type: string, meta: Meta): JwstModel {
  return { type: type as JwstModel['type'], meta: structuredClone(meta), arrays: {}, tables: {}, extras: [] };
}

function toyContext(p: PipelineDefinition, params: Record<string, unknown> = {}) {
  const calls: Call[] = [];
  const saved: { suffix: string; product: StepProduct }[] = [];
  const ctx: PipelineContext = {
    params,
    log: { debug: () => {}, info: () => {}, warning: () => {}, error: () => {} },
    signal: new AbortController().signal,
    outputDir: '/tmp',
    progress: () => {},
    async save(product, suffix) { saved.push({ suffix, product }); return [suffix]; },
    async runStep<O extends StepProduct>(name: string, input: StepInput, opts?: RunStepOptions): Promise<O> {
      const skip = opts?.skip === true || pipelineSteps(p)[name]!.skipByDefault === true;
      const list = Array.isArray(input) ? (input as JwstModel[]) : [input as JwstModel];
      calls.push({ name, skip, forced: opts?.skip === true, n: list.length });
      const m = structuredClone(list[0]!);
      m.meta.cal_step = { ...(m.meta.cal_step as Meta | undefined), [CAL_STEP_KEY[name] ?? name]: skip ? 'SKIPPED' : 'COMPLETE' };
      if (skip) return m as unknown as O;
      if (name === 'ramp_fit') return [model('ImageModel', m.meta), model('CubeModel', m.meta)] as unknown as O;
      if (name === 'extract_1d') {
        const rows = Number((m.meta.exposure as Meta).nints);
        const table = { nrows: rows, columns: [{ name: 'FLUX', data: new Float64Array(rows).fill(rows) }] };
        return { ...model('MultiSpecModel', m.meta), parts: [{ meta: {}, arrays: {}, table }] } as unknown as O;
      }
      if (name === 'white_light') return { kind: 'table', format: 'ecsv', text: '# %ECSV 1.0\n' } as unknown as O;
      return m as unknown as O;
    },
  };
  return { ctx, calls, saved };
}

describe('pipeline flows (toy steps)', () => {
  it('detector1 saves ramp, rateints, rate and applies gain_scale to both ramp_fit products', async () => {
    const p = PIPELINES.calwebb_detector1!;
    const { ctx, calls, saved } = toyContext(p, { save_calibrated_ramp: true });
    await p.run(model('RampModel', { instrument: { name: 'MIRI' }, exposure: { type: 'MIR_LRS-SLITLESS', nints: 4 } }), ctx);
    expect(saved.map((s) => s.suffix)).toEqual(['ramp', 'rateints', 'rate']);
    expect((saved[1]!.product as JwstModel).type).toBe('CubeModel');
    expect((saved[2]!.product as JwstModel).type).toBe('ImageModel');
    expect(calls.filter((c) => c.name === 'gain_scale')).toHaveLength(2);
    // every MIRI detector1 step applies: none is skipped by a mode rule
    expect(calls.filter((c) => c.forced)).toEqual([]);
    expect(calls.map((c) => c.name)).toEqual([...detector1Order({ instrument: { name: 'MIRI' } }), 'gain_scale']);
  });

  it('detector1 without save_calibrated_ramp writes rateints and rate only', async () => {
    const p = PIPELINES.calwebb_detector1!;
    const { ctx, saved } = toyContext(p);
    await p.run(model('RampModel', { instrument: { name: 'MIRI' } }), ctx);
    expect(saved.map((s) => s.suffix)).toEqual(['rateints', 'rate']);
  });

  it.skipIf(!HAVE_SHARED)('spec2 on LRS slitless rateints: calints + x1dints, cal_step as the real run recorded', async () => {
    const { ctx, saved } = toyContext(spec2);
    await spec2.run(model('CubeModel', LRS_TSO), ctx);
    expect(saved.map((s) => s.suffix)).toEqual(['calints', 'x1dints']);
    const cal = saved[0]!.product as JwstModel;
    const golden = JSON.parse(readFileSync(sharedPath('golden/lrs_spec2_tso3/p01_lrs_slitless_transit/expected.json'), 'utf8')) as { calints_meta: { cal_step: Record<string, string> } };
    const spec2Keys = new Set(spec2Order(LRS_TSO, true).map((n) => CAL_STEP_KEY[n] ?? n));
    const expected = Object.fromEntries(Object.entries(golden.calints_meta.cal_step).filter(([k]) => spec2Keys.has(k)));
    expect(cal.meta.cal_step).toEqual(expected);
    expect(cal.meta.asn).toEqual({ pool_name: 'singleton', table_name: 'singleton' });
  });

  it('spec2 on an LRS fixed-slit product passes the background members to bkg_subtract and writes cal, s2d, x1d', async () => {
    const { ctx, calls, saved } = toyContext(spec2, { save_bsub: true });
    const sci = tagMember(model('ImageModel', LRS_FS), { exptype: 'science', poolName: 'p', tableName: 'a_asn.json' });
    const bkg = tagMember(model('ImageModel', LRS_FS), { exptype: 'background' });
    await spec2.run([sci, bkg], ctx);
    expect(calls.find((c) => c.name === 'bkg_subtract')).toEqual({ name: 'bkg_subtract', skip: false, forced: false, n: 2 });
    expect(saved.map((s) => s.suffix)).toEqual(['bsub', 'cal', 's2d', 'x1d']);
    expect((saved[1]!.product as JwstModel).meta.asn).toEqual({ pool_name: 'p', table_name: 'a_asn.json' });
  });

  it('spec2 fails clearly on a path that is not built', async () => {
    const { ctx } = toyContext(spec2);
    await expect(spec2.run(model('ImageModel', { exposure: { type: 'NRS_MSASPEC' } }), ctx)).rejects.toMatchObject({ code: 'not-implemented' });
  });

  it('tso3 cleans each segment, combines x1dints in segment order and writes the white-light curve', async () => {
    const p = PIPELINES.calwebb_tso3!;
    const { ctx, saved } = toyContext(p);
    const seg = (n: number, nints: number) =>
      tagMember(model('CubeModel', { ...LRS_TSO, exposure: { type: 'MIR_LRS-SLITLESS', nints, segment_number: n } }), { exptype: 'science' });
    const out = (await p.run([seg(2, 3), seg(1, 5)], ctx)) as JwstModel;
    expect(saved.map((s) => s.suffix)).toEqual(['crfints', 'crfints', 'x1dints', 'whtlt']);
    const flux = out.parts![0]!.table!.columns[0]!.data as Float64Array;
    expect(out.parts![0]!.table!.nrows).toBe(8);
    expect(Array.from(flux)).toEqual([5, 5, 5, 5, 5, 3, 3, 3]);
  });
});
