/**
 * Streamed spec2/tso3 (tiny WEBBDESK_CHUNK_BYTES: 2-integration chunks) give
 * the same products as the whole-cube runs on the golden LRS slitless TSO
 * rateints: every array and table of calints, x1dints, crfints, the combined
 * x1dints and the white-light ECSV.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../core/fits/index.node.ts';
import { PIPELINES } from '../../core/pipelines/index.node.ts';
import { openStreamed, streamInfo } from '../../core/pipelines/stream/index.node.ts';
import { runPipeline, type RunResult } from '../../core/stpipe/runner.node.ts';
import { loadModel } from '../../core/stpipe/model-io.node.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';

const CASE = 'lrs_spec2_tso3/p01_lrs_slitless_transit';
const RATEINTS = 'jw09003003011_04101_00001-seg001_mirimage_rateints.fits';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'webbdesk-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function crdsEnv(): Record<string, string> {
  const g = sharedPath('golden', CASE);
  const maps = path.join(tmp, 'crds', 'mappings', 'jwst');
  mkdirSync(maps, { recursive: true });
  for (const m of readdirSync(path.join(g, 'crds_context'))) copyFileSync(path.join(g, 'crds_context', m), path.join(maps, m));
  return { CRDS_MODE: 'local', CRDS_PATH: path.join(tmp, 'crds'), CRDS_CONTEXT: 'jwst_golden_0001.pmap', CRDS_SERVER_URL: 'https://crds.invalid' };
}

const ref = (f: string) => sharedPath('golden', CASE, f);
const SPEC2: Record<string, string> = {
  save_results: 'True',
  'steps.assign_wcs.override_distortion': ref('ref_distortion_mirimage.asdf'),
  'steps.assign_wcs.override_specwcs': ref('ref_specwcs_lrs_slitless.fits'),
  'steps.flat_field.override_flat': ref('ref_flat_slitlessprism.fits'),
  'steps.photom.override_photom': ref('ref_photom_lrs.fits'),
  'steps.extract_1d.override_extract1d': ref('ref_extract1d_lrs.json'),
  'steps.extract_1d.override_apcorr': 'N/A',
};
const TSO3: Record<string, string> = {
  save_results: 'True',
  'steps.outlier_detection.rolling_window_width': '3',
  'steps.extract_1d.override_extract1d': ref('ref_extract1d_lrs.json'),
  'steps.extract_1d.override_apcorr': 'N/A',
  'steps.white_light.min_wavelength': '6.0',
  'steps.white_light.max_wavelength': '10.0',
};

async function run(name: 'calwebb_spec2' | 'calwebb_tso3', input: JwstModel | JwstModel[], cli: Record<string, string>, dir: string, chunk: string | undefined): Promise<RunResult> {
  const saved = process.env.WEBBDESK_CHUNK_BYTES;
  if (chunk === undefined) delete process.env.WEBBDESK_CHUNK_BYTES;
  else process.env.WEBBDESK_CHUNK_BYTES = chunk;
  const lines: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    return await runPipeline(PIPELINES[name]!, input, { cliParams: cli, outputDir: dir, crds: { env: crdsEnv() }, env: { STPIPE_DISABLE_CRDS_STEPPARS: 'True' }, logSink: (l) => lines.push(l) });
  } finally {
    if (saved === undefined) delete process.env.WEBBDESK_CHUNK_BYTES;
    else process.env.WEBBDESK_CHUNK_BYTES = saved;
  }
}

/** Every HDU's data bytes and headers (without CHECKSUM/DATASUM) of two FITS files. */
async function expectSameFits(a: string, b: string): Promise<number> {
  const fa = await FitsFile.open(a), fb = await FitsFile.open(b);
  try {
    expect(fb.hdus.map((h) => `${h.extname}:${h.type}`)).toEqual(fa.hdus.map((h) => `${h.extname}:${h.type}`));
    for (const h of fa.hdus) {
      const cards = (f: FitsFile) => f.hdus[h.index]!.header.cards.filter((c) => !['CHECKSUM', 'DATASUM', 'FILENAME', 'DATE'].includes(c.keyword)).map((c) => `${c.keyword}=${String(c.value)}`);
      expect(cards(fb), `${path.basename(a)} HDU ${h.index} ${h.extname} header`).toEqual(cards(fa));
      const da = Buffer.from(await fa.readRawData(h.index)), db = Buffer.from(await fb.readRawData(h.index));
      expect(db.equals(da), `${path.basename(a)} HDU ${h.index} ${h.extname} data`).toBe(true);
    }
    return fa.hdus.length;
  } finally {
    await fa.close();
    await fb.close();
  }
}

