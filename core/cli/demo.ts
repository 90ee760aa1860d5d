/**
 * `webbdesk demo [DIR] [--no-run] [--nints N] [--ngroups N]`: creates the demo
 * project, a simulated MIRI LRS slitless TSO of a transiting planet
 * (core/simulate: uncal, truth.json, truth.fits, and the reference files in
 * DIR/crds_cache under the local context jwst_webbdesk_0001.pmap), then runs
 * calwebb_detector1 -> calwebb_spec2 -> asn_from_list -> calwebb_tso3 on it
 * with every reference chosen by CRDS from that context, printing where each
 * product went (the stpipe log goes to DIR/demo.log), then fits the
 * limb-darkened transit to the white-light curve (core/analysis) and prints
 * the fitted depth (Rp/Rs)^2 and mid-time against the injected ones.
 * `--no-run` only creates the project; `--kmag`/`--depth` set the star and transit.
 *
 * writeDemoRateints (the earlier placeholder product) stays exported for the
 * API fixtures until they switch to the simulated project.
 */
import { appendFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFits } from '../fits/index.node.ts';
import { Header } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { gaussian } from '../random/index.ts';
import type { CliIO, Command } from './main.ts';
import { parseOptions } from './simulate.ts';

/** Synthetic `_rateints` (the earlier placeholder; kept for the API fixtures). */
export async function writeDemoRateints(dir: string, nints = 20): Promise<string> {
  const ny = 416, nx = 72;
  const n = nints * ny * nx;
  const sci = new Float32Array(n), err = new Float32Array(n), dq = new Uint32Array(n);
  const vp = new Float32Array(n), vr = new Float32Array(n);
  const rnd = gaussian(20261121);
  const tEff = 9.5; // seconds of effective integration
  const rnVar = 0.02; // (DN/s)^2 read-noise variance of a slope
  for (let k = 0; k < nints; k++) {
    for (let y = 0; y < ny; y++) {
      // Trace brighter toward the blue end of the prism (low rows), centred on column 36.
      const spectral = y > 20 && y < 400 ? 400 * Math.exp(-(((y - 300) / 140) ** 2)) : 0;
      for (let x = 0; x < nx; x++) {
        const i = (k * ny + y) * nx + x;
        const bkg = 5 + 0.02 * (ny - y);
        const rate = bkg + spectral * Math.exp(-0.5 * (((x - 36) / 1.2) ** 2));
        const poisson = rate / tEff;
        sci[i] = rate + Math.sqrt(poisson + rnVar) * rnd();
        vp[i] = poisson;
        vr[i] = rnVar;
        err[i] = Math.sqrt(poisson + rnVar);
        if (x < 4) dq[i] = 2147483649; // reference columns: REFERENCE_PIXEL | DO_NOT_USE
      }
    }
  }
  const primary = new Header();
  const kv: Array<[string, string | number | boolean]> = [
    ['DATAMODL', 'CubeModel'], ['TELESCOP', 'JWST'], ['INSTRUME', 'MIRI'], ['DETECTOR', 'MIRIMAGE'], ['FILTER', 'P750L'],
    ['EXP_TYPE', 'MIR_LRS-SLITLESS'], ['TSOVISIT', true], ['NINTS', nints], ['NGROUPS', 50], ['NFRAMES', 1], ['GROUPGAP', 0],
    ['READPATT', 'FASTR1'], ['TFRAME', 0.159], ['TGROUP', 0.159], ['EFFINTTM', tEff], ['SUBARRAY', 'SLITLESSPRISM'],
    ['SUBSTRT1', 1], ['SUBSTRT2', 529], ['SUBSIZE1', nx], ['SUBSIZE2', ny], ['DATE-OBS', '2026-11-21'], ['TIME-OBS', '00:00:00.000'],
    ['EXPSTART', 61000.0], ['S_RAMP', 'COMPLETE'], ['FILENAME', 'jw09999001001_03101_00001-seg001_mirimage_rateints.fits'],
  ];
  for (const [k, v] of kv) primary.set(k, v);
  const ext = (name: string, extra: Array<[string, string]> = []) => {
    const h = new Header().set('EXTNAME', name);
    for (const [k, v] of extra) h.set(k, v);
    return h;
  };
  const shape = [nints, ny, nx];
  const tStart = Float64Array.from({ length: nints }, (_, k) => 61000 + (k * tEff) / 86400);
  const file = path.join(dir, 'jw09999001001_03101_00001-seg001_mirimage_rateints.fits');
  await writeFits(file, [
    { header: primary },
    { header: ext('SCI', [['BUNIT', 'DN/s'], ['SRCTYPE', 'POINT']]), image: ndarray(sci, shape) },
    { header: ext('ERR', [['BUNIT', 'DN/s']]), image: ndarray(err, shape) },
    { header: ext('DQ'), image: ndarray(dq, shape) },
    {
      header: ext('INT_TIMES'),
      table: {
        nrows: nints,
        columns: [
          { name: 'integration_number', tform: 'J', data: Int32Array.from({ length: nints }, (_, k) => k + 1) },
          { name: 'int_start_MJD_UTC', tform: 'D', data: tStart },
          { name: 'int_mid_MJD_UTC', tform: 'D', data: tStart.map((t) => t + tEff / 2 / 86400) },
          { name: 'int_end_MJD_UTC', tform: 'D', data: tStart.map((t) => t + tEff / 86400) },
        ],
      },
    },
    { header: ext('VAR_POISSON'), image: ndarray(vp, shape) },
    { header: ext('VAR_RNOISE'), image: ndarray(vr, shape) },
  ]);
  return file;
}

