import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParameterFile } from '../../core/asdf/index.ts';
import { CancelledError, StepError } from '../../core/errors/index.ts';
import type { RunEvent } from '../../core/stpipe/events.ts';
import { loadModel, writeModel } from '../../core/stpipe/model-io.node.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';
import { defineStep, type StepDefinition } from '../../core/stpipe/types.ts';
import { exportConfig } from '../../core/stpipe/resolve.node.ts';
import { runPipeline, runStep } from '../../core/stpipe/runner.node.ts';
import { addStep, buildCache, cancelStep, parsBytes, toyModel, toyPipeline, twoStep, type Seen } from './toys.ts';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'webbdesk-runner-'));
  dirs.push(d);
  return d;
}
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

type Refs = { ref_file: Record<string, { name?: string; context_used?: string }>; cal_step: Record<string, string> };
const NO_CRDS = { useCrdsSteppars: false } as const;
const dataOf = (m: unknown): number[] => [...((m as JwstModel).arrays.data.data as Float32Array)];

/** An uncal-like input file in a fresh directory. */
async function inputFile(name = 'jw01_mirimage_uncal.fits'): Promise<{ dir: string; file: string }> {
  const dir = await tmp();
  const file = path.join(dir, name);
  await writeModel(file, toyModel());
  return { dir, file };
}

