import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { setMeta } from '../../datamodels/meta.ts';
import { ndarray } from '../../ndarray/index.ts';
import type { JwstModel, ParamSpecs, ReferenceChoice, StepContext } from '../../stpipe/index.ts';
import { setModelWcs } from '../../wcs/attach.ts';
import { wavelengthMap } from '../../wcs/lrs.ts';
import { FIX, fixtureGeometry, fixtureWcs, traceImage } from '../../resample/testing.ts';
import { step } from './index.node.ts';
import { defaultParams } from './reference.ts';
import { lrsSourceLocation, sourcePositionOffset } from './srcpos.ts';

const { nx, ny } = FIX;
const wcs = fixtureWcs();
const { pscale } = fixtureGeometry(wcs);
const OFFSET_ARCSEC = 0.33; // 3 pixels along the slit from the trace centre

/** Truth: the column where alpha = OFFSET_ARCSEC on row y, and the sky position of the source. */
function truth(y: number): { x: number; ra: number; dec: number } {
  const a0 = wcs.evaluate([Float64Array.of(19.5), Float64Array.of(y)], { to: 'alpha_beta' })[0]![0]!;
  const x = 19.5 + (OFFSET_ARCSEC - a0) / pscale;
  const [ra, dec] = wcs.call(x, y);
  return { x, ra: ra!, dec: dec! };
}

function lrsModel(dith: { ra: number; dec: number } | null): JwstModel {
  const img = traceImage(wcs, OFFSET_ARCSEC, 1.0, (y) => (y >= 6 && y <= 52 ? 100 : 0));
  const m: JwstModel = {
    type: 'ImageModel', meta: {}, tables: {}, extras: [],
    arrays: {
      data: ndarray(img, [ny, nx]), dq: ndarray(new Uint32Array(nx * ny), [ny, nx]), err: ndarray(new Float32Array(nx * ny).fill(1), [ny, nx]),
      wavelength: ndarray(wavelengthMap(wcs, ny, nx), [ny, nx]),
    },
  };
  setMeta(m.meta, 'exposure.type', 'MIR_LRS-FIXEDSLIT');
  setMeta(m.meta, 'wcsinfo.dispersion_direction', 2);
  setMeta(m.meta, 'target.source_type', 'POINT');
  if (dith) { setMeta(m.meta, 'dither.dithered_ra', dith.ra); setMeta(m.meta, 'dither.dithered_dec', dith.dec); }
  setModelWcs(m, wcs);
  return m;
}

function ctx(spec: ParamSpecs, params: Record<string, unknown>, refs: Record<string, string>): StepContext & { logs: string[] } {
  const resolved: Record<string, unknown> = Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, s.default]));
  Object.assign(resolved, params);
  const logs: string[] = [];
  const log = (lvl: string) => (msg: string): void => { logs.push(`${lvl}: ${msg}`); };
  return {
    params: resolved, logs, outputDir: tmpdir(), signal: new AbortController().signal, progress: () => undefined,
    log: { debug: log('debug'), info: log('info'), warning: log('warning'), error: log('error') },
    reference: async (t: string): Promise<ReferenceChoice> => (refs[t] ? { kind: 'file', path: refs[t]!, name: refs[t]!, source: 'override' } : { kind: 'not-applicable', source: 'override' }),
  };
}

/** Nominal aperture: columns 16..22 (centre 19, about the trace centre), rows 6..52. */
function refFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'x1dref-'));
  const p = join(dir, 'extract1d.json');
  writeFileSync(p, JSON.stringify({ apertures: [{ id: 'MIR_LRS-FIXEDSLIT', region_type: 'target', dispaxis: 2, xstart: 16, xstop: 22, ystart: 6, ystop: 52 }] }));
  return p;
}

describe('extract_1d use_source_posn (MIRI LRS fixed slit)', () => {
  const mid = 29; // middle of the bounding box rows [2.5, 55.5]
  it('finds the source column from DITH_RA/DITH_DEC through the WCS', () => {
    const t = truth(mid);
    const loc = lrsSourceLocation(wcs, t.ra, t.dec);
    if (typeof loc === 'string') throw new Error(loc);
    expect(loc.middle).toBe(mid);
    expect(Math.abs(loc.location - t.x)).toBeLessThan(1e-3);
    const off = sourcePositionOffset(lrsModel(t), { ...defaultParams([ny, nx], 1), xstart: 16, xstop: 22 }, 2, () => { throw new Error('warned'); });
    expect(Math.abs(off - (t.x - 19))).toBeLessThan(1e-3);
    expect(off).toBeGreaterThan(2.5);
  });

  it('the shifted aperture recovers the full flux; the nominal one misses part of it', async () => {
    const ref = refFile();
    const t = truth(mid);
    const on = await step.run(lrsModel(t), ctx(step.spec, { use_source_posn: true, apply_apcorr: false }, { extract1d: ref }));
    const off = await step.run(lrsModel(t), ctx(step.spec, { use_source_posn: false, apply_apcorr: false }, { extract1d: ref }));
    const flux = (m: JwstModel): number[] => Array.from(m.parts![0]!.table!.columns.find((c) => c.name === 'FLUX')!.data as ArrayLike<number>);
    const row = (f: number[]): number => f[25]!; // a row well inside the source rows
    // 7 columns centred on a sigma = 1 px Gaussian of 100 per row: 99.9% inside (pixel-integrated).
    expect(Math.abs(row(flux(on)) - 100) / 100).toBeLessThan(0.01);
    expect(row(flux(off))).toBeLessThan(90);
    const pm = on.parts![0]!.meta as Record<string, number>;
    expect(Math.abs((pm.extraction_xstart! + pm.extraction_xstop!) / 2 - 1 - t.x)).toBeLessThan(0.6);
  });

  it('keeps the nominal aperture with a warning when DITH_RA/DITH_DEC are missing', async () => {
    const c = ctx(step.spec, { use_source_posn: true, apply_apcorr: false }, { extract1d: refFile() });
    await step.run(lrsModel(null), c);
    expect(c.logs.some((l) => /warning: use_source_posn: DITH_RA\/DITH_DEC/.test(l))).toBe(true);
  });
});