export interface DemoOptions {
  readonly nints?: number;
  readonly ngroups?: number;
  readonly run?: boolean;
  readonly seed?: number;
  /** Star K magnitude (simulator default 9) and transit depth (Rp/Rs)^2 (default 0.01). */
  readonly kmag?: number;
  readonly depth?: number;
}

/** The transit fitted to the tso3 white-light curve, next to the injected values. */
export interface DemoTransitFit {
  readonly file: string;
  readonly points: number;
  /** Fitted (Rp/Rs)^2 and 1-sigma error; injected truth.json `depth`. */
  readonly depth: number;
  readonly depthErr: number;
  readonly injectedDepth: number;
  /** Fitted minus injected mid-time, days (MJD UTC) and in integration durations. */
  readonly tMidOffsetDays: number;
  readonly tMidErrDays: number;
  readonly tMidOffsetIntegrations: number;
  readonly integrationDays: number;
}

export interface DemoResult {
  readonly uncal: string;
  readonly truth: string;
  readonly products: Record<string, string[]>;
  /** Stage that failed, with its message (the earlier products stay). */
  readonly failed?: { stage: string; message: string };
  /** The white-light transit fit (absent when tso3 did not run or wrote no _whtlt.ecsv). */
  readonly fit?: DemoTransitFit;
}

const PRODUCT = 'jw09999-o001_t001_miri_p750l-slitlessprism';

