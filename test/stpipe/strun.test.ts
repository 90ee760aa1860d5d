import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParameterFile } from '../../core/asdf/index.ts';
import { parseStrunArgs } from '../../core/cli/strun-args.ts';
import { makeStrun, strunCommand } from '../../core/cli/strun.ts';
import { StepError } from '../../core/errors/index.ts';
import { loadModel, writeModel } from '../../core/stpipe/model-io.node.ts';
import { coerceParam } from '../../core/stpipe/params-resolve.ts';
import { param } from '../../core/stpipe/param.ts';
import { NO_SCIENCE_DATA } from '../../core/stpipe/runner.node.ts';
import { defineStep, type StepDefinition } from '../../core/stpipe/types.ts';
import { outputName, removeSuffix } from '../../core/stpipe/naming.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { addStep, toyModel, toyPipeline, twoStep } from './toys.ts';
import { readFile } from 'node:fs/promises';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'webbdesk-strun-'));
  dirs.push(d);
  return d;
}
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
}

const emptyStep = defineStep({
  name: 'extract_1d', className: 'ToyExtract1dStep', summary: 'finds no data', spec: {}, referenceTypes: [],
  async run() { throw new StepError(NO_SCIENCE_DATA, 'no science data on the detector'); },
}) as StepDefinition;
const pipe = toyPipeline(addStep());
const toyStrun = makeStrun(async () => ({ steps: { linearity: addStep(), ramp_fit: twoStep, extract_1d: emptyStep }, pipelines: { calwebb_toy: pipe } }));

describe('strun arguments', () => {
  const lookup = (n: string) => (n === 'calwebb_toy' ? pipe : n === 'linearity' ? addStep() : undefined);

  it('takes --x=v and --x v, bare booleans as True, steps.<alias>.<param>, and its own switches', () => {
    const a = parseStrunArgs(['calwebb_toy', 'in.fits', '--save_calibrated_ramp', '--steps.linearity.value', '4.5',
      '--steps.linearity.skip', '--steps.linearity.mode=b', '--disable-crds-steppars', '--save-parameters', 'p.asdf', '--output_dir', 'out'], lookup);
    expect(a).toMatchObject({ target: 'calwebb_toy', input: 'in.fits', disableCrdsSteppars: true, saveParameters: 'p.asdf' });
    expect(a.params).toEqual({ save_calibrated_ramp: 'True', 'steps.linearity.value': '4.5', 'steps.linearity.skip': 'True', 'steps.linearity.mode': 'b', output_dir: 'out' });
    const b = parseStrunArgs(['linearity', '--flag', 'False', 'x.fits', '--save_results'], lookup);
    expect(b).toMatchObject({ target: 'linearity', input: 'x.fits', params: { flag: 'False', save_results: 'True' } });
    expect(() => parseStrunArgs(['linearity', 'x.fits', '--value'], lookup)).toThrow(/--value needs a value/);
  });

  it('coerces command-line strings by kind as configobj does', () => {
    expect(coerceParam(param.bool(false, ''), 'True', 'x', 'S')).toBe(true);
    expect(coerceParam(param.bool(true, ''), 'false', 'x', 'S')).toBe(false);
    expect(coerceParam(param.float(null, ''), 'None', 'x', 'S')).toBe(null);
    expect(coerceParam(param.float(1, ''), '4.5', 'x', 'S')).toBe(4.5);
    expect(coerceParam(param.float(1, ''), '-inf', 'x', 'S')).toBe(-Infinity);
    expect(coerceParam(param.int(1, ''), '7', 'x', 'S')).toBe(7);
    expect(() => coerceParam(param.int(1, ''), '7.5', 'x', 'S')).toThrow(/"7.5" is not a integer \(S\)/);
    expect(coerceParam(param.intList(null, ''), '1, 2,3', 'x', 'S')).toEqual([1, 2, 3]);
    expect(coerceParam(param.floatList(null, ''), '[0.5,2]', 'x', 'S')).toEqual([0.5, 2]);
    expect(coerceParam(param.stringList(null, ''), 'a,b', 'x', 'S')).toEqual(['a', 'b']);
    expect(coerceParam(param.string('1', ''), 3, 'x', 'S')).toBe('3');
    expect(coerceParam(param.option(['OLS_C', 'LIKELY'], 'OLS_C', ''), 'LIKELY', 'x', 'S')).toBe('LIKELY');
    expect(() => coerceParam(param.bool(false, ''), 'maybe', 'x', 'S')).toThrow(StepError);
  });
});

describe('output names as stpipe makes them', () => {
  it('strips known suffixes and adds index and suffix', () => {
    expect(outputName({ base: '/d/jw01_mirimage_uncal.fits', suffix: 'rate' })).toBe('jw01_mirimage_rate.fits');
    expect(outputName({ base: 'jw01_mirimage_rateints.fits', suffix: 'calints' })).toBe('jw01_mirimage_calints.fits');
    expect(outputName({ base: 'jw01_mirimage_jumpstep.fits', suffix: 'rampfitstep', index: 1 })).toBe('jw01_mirimage_1_rampfitstep.fits');
    expect(outputName({ base: 'jw01_mirimage_0_rampfitstep.fits', suffix: 'cal' })).toBe('jw01_mirimage_cal.fits');
    expect(outputName({ base: 'jw01_mirimage_calints.fits', suffix: 'whtlt', ext: '.ecsv' })).toBe('jw01_mirimage_whtlt.ecsv');
    expect(outputName({ base: 'jw01_mirimage_ramp_fit.fits', suffix: 'x1dints' })).toBe('jw01_mirimage_x1dints.fits');
    expect(removeSuffix('jw09001001011_01101_00001_mirimage')).toBe('jw09001001011_01101_00001_mirimage');
    expect(removeSuffix('jw01_00001_nrs1_cal')).toBe('jw01_00001_nrs1');
  });
});

