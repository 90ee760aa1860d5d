/**
 * Damaged real files: seeded truncations and header byte flips must give a FitsError
 * (or parse, when a flip is harmless), never another error type, never a hang.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FitsError } from '../errors/index.ts';
import { mulberry32 } from '../random/index.ts';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { FitsFile } from './index.node.ts';
import { parseFits } from './fits.ts';

const rng = mulberry32;

/** Parse and decode everything; return 'ok' or the FitsError code; rethrow anything else. */
function exercise(bytes: Uint8Array): string {
  try {
    for (const h of parseFits(bytes, 'damaged.fits')) {
      if (h.type === 'BINTABLE' || h.type === 'TABLE') h.readTable();
      else h.readImage();
      h.verifyChecksum();
    }
    return 'ok';
  } catch (e) {
    if (e instanceof FitsError) {
      expect(e.message).toContain('damaged.fits');
      return e.code;
    }
    throw e;
  }
}

const FILES = [
  ['golden', 'datamodels_zoo', 'zoo_ramp.fits'],
  ['golden', 'datamodels_zoo', 'zoo_x1d.fits'],
  ['golden', 'datamodels_zoo', 'zoo_mos_cal.fits'],
  ['golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit', 'ref_specwcs_lrs_slitless.fits'],
  ['external', 'reffiles', 'nirspec', 'jwst_nirspec_superbias_0075.fits'],
  ['external', 'reffiles', 'crds-test', 'jwst_miri_ipc_0004.fits'],
];

describe.skipIf(!HAVE_SHARED)('corrupted real files', () => {
  const originals = HAVE_SHARED ? FILES.map((f) => new Uint8Array(readFileSync(sharedPath(...f)))) : [];
  const dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-fits-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('truncation at 100 seeded offsets always gives FitsError', () => {
    const r = rng(12345);
    const codes = new Map<string, number>();
    for (let k = 0; k < 100; k++) {
      const src = originals[k % originals.length];
      const cut = Math.floor(r() * (src.length - 1));
      const code = exercise(src.subarray(0, cut));
      // Every file here is whole 2880-byte blocks, so any cut is detectable.
      expect(code, `cut at ${cut} of ${FILES[k % FILES.length].at(-1)}`).not.toBe('ok');
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect([...codes.keys()].every((c) => ['truncated', 'missing-end', 'bad-card', 'not-fits', 'empty'].includes(c))).toBe(true);
  });

  it('100 seeded header byte flips give FitsError or parse', () => {
    const r = rng(777);
    let errors = 0;
    for (let k = 0; k < 100; k++) {
      const src = originals[k % originals.length];
      const hdus = parseFits(src);
      const h = hdus[Math.floor(r() * hdus.length)];
      const bytes = src.slice();
      const nflip = 1 + Math.floor(r() * 3);
      for (let j = 0; j < nflip; j++) {
        const pos = h.headerOffset + Math.floor(r() * (h.dataOffset - h.headerOffset));
        bytes[pos] = r() < 0.3 ? Math.floor(r() * 256) : 0x20 + Math.floor(r() * 95);
      }
      if (exercise(bytes) !== 'ok') errors++;
    }
    expect(errors).toBeGreaterThan(5);
  });

  it('structural keyword damage is reported by name', () => {
    const src = originals[0];
    const text = new TextDecoder('latin1').decode(src);
    const put = (at: number, s: string): Uint8Array => { const b = src.slice(); b.set(new TextEncoder().encode(s), at); return b; };
    const naxis1 = text.indexOf('NAXIS1  =', 2880);
    expect(exercise(put(naxis1, 'NAXIS1  =             99999999'))).toBe('truncated');
    expect(exercise(put(naxis1, 'NAXIS1  =                   -5'))).toBe('bad-naxis');
    expect(exercise(put(naxis1, 'NAXIS1  =  99999999999999999999'))).toMatch(/bad-keyword-type|too-large/);
    const bitpix = text.indexOf('BITPIX  =', 2880);
    expect(exercise(put(bitpix, 'BITPIX  =                   12'))).toBe('bad-bitpix');
    const tform = text.indexOf('TFORM1  =');
    expect(exercise(put(tform, "TFORM1  = 'J9Z     '"))).toBe('bad-tform');
    const end = text.indexOf('END' + ' '.repeat(77));
    expect(exercise(put(end, 'XND'))).toMatch(/missing-end|bad-card|bad-structure|not-fits|truncated|non-ascii/);
  });

  it('FitsFile.open on truncated copies rejects with FitsError and never hangs', async () => {
    const r = rng(99);
    for (let k = 0; k < 20; k++) {
      const src = originals[k % originals.length];
      const p = path.join(dir, `cut${k}.fits`);
      writeFileSync(p, src.subarray(0, Math.floor(r() * src.length)));
      const err = await FitsFile.open(p).then(async (f) => { await f.close(); return null; }, (e: unknown) => e);
      expect(err).toBeInstanceOf(FitsError);
      expect((err as FitsError).message).toContain(p);
    }
  });
});