const byName = (outs: readonly string[], suffix: string) => outs.find((o) => o.endsWith(`_${suffix}`))!;

describe.skipIf(!HAVE_SHARED)('streamed spec2 + tso3 equal the whole-cube runs (golden LRS slitless rateints, 8 integrations)', () => {
  const whole = path.join(tmp, 'whole'), streamed = path.join(tmp, 'streamed');
  let spec2Whole: RunResult, spec2Streamed: RunResult;

  it('spec2: 4 chunks of 2 integrations -> identical calints and x1dints', async () => {
    const input = path.join(tmp, RATEINTS);
    copyFileSync(ref(RATEINTS), input);
    spec2Whole = await run('calwebb_spec2', await loadModel(input), SPEC2, whole, undefined);
    const stub = await openStreamed(input);
    expect(streamInfo(stub)?.planes.map((p) => p.attr).sort()).toEqual(['data', 'dq', 'err', 'var_poisson', 'var_rnoise']);
    expect(Object.keys(stub.arrays)).toEqual([]);
    spec2Streamed = await run('calwebb_spec2', stub, SPEC2, streamed, String(2 * 416 * 72 * 4 * 5));
    expect(spec2Streamed.outputs.map((o) => path.basename(o))).toEqual(spec2Whole.outputs.map((o) => path.basename(o)));
    expect(spec2Streamed.provenance.steps.filter((s) => s.step === 'photom')).toHaveLength(4);
    expect(await expectSameFits(byName(spec2Whole.outputs, 'calints.fits'), byName(spec2Streamed.outputs, 'calints.fits'))).toBeGreaterThanOrEqual(9);
    await expectSameFits(byName(spec2Whole.outputs, 'x1dints.fits'), byName(spec2Streamed.outputs, 'x1dints.fits'));
  }, 60_000);

  it('tso3 (rolling_window_width 3): 2 chunks of 4 integrations in windows of +3 each side -> identical crfints, x1dints and white light', async () => {
    const cal = (r: RunResult) => byName(r.outputs, 'calints.fits');
    const t3Whole = await run('calwebb_tso3', [await loadModel(cal(spec2Whole))], TSO3, path.join(whole, 't3'), undefined);
    const t3Streamed = await run('calwebb_tso3', [await openStreamed(cal(spec2Streamed))], TSO3, path.join(streamed, 't3'), String(2 * 416 * 72 * 4 * 6));
    expect(t3Streamed.outputs.map((o) => path.basename(o))).toEqual(t3Whole.outputs.map((o) => path.basename(o)));
    expect(t3Streamed.provenance.steps.filter((s) => s.step === 'outlier_detection').length).toBeGreaterThan(1);
    await expectSameFits(byName(t3Whole.outputs, 'crfints.fits'), byName(t3Streamed.outputs, 'crfints.fits'));
    await expectSameFits(byName(t3Whole.outputs, 'x1dints.fits'), byName(t3Streamed.outputs, 'x1dints.fits'));
    const ecsv = (r: RunResult) => readFileSync(byName(r.outputs, 'whtlt.ecsv'), 'utf8').split('\n').filter((l) => !/date|filename/i.test(l)).join('\n');
    expect(ecsv(t3Streamed)).toEqual(ecsv(t3Whole));
    expect(ecsv(t3Whole).split('\n').filter((l) => /^\d/.test(l.trim()))).toHaveLength(8);
  }, 60_000);
});
