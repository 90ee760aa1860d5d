/**
 * calwebb_detector1 on a ~2 GB MIRI SLITLESSPRISM uncal (416 x 72, uint16,
 * default 700 integrations x 50 groups), processed by row blocks
 * (WEBBDESK_CHUNK_BYTES, default 128 MiB). The uncal is synthesised plane by
 * plane through FitsWriter (headers and INT_TIMES of the golden detector1
 * p01 uncal, INT_TIMES extended at its cadence; ramps: pedestal + slope x
 * group + read noise, a few jumps), and run with the golden p01 reference
 * files as overrides (dark N/A: its 15 groups do not cover 50). Each run is
 * a child process so its peak RSS (VmHWM) is its own. Prints peak RSS, time
 * per integration and the ratio to a plain read of every SCI plane.
 * Measured (2 shared cores, ipc included, row stencil kernels): 700 ints, 1.95 GiB: 423.1 s =
 * 604 ms per integration, peak RSS 1284 MiB, 146.7x a plain read (2.9 s); 32 blocks of 13 rows
 * (+5 halo each side). 100 ints: 36.2 s = 362 ms per integration (5 blocks of 93 rows), 881 MiB.
 * The pipeline runs through the command line (`strun calwebb_detector1`, core/cli/main.ts).
 * Run: npx tsx bench/detector1-memory.bench.ts   (env D1_BENCH_NINTS, D1_BENCH_NGROUPS (match
 * D1_BENCH_FILE when given), D1_BENCH_SKIP=step,..., D1_BENCH_KEEP=1 keeps the synthesised
 * uncal, D1_BENCH_FILE=<uncal> reuses one, D1_BENCH_PROF=<file> writes the pipeline's CPU profile).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FitsFile, FitsWriter } from '../core/fits/index.node.ts';
import { ndarray } from '../core/ndarray/index.ts';
import { main as cliMain } from '../core/cli/main.ts';
import { gaussian, mulberry32 } from '../core/random/index.ts';
import { HAVE_SHARED, sharedPath } from '../test/shared.ts';
import { crdsEnv, extendTimes, runChild } from './golden-case.ts';

const here = fileURLToPath(import.meta.url);
const CASE = 'detector1_miri/p01_slitlessprism_tso';
const ref = (f: string) => sharedPath('golden', CASE, f);
const GOLD = ref('jw09002001011_03102_00001_mirimage_uncal.fits');
const NINTS = Number(process.env.D1_BENCH_NINTS ?? 700);
const NGROUPS = Number(process.env.D1_BENCH_NGROUPS ?? 50);

/** Write the synthetic uncal: primary, SCI (nints, ngroups, 416, 72) uint16 streamed per integration, INT_TIMES. */
async function synthesise(file: string): Promise<void> {
  const g = await FitsFile.open(GOLD);
  const prim = g.hdus[0]!.header.clone();
  const sciH = g.find('SCI')!.header.clone();
  const times = extendTimes(await g.readTable(g.find('INT_TIMES')!.index), NINTS);
  const timesH = g.find('INT_TIMES')!.header.clone();
  await g.close();
  prim.set('NINTS', NINTS);
  prim.set('NGROUPS', NGROUPS);
  prim.set('INTSTART', 1);
  prim.set('INTEND', NINTS);
  const [ny, nx] = [416, 72];
  const npix = ny * nx;
  const rnd = mulberry32(7);
  const gauss = gaussian(8);
  const ped = Float32Array.from({ length: npix }, () => 14000 + 400 * gauss());
  const slope = Float32Array.from({ length: npix }, (_, p) => 2 + 3 * rnd() + (Math.abs((p % nx) - 36) < 3 ? 40 : 0));
  const noise = Float32Array.from({ length: 1 << 20 }, () => 6 * gauss());
  const w = await FitsWriter.create(file);
  await w.addHdu({ header: prim });
  await w.beginImage(sciH, 'uint16', [NINTS, NGROUPS, ny, nx]);
  const plane = new Uint16Array(NGROUPS * npix);
  for (let i = 0; i < NINTS; i++) {
    const jumpPix = Math.floor(rnd() * npix), jumpAt = 1 + Math.floor(rnd() * (NGROUPS - 1));
    let k = Math.floor(rnd() * (1 << 20));
    for (let gr = 0; gr < NGROUPS; gr++) {
      const o = gr * npix;
      for (let p = 0; p < npix; p++) {
        plane[o + p] = ped[p]! + slope[p]! * (gr + 1) + noise[k]! + (p === jumpPix && gr >= jumpAt ? 800 : 0);
        k = (k + 1) & ((1 << 20) - 1);
      }
    }
    await w.writePlane(ndarray(plane, [NGROUPS, ny, nx]));
  }
  const cols = times.columns.map((c) => ({ name: c.name, tform: c.tform, data: c.data, cellShape: c.cellShape, ...(c.unit ? { unit: c.unit } : {}) }));
  await w.addHdu({ header: timesH, table: { columns: cols, nrows: times.nrows } });
  await w.close();
}

const vmHwm = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;