describe('webbdesk strun', () => {
  it('--list, --help, exit codes 0 / 1 / 64 with one clear stderr line', async () => {
    const l = io();
    expect(await toyStrun(['--list'], l.io)).toBe(0);
    expect(l.out.join('')).toMatch(/pipelines:\n {2}calwebb_toy +ToyPipeline[\s\S]*steps:\n[\s\S]*linearity +ToyLinearityStep/);
    const h = io();
    expect(await toyStrun(['linearity', '--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/--value +float, default 1\.0\n +value added/);
    expect(h.out.join('')).toMatch(/reference types: gain, readnoise/);
    const d = await tmp();
    await writeModel(path.join(d, 'x_uncal.fits'), toyModel());
    const bad = io();
    expect(await toyStrun(['linearity', path.join(d, 'x_uncal.fits'), '--disable-crds-steppars', '--nosuch=1'], bad.io)).toBe(1);
    expect(bad.err.filter((x) => x.startsWith('webbdesk strun:'))).toEqual(['webbdesk strun: parameter nosuch: unknown parameter nosuch for ToyLinearityStep\n']);
    const none = io();
    expect(await toyStrun(['extract_1d', path.join(d, 'x_uncal.fits'), '--disable-crds-steppars'], none.io)).toBe(64);
    const missing = io();
    expect(await toyStrun(['linearity', path.join(d, 'nope.fits'), '--disable-crds-steppars'], missing.io)).toBe(1);
    expect(missing.err.at(-1)).toMatch(/nope\.fits: cannot open/);
  });

  it('runs a pipeline, saves its products by default, and writes --save-parameters', async () => {
    const d = await tmp();
    const input = path.join(d, 'x_uncal.fits');
    await writeModel(input, toyModel());
    const r = io();
    const pars = path.join(d, 'p.asdf');
    expect(await toyStrun(['calwebb_toy', input, '--disable-crds-steppars', `--output_dir=${d}`, '--steps.linearity.value', '2', '--save-parameters', pars], r.io)).toBe(0);
    expect((await readdir(d)).sort()).toEqual(['p.asdf', 'x_rate.fits', 'x_rateints.fits', 'x_uncal.fits']);
    expect([...((await loadModel(path.join(d, 'x_rate.fits'))).arrays.data.data as Float32Array)]).toEqual([2, 3, 4, 5, 6, 7]);
    const p = readParameterFile(new Uint8Array(await readFile(pars)), pars);
    expect(p.steps[0].parameters.value).toBe(2);
    // The parameter file as the target: same class, its values.
    const again = io();
    const d2 = await tmp();
    expect(await toyStrun([pars, input, '--disable-crds-steppars', `--output_dir=${d2}`], again.io)).toBe(0);
    expect([...((await loadModel(path.join(d2, 'x_rate.fits'))).arrays.data.data as Float32Array)]).toEqual([2, 3, 4, 5, 6, 7]);
  });
});

const CASE = 'golden/ramp_fit_jump/p01_sub64_imaging';
describe.skipIf(!HAVE_SHARED)('webbdesk strun on a golden case command line', () => {
  it('strun jump ... --override_gain --override_readnoise writes _jumpstep with the pipeline GROUPDQ flags', async () => {
    const d = await tmp();
    const c = (f: string) => sharedPath(CASE, f);
    const saved = { ...process.env };
    Object.assign(process.env, { CRDS_MODE: 'local', CRDS_PATH: path.join(d, 'crds'), CRDS_MAPPATH_SINGLE: c('crds_context'), CRDS_CONTEXT: 'jwst_golden_0001.pmap', STPIPE_DISABLE_CRDS_STEPPARS: 'True' });
    try {
      const r = io();
      const code = await strunCommand(['jump', c('jw09001001011_01101_00001_mirimage_ramp.fits'), `--override_gain=${c('ref_gain_sub64.fits')}`,
        `--override_readnoise=${c('ref_readnoise_sub64.fits')}`, '--save_results=True', `--output_dir=${d}`], r.io);
      expect(r.err.filter((x) => x.startsWith('webbdesk'))).toEqual([]);
      expect(code).toBe(0);
    } finally {
      process.env = saved;
    }
    const mine = await loadModel(path.join(d, 'jw09001001011_01101_00001_mirimage_jumpstep.fits'));
    const gold = await loadModel(c('jw09001001011_01101_00001_mirimage_jumpstep.fits'));
    const a = mine.arrays.groupdq.data as Uint8Array;
    const b = gold.arrays.groupdq.data as Uint8Array;
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
    expect(differ / a.length).toBeLessThanOrEqual(1e-4);
    expect(mine.meta).toMatchObject({ cal_step: { jump: 'COMPLETE' }, ref_file: { gain: { name: 'ref_gain_sub64.fits' }, crds: { context_used: 'jwst_golden_0001.pmap' } } });
  });
});
