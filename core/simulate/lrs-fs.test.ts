import { describe, expect, it } from 'vitest';
import { IMX, IMY, sensitivity, starFluxJy } from './lrs.ts';
import { FS_SUB, fsFlat, fsScene, fsTraceAt, nodPixels, noisyRate, tableIndex } from './lrs-fs.ts';
import { fsExtract1dRef, fsSpecwcsRef } from './lrs-fs-refs.ts';

describe('MIRI LRS fixed-slit scene', () => {
  it('places the trace at IMX/IMY of the FS specwcs: y_center 0 is row IMY - 1, 388 table rows', () => {
    expect(tableIndex(IMY - 1)).toBe(94);
    expect(fsTraceAt(IMY - 1 + 94)!.wavelength).toBeCloseTo(3.7, 12);
    expect(fsTraceAt(IMY - 1 + 95)).toBeUndefined();
    expect(fsTraceAt(IMY - 1 - 293)).toBeDefined();
    expect(fsTraceAt(IMY - 1 - 294)).toBeUndefined();
    expect(fsTraceAt(IMY - 1 + 94)!.centre).toBeCloseTo(IMX - 1 + 0.124, 12);
  });

  it('a row of the star at a nod sums to F_nu x sensitivity (x flat = 1) and is centred on the nod', () => {
    const nx = FS_SUB.xsize;
    const flat = new Float32Array(FS_SUB.xsize * FS_SUB.ysize).fill(1);
    const { star, background } = fsScene(5500, 9, -1.1, flat);
    const y = Math.round(IMY - 1 - 100);
    const tr = fsTraceAt(y)!;
    let s = 0, sx = 0;
    for (let x = 0; x < nx; x++) { s += star[y * nx + x]!; sx += star[y * nx + x]! * x; }
    expect(s / (starFluxJy(tr.wavelength, 5500, 9) * sensitivity(tr.wavelength))).toBeCloseTo(1, 5);
    expect(sx / s).toBeCloseTo(tr.centre + nodPixels(-1.1), 3);
    // sky only inside the 40-pixel slit, 0.2 DN/s elsewhere
    expect(background[y * nx + Math.round(tr.centre)]).toBeGreaterThan(1);
    expect(background[y * nx + Math.round(tr.centre) + 30]).toBeCloseTo(0.2, 6);
  });

  it('noisy rate: residual / ERR has unit scatter; flat NaN in the reference columns', () => {
    const slope = new Float32Array(20000).fill(50);
    const r = noisyRate(slope, 5.5, 100, 0.01, 3);
    let s2 = 0;
    for (let i = 0; i < slope.length; i++) s2 += ((r.data[i]! - 50) / r.err[i]!) ** 2;
    expect(Math.sqrt(s2 / slope.length)).toBeCloseTo(1, 1);
    const flat = fsFlat(1);
    expect(Number.isNaN(flat[0])).toBe(true);
    expect(Number.isNaN(flat[FS_SUB.xsize - 1])).toBe(true);
    expect(flat[500 * FS_SUB.xsize + 300]).toBeGreaterThan(0.9);
  });

  it('references: FS specwcs has the real keywords and selects on FULL + MIR_LRS-FIXEDSLIT; extract1d follows the source', () => {
    const sw = fsSpecwcsRef();
    const h = sw.hdus![0]!.header;
    expect([h.get('IMX'), h.get('IMY'), h.get('SUBARRAY'), h.get('EXP_TYPE')]).toEqual([IMX, IMY, 'FULL', 'MIR_LRS-FIXEDSLIT']);
    expect(sw.hdus![1]!.table!.nrows).toBe(388);
    expect(sw.match).toEqual({ 'META.SUBARRAY.NAME': 'FULL', 'META.EXPOSURE.TYPE': 'MIR_LRS-FIXEDSLIT' });
    const ap = (JSON.parse(fsExtract1dRef().text!) as { apertures: Array<Record<string, unknown>> }).apertures[0]!;
    expect(ap).toMatchObject({ id: 'MIR_LRS-FIXEDSLIT', xstart: 27, xstop: 34, use_source_posn: true });
  });
});