const CLI: Record<string, string> = {
  save_results: 'True',
  'steps.dq_init.override_mask': ref('ref_mask_slitlessprism.fits'),
  'steps.saturation.override_saturation': ref('ref_saturation_slitlessprism.fits'), 'steps.saturation.override_superbias': 'N/A',
  'steps.ipc.override_ipc': ref('ref_ipc.fits'), 'steps.reset.override_reset': ref('ref_reset_slitlessprism.fits'),
  'steps.linearity.override_linearity': ref('ref_linearity_slitlessprism.fits'), 'steps.rscd.override_rscd': ref('ref_rscd.fits'),
  'steps.dark_current.override_dark': 'N/A', 'steps.refpix.override_refpix': 'N/A', 'steps.refpix.override_sirskernel': 'N/A',
  'steps.jump.override_gain': ref('ref_gain_slitlessprism.fits'), 'steps.jump.override_readnoise': ref('ref_readnoise_slitlessprism.fits'),
  'steps.ramp_fit.override_gain': ref('ref_gain_slitlessprism.fits'), 'steps.ramp_fit.override_readnoise': ref('ref_readnoise_slitlessprism.fits'),
  'steps.gain_scale.override_gain': ref('ref_gain_slitlessprism.fits'), 'steps.emicorr.override_emicorr': 'N/A',
  'steps.picture_frame.override_pictureframe': 'N/A', 'steps.clean_flicker_noise.override_flat': 'N/A', 'steps.clean_flicker_noise.override_pastasoss': 'N/A',
};

// D1_BENCH_SKIP=ipc,... skips steps (e.g. to time the rest without one).
for (const name of (process.env.D1_BENCH_SKIP ?? '').split(',').filter(Boolean)) CLI[`steps.${name}.skip`] = 'True';

/** Start the V8 CPU profiler (D1_BENCH_PROF=<file.cpuprofile>); the returned function stops it and writes the profile. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> => new Promise((res, rej) => session.post(method, (e, r) => (e ? rej(e) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async (file) => {
    const r = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(r.profile));
    session.disconnect();
  };
}

/**
 * The command-line path: `webbdesk strun calwebb_detector1 <uncal> --k=v ...`
 * (core/cli/main.ts main, as bin/webbdesk.js runs it) with the case's CRDS
 * environment; the runner opens the large uncal as a stream stub.
 */
async function childPipeline(file: string): Promise<void> {
  const dir = path.join(path.dirname(file), 'out');
  mkdirSync(dir, { recursive: true });
  Object.assign(process.env, crdsEnv(path.dirname(file), ref('crds_context')), { STPIPE_DISABLE_CRDS_STEPPARS: 'True' });
  const argv = ['strun', 'calwebb_detector1', file, `--output_dir=${dir}`, ...Object.entries(CLI).map(([k, v]) => `--${k}=${v}`)];
  const t = performance.now();
  let blocks = '', err = '';
  const keep = (s: string): void => { const m = /Streaming \d+ rows.*/.exec(s); if (m) blocks = m[0]; };
  const prof = process.env.D1_BENCH_PROF ? await startProfile() : undefined;
  const code = await cliMain(argv, { stdout: keep, stderr: (s) => { keep(s); err += s; } });
  const ms = performance.now() - t;
  if (prof) await prof(process.env.D1_BENCH_PROF!);
  if (code !== 0) throw new Error(`strun exit ${code}: ${err.slice(-2000)}`);
  const outputs = readdirSync(dir).map((o) => `${o} ${(statSync(path.join(dir, o)).size / 2 ** 20).toFixed(0)} MiB`);
  process.stdout.write(JSON.stringify({ ms, rss: vmHwm(), blocks, outputs }));
}

/** A plain read of every SCI plane once (the I/O floor). */
async function childRead(file: string): Promise<void> {
  const t = performance.now();
  const f = await FitsFile.open(file);
  const sci = f.find('SCI')!.index;
  let sum = 0;
  const nints = Number(f.hdus[sci]!.header.get('NAXIS4'));
  for (let i = 0; i < nints; i++) sum += ((await f.readPlane(sci, [i])).data as Uint16Array)[0]!;
  await f.close();
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, rss: vmHwm(), sum }));
}

async function main(): Promise<void> {
  if (!HAVE_SHARED) { console.log('detector1-memory bench: /work/shared not available, skipped'); return; }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'webbdesk-d1mem-'));
  try {
    const file = path.join(dir, 'jw09002001011_03102_00001_mirimage_uncal.fits');
    let t = performance.now();
    const given = process.env.D1_BENCH_FILE;
    if (given) symlinkSync(path.resolve(given), file);
    else await synthesise(file);
    const gib = statSync(file).size / 2 ** 30;
    console.log(`uncal ${NINTS} ints x ${NGROUPS} groups x 416 x 72 uint16: ${gib.toFixed(2)} GiB ${given ? `(${given})` : `written in ${((performance.now() - t) / 1000).toFixed(1)} s`}`);
    if (process.env.D1_BENCH_KEEP && !given) console.log(`kept: ${file} (reuse with D1_BENCH_FILE)`);
    t = performance.now();
    const rd = runChild(here, 'read', file) as { ms: number; rss: number };
    const p = runChild(here, 'pipeline', file) as { ms: number; rss: number; blocks: string; outputs: string[] };
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    console.log(`plain read of every SCI plane: ${(rd.ms / 1000).toFixed(1)} s, peak RSS ${mib(rd.rss)}`);
    console.log(`calwebb_detector1${process.env.D1_BENCH_SKIP ? ` (skipped: ${process.env.D1_BENCH_SKIP})` : ''}: ${p.blocks}`);
    console.log(`calwebb_detector1: ${(p.ms / 1000).toFixed(1)} s (${(p.ms / NINTS).toFixed(1)} ms per integration), peak RSS ${mib(p.rss)} (${(p.rss / 2 ** 30).toFixed(2)} GiB; bar 1.5 GB), ${(p.ms / rd.ms).toFixed(1)}x the plain read`);
    console.log(`outputs: ${p.outputs.join(', ')}`);
  } finally {
    if (process.env.D1_BENCH_KEEP && !process.env.D1_BENCH_FILE) rmSync(path.join(dir, 'out'), { recursive: true, force: true });
    else rmSync(dir, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === '--pipeline') await childPipeline(process.argv[3]!);
else if (mode === '--read') await childRead(process.argv[3]!);
else await main();
