/**
 * calwebb_detector1 by row blocks (tiny WEBBDESK_CHUNK_BYTES) gives the same
 * _ramp, _rateints and _rate as the whole-exposure run on the golden
 * detector1_miri p01 SLITLESSPRISM TSO uncal (4 x 15 x 416 x 72): every
 * array identical (NaNs at the same places), the same HDU list, headers,
 * INT_TIMES and meta (primary_cosmic_rays recomputed from the blocks equal to
 * the frame's): the files are byte-identical.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../core/fits/index.node.ts';
import { PIPELINES } from '../../core/pipelines/index.node.ts';
import { openStreamedRamp, rampStreamInfo } from '../../core/pipelines/stream/detector1-index.node.ts';
import { runPipeline, type RunResult } from '../../core/stpipe/runner.node.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';

const CASE = 'detector1_miri/p01_slitlessprism_tso';
const UNCAL = 'jw09002001011_03102_00001_mirimage_uncal.fits';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'webbdesk-d1stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ref = (f: string) => sharedPath('golden', CASE, f);

function crdsEnv(): Record<string, string> {
  const maps = path.join(tmp, 'crds', 'mappings', 'jwst');
  mkdirSync(maps, { recursive: true });
  for (const m of readdirSync(ref('crds_context'))) copyFileSync(path.join(ref('crds_context'), m), path.join(maps, m));
  return { CRDS_MODE: 'local', CRDS_PATH: path.join(tmp, 'crds'), CRDS_CONTEXT: 'jwst_golden_0001.pmap', CRDS_SERVER_URL: 'https://crds.invalid' };
}

const CLI: Record<string, string> = {
  save_results: 'True', save_calibrated_ramp: 'True',
  'steps.dq_init.override_mask': ref('ref_mask_slitlessprism.fits'),
  'steps.saturation.override_saturation': ref('ref_saturation_slitlessprism.fits'), 'steps.saturation.override_superbias': 'N/A',
  'steps.ipc.override_ipc': ref('ref_ipc.fits'), 'steps.reset.override_reset': ref('ref_reset_slitlessprism.fits'),
  'steps.linearity.override_linearity': ref('ref_linearity_slitlessprism.fits'), 'steps.rscd.override_rscd': ref('ref_rscd.fits'),
  'steps.dark_current.override_dark': ref('ref_dark_slitlessprism.fits'),
  'steps.refpix.override_refpix': 'N/A', 'steps.refpix.override_sirskernel': 'N/A',
  'steps.jump.override_gain': ref('ref_gain_slitlessprism.fits'), 'steps.jump.override_readnoise': ref('ref_readnoise_slitlessprism.fits'),
  'steps.ramp_fit.override_gain': ref('ref_gain_slitlessprism.fits'), 'steps.ramp_fit.override_readnoise': ref('ref_readnoise_slitlessprism.fits'),
  'steps.gain_scale.override_gain': ref('ref_gain_slitlessprism.fits'), 'steps.emicorr.override_emicorr': 'N/A',
  'steps.picture_frame.override_pictureframe': 'N/A', 'steps.clean_flicker_noise.override_flat': 'N/A', 'steps.clean_flicker_noise.override_pastasoss': 'N/A',
};

async function run(input: string | JwstModel, dir: string, chunk: string | undefined): Promise<{ res: RunResult; log: string[] }> {
  const saved = process.env.WEBBDESK_CHUNK_BYTES;
  if (chunk === undefined) delete process.env.WEBBDESK_CHUNK_BYTES;
  else process.env.WEBBDESK_CHUNK_BYTES = chunk;
  const log: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    const res = await runPipeline(PIPELINES.calwebb_detector1!, input, { cliParams: CLI, outputDir: dir, crds: { env: crdsEnv() }, env: { STPIPE_DISABLE_CRDS_STEPPARS: 'True' }, logSink: (l) => log.push(l) });
    return { res, log };
  } finally {
    if (saved === undefined) delete process.env.WEBBDESK_CHUNK_BYTES;
    else process.env.WEBBDESK_CHUNK_BYTES = saved;
  }
}

/** Differences between two FITS files: HDU names, header cards (CHECKSUM/DATASUM aside), every image element and table. */
async function diffFiles(a: string, b: string): Promise<string[]> {
  const [fa, fb] = await Promise.all([FitsFile.open(a), FitsFile.open(b)]);
  const out: string[] = [];
  try {
    const names = (f: FitsFile) => f.hdus.map((h) => h.extname ?? h.type).join(',');
    if (names(fa) !== names(fb)) return [`HDUs ${names(fa)} vs ${names(fb)}`];
    for (const h of fa.hdus) {
      const hb = fb.hdus[h.index]!;
      const cards = (x: typeof h) => x.header.cards.filter((c) => !/^(CHECKSUM|DATASUM)$/.test(c.keyword)).map((c) => `${c.keyword}=${String(c.value)}`).join('|');
      if (h.extname !== 'ASDF' && cards(h) !== cards(hb)) out.push(`${h.extname ?? 'PRIMARY'} header differs`);
      if (h.type === 'IMAGE' && h.extname !== 'ASDF' && Number(h.header.get('NAXIS')) > 0) {
        const [x, y] = [await fa.readImage(h.index), await fb.readImage(h.index)];
        const dx = x.data as ArrayLike<number>, dy = y.data as ArrayLike<number>;
        let n = 0;
        for (let i = 0; i < dx.length; i++) if (dx[i] !== dy[i] && !(Number.isNaN(dx[i]) && Number.isNaN(dy[i]))) n++;
        if (x.shape.join() !== y.shape.join() || n > 0) out.push(`${h.extname}: ${n} of ${dx.length} elements differ (shapes ${x.shape} / ${y.shape})`);
      } else if (h.type === 'BINTABLE') {
        const [ra, rb] = [await fa.readRawData(h.index), await fb.readRawData(h.index)];
        if (Buffer.compare(Buffer.from(ra), Buffer.from(rb)) !== 0) out.push(`${h.extname} table differs`);
      }
    }
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
  return out;
}

const products = ['ramp', 'rateints', 'rate'].map((s) => UNCAL.replace('_uncal', `_${s}`));

describe.skipIf(!HAVE_SHARED)('calwebb_detector1 by row blocks', () => {
  it('tiny chunks (stub and loaded input) give the whole-exposure products exactly', async () => {
    const input = ref(UNCAL);
    const whole = await run(input, path.join(tmp, 'whole'), undefined);
    expect(whole.log.join('\n')).not.toMatch(/Streaming/);
    const bytesPerRow = 4 * 15 * 72 * 4; // working bytes: float32 SCI samples
    // 37 rows per block (12 blocks), from a stub whose planes stay on disk.
    const stub = await openStreamedRamp(input);
    expect(rampStreamInfo(stub)?.arrays.map((a) => a.attr)).toEqual(['data']);
    const a = await run(stub, path.join(tmp, 'a'), String(37 * bytesPerRow));
    expect(a.log.join('\n')).toMatch(/Streaming 416 rows in 12 blocks of up to 37 rows \(\+5 each side\)/);
    // 4 rows per block (104 blocks: halos wider than cores), from the loaded file.
    const b = await run(input, path.join(tmp, 'b'), String(4 * bytesPerRow + 5));
    expect(b.log.join('\n')).toMatch(/Streaming 416 rows in 104 blocks of up to 4 rows/);
    for (const [name, r] of [['a', a], ['b', b]] as const) {
      expect(r.res.outputs.map((o) => path.basename(o)).sort()).toEqual(whole.res.outputs.map((o) => path.basename(o)).sort());
      for (const p of products) {
        expect(await diffFiles(path.join(tmp, name, p), path.join(tmp, 'whole', p)), `${name} ${p}`).toEqual([]);
        // Byte for byte: same layout, headers, ASDF extension and CHECKSUM/DATASUM.
        expect(Buffer.compare(readFileSync(path.join(tmp, name, p)), readFileSync(path.join(tmp, 'whole', p))), `${name} ${p} bytes`).toBe(0);
      }
    }
    const pcr = (m: unknown) => ((m as JwstModel).meta.exposure as Record<string, unknown>).primary_cosmic_rays;
    expect(pcr(a.res.products[0])).toBe(pcr(whole.res.products[0]));
    expect(typeof pcr(whole.res.products[0])).toBe('number');
  }, 120_000);
});
