/**
 * calwebb_spec2 + calwebb_tso3 streamed by integration chunks on a MIRI LRS
 * slitless TSO rateints (416 x 72 float32 planes SCI/ERR/DQ/VAR_POISSON/
 * VAR_RNOISE) of 250, 500 and 1000 integrations, synthesised by repeating
 * the 8 integrations of the golden LRS case (its references, extract1d JSON,
 * INT_TIMES extended at the same cadence). Each run is a child process so
 * its peak RSS is its own. Prints ms per integration, peak RSS (must stay
 * flat as nints grows) and the ratio to a plain read + write of the same
 * rateints (loadModel + writeModel).
 * Run: npx tsx bench/spec2-tso3.bench.ts   (env SPEC2_TSO3_BENCH_NINTS="250,500,1000";
 * WEBBDESK_CHUNK_BYTES to change the chunk budget, default 128 MiB).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setMeta } from '../core/datamodels/meta.ts';
import { PIPELINES } from '../core/pipelines/index.node.ts';
import { chunkBytes, openStreamed } from '../core/pipelines/stream/index.node.ts';
import { CubeSink } from '../core/pipelines/stream/sink.node.ts';
import { chunkSource } from '../core/pipelines/stream/source.node.ts';
import { loadModel, writeModel } from '../core/stpipe/model-io.node.ts';
import { runPipeline } from '../core/stpipe/runner.node.ts';
import { HAVE_SHARED, sharedPath } from '../test/shared.ts';
import { crdsEnv, extendTimes, runChild } from './golden-case.ts';

const here = fileURLToPath(import.meta.url);
const CASE = 'lrs_spec2_tso3/p01_lrs_slitless_transit';
const RATEINTS = 'jw09003003011_04101_00001-seg001_mirimage_rateints.fits';
const ref = (f: string) => sharedPath('golden', CASE, f);

/** A rateints of n integrations: the golden planes repeated, written plane-stream through CubeSink. */
async function synthesise(dir: string, n: number): Promise<string> {
  const stub = await openStreamed(ref(RATEINTS));
  const src = await chunkSource(stub);
  const gold = await src.read({ start: 0, stop: src.nints });
  await src.close();
  const sink = CubeSink.create(dir);
  for (let i = 0; i < n; i += src.nints) {
    const k = Math.min(src.nints, n - i);
    await sink.append(Object.fromEntries(Object.entries(gold).map(([a, v]) => [a, { ...v, data: v.data.subarray(0, k * v.shape[1]! * v.shape[2]!), shape: [k, v.shape[1]!, v.shape[2]!] }])));
  }
  const meta = structuredClone(stub.meta);
  setMeta(meta, 'exposure.nints', n);
  setMeta(meta, 'exposure.integration_end', n);
  const file = path.join(dir, RATEINTS);
  await sink.finish(file, { ...stub, meta, tables: { ...stub.tables, int_times: extendTimes(stub.tables.int_times!, n) } });
  return file;
}

const X1D = { 'steps.extract_1d.override_extract1d': ref('ref_extract1d_lrs.json'), 'steps.extract_1d.override_apcorr': 'N/A' };

/** Child: spec2 + tso3 streamed on the file; prints {ms, rss}. */
async function childPipeline(file: string): Promise<void> {
  const dir = path.dirname(file);
  const opts = { outputDir: dir, crds: { env: crdsEnv(dir, ref('crds_context')) }, env: { STPIPE_DISABLE_CRDS_STEPPARS: 'True' }, logSink: () => undefined };
  const t0 = performance.now();
  const s2 = await runPipeline(PIPELINES.calwebb_spec2!, await openStreamed(file), {
    ...opts,
    cliParams: {
      save_results: 'True', ...X1D,
      'steps.assign_wcs.override_distortion': ref('ref_distortion_mirimage.asdf'), 'steps.assign_wcs.override_specwcs': ref('ref_specwcs_lrs_slitless.fits'),
      'steps.flat_field.override_flat': ref('ref_flat_slitlessprism.fits'), 'steps.photom.override_photom': ref('ref_photom_lrs.fits'),
    },
  });
  const t1 = performance.now();
  const calints = s2.outputs.find((o) => o.endsWith('_calints.fits'))!;
  const t3 = await runPipeline(PIPELINES.calwebb_tso3!, [await openStreamed(calints)], {
    ...opts, cliParams: { save_results: 'True', ...X1D, 'steps.white_light.min_wavelength': '6.0', 'steps.white_light.max_wavelength': '10.0' },
  });
  const t2 = performance.now();
  const chunks = s2.provenance.steps.filter((s) => s.step === 'photom').length;
  const windows = t3.provenance.steps.filter((s) => s.step === 'outlier_detection').length;
  console.log(JSON.stringify({ spec2: t1 - t0, tso3: t2 - t1, rss: process.resourceUsage().maxRSS * 1024, chunks, windows, outputs: [...s2.outputs, ...t3.outputs].map((o) => path.basename(o)) }));
}

/** Child: plain read + write of the same rateints (whole file in memory). */
async function childCopy(file: string): Promise<void> {
  const t0 = performance.now();
  const m = await loadModel(file);
  await writeModel(path.join(path.dirname(file), 'copy_rateints.fits'), m);
  console.log(JSON.stringify({ ms: performance.now() - t0, rss: process.resourceUsage().maxRSS * 1024 }));
}

const MB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

async function main(): Promise<void> {
  if (!HAVE_SHARED) { console.log('spec2-tso3 bench: /work/shared (golden LRS case) not available, skipped'); return; }
  const nlist = (process.env.SPEC2_TSO3_BENCH_NINTS ?? '250,500,1000').split(',').map(Number);
  console.log(`spec2 + tso3 streamed, 416 x 72 float32, chunk budget ${MB(chunkBytes())} (WEBBDESK_CHUNK_BYTES)`);
  console.log('nints  input     spec2 ms/int  tso3 ms/int  total ms/int  peak RSS   chunks/windows  read+write ms/int  (RSS)     ratio');
  for (const n of nlist) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'webbdesk-bench-s2t3-'));
    try {
      const file = await synthesise(dir, n);
      const p = runChild(here, 'pipeline', file) as { spec2: number; tso3: number; rss: number; chunks: number; windows: number };
      const c = runChild(here, 'copy', file) as { ms: number; rss: number };
      const total = (p.spec2 + p.tso3) / n;
      console.log([
        String(n).padStart(5), MB(statSync(file).size).padStart(8), (p.spec2 / n).toFixed(2).padStart(13), (p.tso3 / n).toFixed(2).padStart(12),
        total.toFixed(2).padStart(13), MB(p.rss).padStart(10), `${p.chunks}/${p.windows}`.padStart(15), (c.ms / n).toFixed(2).padStart(18),
        `(${MB(c.rss)})`.padStart(10), (total / (c.ms / n)).toFixed(1).padStart(8),
      ].join(' '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const mode = process.argv[2];
if (mode === '--pipeline') await childPipeline(process.argv[3]!);
else if (mode === '--copy') await childCopy(process.argv[3]!);
else await main();