describe('parameter precedence: defaults < CRDS pars-* < parameter file < command line', () => {
  async function setup(): Promise<{ dir: string; file: string; env: Record<string, string>; userPars: string }> {
    const { dir, file } = await inputFile();
    const env = buildCache(path.join(dir, 'crds'), { value: 2.5, mode: 'b', count: 7 });
    const userPars = path.join(dir, 'user.asdf');
    await writeFile(userPars, parsBytes('jwst.linearity.linearity_step.ToyLinearityStep', 'ToyLinearityStep', { value: 3.5, flag: true }));
    return { dir, file, env, userPars };
  }

  it('each level overrides the one below it, and only the keys it sets', async () => {
    const { dir, file, env, userPars } = await setup();
    const base = { cwd: dir, env, crds: { env } };
    const def = addStep();
    const only = await runStep(def, file, { ...base, useCrdsSteppars: false });
    expect(only.resolvedParams.parameters).toMatchObject({ value: 1, mode: 'a', flag: false, count: 3 });
    expect(dataOf(only.products[0])).toEqual([1, 2, 3, 4, 5, 6]);

    const crds = await runStep(def, file, base);
    expect(crds.resolvedParams.parameters).toMatchObject({ value: 2.5, mode: 'b', flag: false, count: 7 });
    expect(dataOf(crds.products[0])).toEqual([2.5, 3.5, 4.5, 5.5, 6.5, 7.5]);
    expect(crds.provenance.parameterFiles[0]).toMatch(/jwst_miri_pars-toylinearitystep_0001\.asdf$/);

    const withFile = await runStep(def, file, { ...base, paramFile: userPars });
    expect(withFile.resolvedParams.parameters).toMatchObject({ value: 3.5, mode: 'b', flag: true, count: 7 });

    const all = await runStep(def, file, { ...base, paramFile: userPars, cliParams: { value: '4.5', count: '9' } });
    expect(all.resolvedParams.parameters).toMatchObject({ value: 4.5, mode: 'b', flag: true, count: 9 });
    expect(dataOf(all.products[0])).toEqual([4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  });

  it('STPIPE_DISABLE_CRDS_STEPPARS turns the CRDS level off', async () => {
    const { dir, file, env } = await setup();
    const r = await runStep(addStep(), file, { cwd: dir, env: { ...env, STPIPE_DISABLE_CRDS_STEPPARS: 'True' }, crds: { env } });
    expect(r.resolvedParams.parameters.value).toBe(1);
  });

  it('pipeline steps: --steps.<alias>.<param> beats the parameter file section, which beats CRDS', async () => {
    const { dir, file, env } = await setup();
    const pf = path.join(dir, 'pipe.asdf');
    await writeFile(pf, parsBytes('jwst.pipeline.calwebb_toy.ToyPipeline', 'ToyPipeline', { save_calibrated_ramp: true }, [
      { className: 'x.ToyLinearityStep', name: 'linearity', parameters: { value: 3.5, mode: 'a' } },
    ]));
    const pipe = toyPipeline(addStep());
    const r = await runPipeline(pipe, file, { cwd: dir, env, crds: { env }, paramFile: pf, cliParams: { 'steps.linearity.value': '6' } });
    const lin = r.resolvedParams.steps?.find((s) => s.name === 'linearity');
    expect(lin?.parameters).toMatchObject({ value: 6, mode: 'a', count: 7 });
    expect(r.resolvedParams.parameters.save_calibrated_ramp).toBe(true);
    expect(dataOf(r.products[0])).toEqual([6, 7, 8, 9, 10, 11]);
  });
});

describe('parameter errors', () => {
  it('names an unknown parameter and its step', async () => {
    const { file } = await inputFile();
    await expect(runStep(addStep(), file, { ...NO_CRDS, cliParams: { foo: '1' } })).rejects.toThrow(/unknown parameter foo for ToyLinearityStep/);
    await expect(runPipeline(toyPipeline(addStep()), file, { ...NO_CRDS, cliParams: { 'steps.linearity.foo': '1' } }))
      .rejects.toThrow(/unknown parameter steps\.linearity\.foo for ToyLinearityStep/);
    await expect(runPipeline(toyPipeline(addStep()), file, { ...NO_CRDS, cliParams: { 'steps.nosuch.value': '1' } }))
      .rejects.toThrow(StepError);
    await expect(runStep(addStep(), file, { ...NO_CRDS, cliParams: { mode: 'c' } })).rejects.toThrow(/"c" is not one of a, b/);
  });
});

describe('references: override_<reftype>, N/A, CRDS', () => {
  it('uses an override path (recorded by base name), N/A, and CRDS bestrefs with the context recorded', async () => {
    const { dir, file } = await inputFile();
    const env = buildCache(path.join(dir, 'crds'), {});
    await writeFile(path.join(dir, 'my_gain.fits'), 'x');
    const seen: Seen = { refs: {} };
    const r = await runStep(addStep(seen, ['gain', 'readnoise']), file, {
      cwd: dir, useCrdsSteppars: false, crds: { env }, cliParams: { override_gain: 'my_gain.fits', override_readnoise: 'N/A' },
    });
    expect(seen.refs.gain).toMatchObject({ kind: 'file', path: path.join(dir, 'my_gain.fits'), name: 'my_gain.fits', source: 'override' });
    expect(seen.refs.readnoise).toMatchObject({ kind: 'not-applicable', source: 'override' });
    const meta = (r.products[0] as JwstModel).meta as unknown as Refs;
    expect(meta.ref_file.gain.name).toBe('my_gain.fits');
    expect(meta.ref_file.readnoise.name).toBe('N/A');
    expect(meta.cal_step.linearity).toBe('COMPLETE');

    const seen2: Seen = { refs: {} };
    const r2 = await runStep(addStep(seen2, ['gain', 'readnoise']), file, { cwd: dir, useCrdsSteppars: false, crds: { env } });
    expect(seen2.refs.gain).toMatchObject({ kind: 'file', name: 'crds://jwst_miri_gain_0001.fits', source: 'crds' });
    expect(seen2.refs.readnoise).toMatchObject({ kind: 'not-applicable', source: 'crds' });
    const m2 = (r2.products[0] as JwstModel).meta as unknown as Refs;
    expect(m2.ref_file.gain.name).toBe('crds://jwst_miri_gain_0001.fits');
    expect(m2.ref_file.crds.context_used).toBe('jwst_0001.pmap');
    expect(r2.provenance.steps[0].references).toEqual({ gain: 'crds://jwst_miri_gain_0001.fits', readnoise: 'N/A' });
  });

  it('a missing override file is an error naming the parameter', async () => {
    const { dir, file } = await inputFile();
    await expect(runStep(addStep({ refs: {} }, ['gain']), file, { cwd: dir, ...NO_CRDS, cliParams: { override_gain: 'nope.fits' } }))
      .rejects.toThrow(/override_gain.*nope\.fits/);
  });
});

describe('skip, save_results and output names', () => {
  it('skip=True passes the product through marked SKIPPED and writes nothing', async () => {
    const { dir, file } = await inputFile();
    const r = await runStep(addStep(), file, { ...NO_CRDS, cwd: dir, cliParams: { skip: 'True', save_results: 'True' } });
    expect(dataOf(r.products[0])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(((r.products[0] as JwstModel).meta.cal_step as Record<string, string>).linearity).toBe('SKIPPED');
    expect(r.outputs).toEqual([]);
    expect(r.provenance.steps[0].status).toBe('SKIPPED');
  });

  it('a step alone saves _<classname>; a list product _0_/_1_; output_dir and output_file are honoured', async () => {
    const { dir, file } = await inputFile('jw01_mirimage_jumpstep.fits');
    const one = await runStep(addStep(), file, { ...NO_CRDS, cwd: dir, cliParams: { save_results: true } });
    expect(one.outputs.map((p) => path.basename(p))).toEqual(['jw01_mirimage_toylinearitystep.fits']);
    const back = await loadModel(one.outputs[0]);
    expect(dataOf(back)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((back.meta.cal_step as Record<string, string>).linearity).toBe('COMPLETE');
    const two = await runStep(twoStep, file, { ...NO_CRDS, cwd: dir, cliParams: { save_results: 'true', output_dir: 'out' } });
    expect(two.outputs).toEqual([path.join(dir, 'out', 'jw01_mirimage_0_toyrampfitstep.fits'), path.join(dir, 'out', 'jw01_mirimage_1_toyrampfitstep.fits')]);
    expect((await loadModel(two.outputs[1])).type).toBe('CubeModel');
    const named = await runStep(addStep(), file, { ...NO_CRDS, cwd: dir, cliParams: { save_results: true, output_file: 'mine.fits', suffix: 'lin' } });
    expect(named.outputs.map((p) => path.basename(p))).toEqual(['mine_lin.fits']);
  });

  it('a pipeline writes _rate/_rateints from uncal, an intermediate with save_results as _<alias>, forced saves', async () => {
    const { dir, file } = await inputFile();
    const r = await runPipeline(toyPipeline(addStep()), file, {
      ...NO_CRDS, cwd: dir, cliParams: { save_results: 'True', 'steps.linearity.save_results': 'True', save_calibrated_ramp: 'True' },
    });
    expect(r.outputs.map((p) => path.basename(p))).toEqual([
      'jw01_mirimage_linearity.fits', 'jw01_mirimage_ramp.fits', 'jw01_mirimage_rate.fits', 'jw01_mirimage_rateints.fits',
    ]);
    const quiet = await runPipeline(toyPipeline(addStep()), file, { ...NO_CRDS, cwd: await tmp() });
    expect(quiet.outputs).toEqual([]);
    const named = await runPipeline(toyPipeline(addStep()), file, { ...NO_CRDS, cwd: dir, cliParams: { save_results: true, output_file: 'stage1' } });
    expect(named.outputs.map((p) => path.basename(p))).toEqual(['stage1_rate.fits', 'stage1_rateints.fits']);
  });
});

describe('table products', () => {
  it('a TableProduct is written with its own extension (_whtlt.ecsv)', async () => {
    const { dir, file } = await inputFile('jw01_mirimage_calints.fits');
    const wl = defineStep({
      name: 'white_light', className: 'ToyWhiteLightStep', summary: 'table', spec: {}, referenceTypes: [], suffix: 'whtlt',
      async run() { return { kind: 'table' as const, format: 'ecsv' as const, text: '# %ECSV 1.0\\nx\\n1\\n' }; },
    }) as StepDefinition;
    const r = await runStep(wl, file, { ...NO_CRDS, cwd: dir, cliParams: { save_results: true } });
    expect(r.outputs.map((p) => path.basename(p))).toEqual(['jw01_mirimage_whtlt.ecsv']);
    expect(await readFile(r.outputs[0], 'utf8')).toBe('# %ECSV 1.0\\nx\\n1\\n');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('events, cancellation, associations, exportConfig', () => {
  it('emits events in order and stpipe-style log lines', async () => {
    const { dir, file } = await inputFile();
    const events: RunEvent[] = [];
    const lines: string[] = [];
    await runPipeline(toyPipeline(addStep()), file, { ...NO_CRDS, cwd: dir, onEvent: (e) => events.push(e), logSink: (l) => lines.push(l) });
    const kinds = events.filter((e) => e.type !== 'log').map((e) => (e.type === 'step-started' || e.type === 'step-finished' || e.type === 'progress' ? `${e.type}:${e.step}` : e.type));
    expect(kinds).toEqual([
      'run-started', 'step-started:linearity', 'progress:linearity', 'progress:linearity', 'step-finished:linearity',
      'step-started:ramp_fit', 'step-finished:ramp_fit', 'run-finished',
    ]);
    const started = events.find((e) => e.type === 'step-started' && e.step === 'ramp_fit');
    expect(started).toMatchObject({ index: 1, total: 2 });
    expect(lines.some((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - stpipe\.ToyPipeline\.linearity - INFO - adding$/.test(l))).toBe(true);
  });

  it('cancellation rejects with CancelledError and leaves no file behind', async () => {
    const { dir, file } = await inputFile();
    const ac = new AbortController();
    const pipe = toyPipeline(addStep(), cancelStep(() => ac.abort()));
    const out = path.join(dir, 'out');
    const events: RunEvent[] = [];
    await expect(runPipeline(pipe, file, {
      ...NO_CRDS, cwd: dir, signal: ac.signal, onEvent: (e) => events.push(e),
      cliParams: { output_dir: 'out', save_results: true, 'steps.linearity.save_results': true, 'steps.linearity.output_dir': 'out' },
    })).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(out)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'cancelled' });
  });

  it('runs each association product; fail_on_exception decides whether one failure fails the run', async () => {
    const dir = await tmp();
    await writeModel(path.join(dir, 'a_rate.fits'), toyModel());
    const asn = { asn_type: 'spec2', asn_rule: 'test', products: [
      { name: 'prod_a', members: [{ expname: 'a_rate.fits', exptype: 'science' }] },
      { name: 'prod_b', members: [{ expname: 'missing_rate.fits', exptype: 'science' }] },
    ] };
    await writeFile(path.join(dir, 'asn.json'), JSON.stringify(asn));
    const ok = await runPipeline(toyPipeline(addStep()), path.join(dir, 'asn.json'), { ...NO_CRDS, cwd: dir, cliParams: { fail_on_exception: 'False', save_results: true } });
    expect(ok.failures.map((f) => f.product)).toEqual(['prod_b']);
    expect(ok.failures[0].error.message).toMatch(/missing_rate\.fits/);
    expect(ok.outputs.map((p) => path.basename(p))).toEqual(['prod_a_rate.fits', 'prod_a_rateints.fits']);
    expect((ok.products[0] as JwstModel).asn).toMatchObject({ exptype: 'science', productName: 'prod_a' });
    await expect(runPipeline(toyPipeline(addStep()), path.join(dir, 'asn.json'), { ...NO_CRDS, cwd: await tmp() })).rejects.toThrow(/missing_rate\.fits/);
  });

  it('exportConfig writes what readParameterFile reads back, floats as floats', async () => {
    const { dir, file } = await inputFile();
    const pipe = toyPipeline(addStep());
    const r = await runPipeline(pipe, file, { ...NO_CRDS, cwd: dir, cliParams: { 'steps.linearity.value': '4', 'steps.linearity.names': 'x,y' } });
    const out = path.join(dir, 'exported.asdf');
    await exportConfig(pipe, r.resolvedParams, out);
    const text = await readFile(out, 'latin1');
    expect(text).toMatch(/value: 4\.0/);
    const back = readParameterFile(new Uint8Array(await readFile(out)), out);
    expect(back.className).toBe('jwst.pipeline.calwebb_toy.ToyPipeline');
    expect(back.steps.map((s) => s.name)).toEqual(['linearity', 'ramp_fit']);
    expect(back.steps[0].parameters).toMatchObject({ value: 4, names: ['x', 'y'], skip: false, output_ext: '.fits', override_gain: null });
    const again = await runPipeline(pipe, file, { ...NO_CRDS, cwd: dir, paramFile: out });
    expect(again.resolvedParams).toEqual(r.resolvedParams);
  });
});