/** Create the demo project in `dir` and (unless run === false) reduce it. */
export async function runDemo(dir: string, io: CliIO, o: DemoOptions = {}): Promise<DemoResult> {
  await mkdir(dir, { recursive: true });
  const { simulateLrsTso } = await import('../simulate/lrs-tso.node.ts');
  io.stdout(`webbdesk demo: simulating a MIRI LRS slitless transit in ${dir}\n`);
  const sim = await simulateLrsTso({
    out: dir, nints: o.nints ?? 200, ngroups: o.ngroups ?? 8, seed: o.seed ?? 2026, kmag: o.kmag, depth: o.depth,
    onProgress: (d, t) => { if (d === t || d % 50 === 0) io.stdout(`  simulated integration ${d}/${t}\n`); },
  });
  const t = sim.truth;
  io.stdout(`  uncal:   ${sim.uncal}\n  truth:   ${sim.truthJson} (Rp/Rs ${t.rp_rs.toFixed(4)}, depth ${t.depth.toFixed(5)}, central drop ${t.central_depth.toFixed(5)}, `
    + `t_mid ${t.t_mid_mjd.toFixed(6)} MJD, T14 ${(t.t14_days * 24 * 60).toFixed(2)} min)\n  CRDS:    ${sim.crdsPath} context ${sim.context} (${sim.references.length} references)\n`);
  const products: Record<string, string[]> = {};
  const result = (failed?: DemoResult['failed'], fit?: DemoTransitFit): DemoResult => ({ uncal: sim.uncal, truth: sim.truthJson, products, failed, fit });
  if (o.run === false) return result();
  const [{ runPipeline }, { PIPELINES }, { resolveConfig }, { asnFromList }, { writeAssociation }] = await Promise.all([
    import('../stpipe/index.node.ts'), import('../pipelines/index.node.ts'), import('../crds/config.node.ts'),
    import('../associations/asn.ts'), import('../associations/io.node.ts'),
  ]);
  const log = path.join(dir, 'demo.log');
  await writeFile(log, '');
  const env = { ...process.env, CRDS_PATH: sim.crdsPath, CRDS_MODE: 'local', CRDS_CONTEXT: sim.context };
  const opts = {
    outputDir: dir, cwd: dir, useCrdsSteppars: false, env, cliParams: { save_results: true }, crds: { config: resolveConfig(env), context: sim.context },
    logSink: (line: string) => appendFileSync(log, line + '\n'),
  };
  // White light over 6-10 um, as the MIRI LRS TSO notebook (seed 004) runs calwebb_tso3.
  const stageParams: Record<string, Record<string, unknown>> = {
    calwebb_tso3: { 'steps.white_light.min_wavelength': 6, 'steps.white_light.max_wavelength': 10 },
  };
  const stage = async (name: string, input: string): Promise<string[]> => {
    io.stdout(`webbdesk demo: ${name} ${path.basename(input)}\n`);
    const started = Date.now();
    const r = await runPipeline(PIPELINES[name]!, input, { ...opts, cliParams: { ...opts.cliParams, ...stageParams[name] } });
    products[name] = r.outputs;
    for (const p of r.outputs) io.stdout(`  wrote ${p}\n`);
    io.stdout(`  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return r.outputs;
  };
  let current = 'calwebb_detector1';
  try {
    const det1 = await stage(current, sim.uncal);
    const rateints = det1.find((p) => p.endsWith('_rateints.fits'));
    if (!rateints) throw new Error('calwebb_detector1 wrote no _rateints product');
    current = 'calwebb_spec2';
    const spec2 = await stage(current, rateints);
    const calints = spec2.find((p) => p.endsWith('_calints.fits'));
    if (!calints) throw new Error('calwebb_spec2 wrote no _calints product');
    current = 'asn_from_list';
    const asnFile = path.join(dir, `${PRODUCT}_tso3_asn.json`);
    await writeAssociation(asnFile, asnFromList([path.basename(calints)], { rule: 'DMS_Level3_Base', product_name: PRODUCT }));
    products.asn_from_list = [asnFile];
    io.stdout(`webbdesk demo: asn_from_list -> ${asnFile}\n`);
    current = 'calwebb_tso3';
    await stage(current, asnFile);
  } catch (e) {
    const message = (e as Error).message;
    io.stderr(`webbdesk demo: ${current} failed: ${message}\n  (the stpipe log is in ${log}; products written so far are kept)\n`);
    return result({ stage: current, message });
  }
  await reportWhiteLight(products.calwebb_tso3 ?? [], sim.truthJson, io);
  return result(undefined, await reportTransitFit(products.calwebb_tso3 ?? [], sim.truthJson, io));
}

/** Print the white-light transit drop measured by calwebb_tso3 next to the injected one. */
async function reportWhiteLight(outputs: readonly string[], truthJson: string, io: CliIO): Promise<void> {
  const file = outputs.find((p) => p.endsWith('_whtlt.ecsv'));
  if (!file) return;
  const [{ readFile }, { readEcsv }, { compareWhiteLight }] = await Promise.all([
    import('node:fs/promises'), import('../ecsv/index.ts'), import('../simulate/compare.ts'),
  ]);
  const truth = JSON.parse(await readFile(truthJson, 'utf8')) as { relative_flux: number[]; central_depth: number };
  const t = readEcsv(await readFile(file, 'utf8'), file);
  const col = t.columns.find((c) => c.name === 'whitelight_flux');
  if (!col) return;
  const c = compareWhiteLight(Array.from(col.data as ArrayLike<number>), truth.relative_flux, truth.central_depth);
  io.stdout(`webbdesk demo: white light ${path.basename(file)}: ${c.points} points; in-transit drop ${c.measured.toFixed(5)} +- ${c.sigma.toFixed(5)} `
    + `(injected ${c.injected.toFixed(5)} over ${c.nIn} integrations: ${(Math.abs(c.measured - c.injected) / c.sigma).toFixed(1)} sigma)\n`);
}

interface TruthJson { depth: number; t_mid_mjd: number; t14_days: number; b: number; u1: number; u2: number }

/**
 * Fit the limb-darkened transit (core/analysis, t14/b/u1/u2 fixed at the
 * injected values; free depth, mid-time, baseline and slope) to the
 * white-light curve and print it next to the injected depth and mid-time.
 */
async function reportTransitFit(outputs: readonly string[], truthJson: string, io: CliIO): Promise<DemoTransitFit | undefined> {
  const file = outputs.find((p) => p.endsWith('_whtlt.ecsv'));
  if (!file) return undefined;
  const [{ readFile }, { readEcsv }, { fitWhiteLight }] = await Promise.all([
    import('node:fs/promises'), import('../ecsv/index.ts'), import('../analysis/white-light.ts'),
  ]);
  const truth = JSON.parse(await readFile(truthJson, 'utf8')) as TruthJson;
  const table = readEcsv(await readFile(file, 'utf8'), file);
  try {
    const r = fitWhiteLight(table, { t14: truth.t14_days, b: truth.b, u1: truth.u1, u2: truth.u2, file });
    const mjd = table.columns.find((c) => c.name === 'MJD_UTC')!.data as ArrayLike<number>;
    const integrationDays = mjd.length > 1 ? (mjd[mjd.length - 1]! - mjd[0]!) / (mjd.length - 1) : NaN;
    const off = r.tMid - truth.t_mid_mjd;
    const fit: DemoTransitFit = {
      file, points: r.rows, depth: r.depth, depthErr: r.depthErr, injectedDepth: truth.depth,
      tMidOffsetDays: off, tMidErrDays: r.tMidErr, tMidOffsetIntegrations: off / integrationDays, integrationDays,
    };
    io.stdout(`webbdesk demo: transit depth: fitted ${r.depth.toFixed(5)} ± ${r.depthErr.toFixed(5)} (injected ${truth.depth.toFixed(5)}), `
      + `mid-time offset ${fit.tMidOffsetIntegrations.toFixed(2)} integrations (± ${(r.tMidErr / integrationDays).toFixed(2)})\n`);
    return fit;
  } catch (e) {
    io.stderr(`webbdesk demo: transit fit of ${path.basename(file)} failed: ${(e as Error).message}\n`);
    return undefined;
  }
}

export const demoCommand: Command = async (argv, io) => {
  const { positional, opts } = parseOptions(argv.map((a) => (a === '--no-run' ? '--no-run=true' : a)));
  if (opts.has('help')) {
    io.stdout('usage: webbdesk demo [DIR] [--no-run] [--nints 200] [--ngroups 8] [--seed S] [--kmag 9] [--depth 0.01]\n');
    return 0;
  }
  const dir = path.resolve(positional[0] ?? 'webbdesk-demo');
  const num = (k: string) => (opts.has(k) ? Number(opts.get(k)) : undefined);
  const r = await runDemo(dir, io, { run: !opts.has('no-run'), nints: num('nints'), ngroups: num('ngroups'), seed: num('seed'),
    kmag: num('kmag'), depth: num('depth') });
  return r.failed ? 1 : 0;
};
