/**
 * End to end: a simulated MIRI LRS fixed-slit nod pair (core/simulate
 * lrs-fs*, `webbdesk simulate miri-lrs-fs`) -> asn_from_list with nod A as
 * science and nod B as background (with_exptype, one level-2b product as in
 * seed 000's association) -> calwebb_spec2 with every reference chosen by
 * CRDS from the simulated context -> _cal, _s2d, _x1d, checked against what
 * was injected:
 *  - bkg_subtract ran on the association's background member: the sky in the
 *    slit away from both traces is gone (median residual within noise, < 1%
 *    of the sky), and nod B shows as the negative trace 2 x offset away;
 *  - the x1d FLUX equals the injected blackbody (lrs.ts starFluxJy; no slit
 *    loss was simulated and PATHLOSS is N/A, so pathloss is SKIPPED) within a
 *    few percent over 5-10 um, with the aperture placed on nod A by
 *    use_source_posn (DITH_RA/DITH_DEC through the s2d WCS);
 *  - the s2d conserves the trace flux of the cal image (integral over 5-10 um
 *    and at sample wavelengths);
 *  - the cal WAVELENGTH at sample pixels equals the specwcs WAVETABLE
 *    (linear interpolation in y_center) and the x1d wavelengths are the s2d's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asnFromList } from '../../core/associations/asn.ts';
import { writeAssociation } from '../../core/associations/io.node.ts';
import { resolveConfig } from '../../core/crds/config.node.ts';
import { FitsFile } from '../../core/fits/index.node.ts';
import { PIPELINES } from '../../core/pipelines/index.node.ts';
import { backgroundRate, IMX, IMY, PHOTMJSR, relResponse, starFluxJy } from '../../core/simulate/lrs.ts';
import { simulateLrsFs, type LrsFsResult } from '../../core/simulate/lrs-fs.node.ts';
import { FS_PIXEL_SCALE } from '../../core/simulate/lrs-fs.ts';
import { loadModel, runPipeline } from '../../core/stpipe/index.node.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';

const KMAG = 9, TEFF = 5500, NOD = 1.1, SEED = 7;
interface Truth { teff: number; magnitude: number; nods: Array<{ offset_arcsec: number; column_at_slit_centre: number }> }

let dir: string;
let sim: LrsFsResult;
let truth: Truth;
let outputs: string[] = [];
const models = new Map<string, JwstModel>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wd-e2e-lrsfs-'));
  const t0 = Date.now();
  sim = await simulateLrsFs({ out: dir, kmag: KMAG, teff: TEFF, nodOffset: NOD, seed: SEED });
  truth = JSON.parse(await readFile(sim.truthJson, 'utf8')) as Truth;
  const [a, b] = sim.rates.map((f) => path.basename(f));
  // asn_from_list --with-exptype, then one product holding both members (seed 000 builds its level-2b products the same way).
  const asn = asnFromList([[a!, 'science'], [b!, 'background']], { with_exptype: true, rule: 'DMSLevel2bBase' });
  asn.products.splice(0, asn.products.length, { name: asn.products[0]!.name, members: asn.products.flatMap((p) => p.members) });
  const asnFile = path.join(dir, 'lrs_fs_spec2_asn.json');
  await writeAssociation(asnFile, asn);
  const env = { ...process.env, CRDS_PATH: sim.crdsPath, CRDS_MODE: 'local', CRDS_CONTEXT: sim.context };
  const r = await runPipeline(PIPELINES.calwebb_spec2!, asnFile, {
    outputDir: dir, cwd: dir, useCrdsSteppars: false, env, cliParams: { save_results: true }, crds: { config: resolveConfig(env), context: sim.context },
    logSink: () => undefined,
  });
  outputs = r.outputs;
  for (const s of ['cal', 's2d', 'x1d']) {
    const f = outputs.find((p) => p.endsWith(`_${s}.fits`));
    if (f) models.set(s, await loadModel(f));
  }
  console.log(`e2e lrs-fixedslit: simulate + calwebb_spec2 (asn A science, B background) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${outputs.map((p) => path.basename(p)).join(', ')}`);
}, 300_000);
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

function model(s: string): JwstModel {
  const m = models.get(s);
  if (!m) throw new Error(`calwebb_spec2 wrote no _${s} (outputs: ${outputs.map((p) => path.basename(p)).join(', ')})`);
  return m;
}
const arr = (m: JwstModel, a: string) => m.arrays[a]!.data as ArrayLike<number>;
const median = (v: number[]) => { const s = [...v].sort((x, y) => x - y); return s[s.length >> 1]!; };
/** y_center -> 0-based full-frame row of the fixed-slit specwcs. */
const rowOf = (yCenter: number) => yCenter + IMY - 1;

/** Cross-slit centroid of |signal| between columns lo..hi of row y in a (ny, nx) image, sign = +1 or -1. */
function centroid(d: ArrayLike<number>, nx: number, y: number, lo: number, hi: number, sign: number): number {
  let s = 0, sx = 0;
  for (let x = lo; x <= hi; x++) { const v = sign * d[y * nx + x]!; if (Number.isFinite(v) && v > 0) { s += v; sx += v * x; } }
  return sx / s;
}

describe('MIRI LRS fixed slit, nodded pair, end to end', () => {
  it('runs calwebb_spec2 on the association: bkg_subtract COMPLETE, pathloss SKIPPED (N/A), _cal/_s2d/_x1d written', () => {
    const cal = model('cal');
    const steps = cal.meta.cal_step as Record<string, string>;
    expect(steps.assign_wcs).toBe('COMPLETE');
    expect(steps.back_sub).toBe('COMPLETE');
    expect(steps.flat_field).toBe('COMPLETE');
    expect(steps.photom).toBe('COMPLETE');
    expect(steps.pathloss).toBe('SKIPPED');
    expect(model('s2d').type).toBe('SlitModel');
    expect(model('x1d').type).toBe('MultiSpecModel');
  });

  it('background subtraction removes the sky in the slit away from the traces; nod B is the negative trace', () => {
    const cal = model('cal');
    const nx = cal.arrays.data!.shape[1]!;
    const d = arr(cal, 'data'), err = arr(cal, 'err'), wl = arr(cal, 'wavelength');
    const [a, b] = truth.nods.map((n) => n.column_at_slit_centre);
    const resid: number[] = [], errs: number[] = [], sky: number[] = [];
    for (let y = Math.round(rowOf(-200)); y <= Math.round(rowOf(40)); y++) {
      for (let x = Math.round(IMX - 1 - 17); x <= Math.round(IMX - 1 + 17); x++) {
        if (Math.abs(x - a!) < 6 || Math.abs(x - b!) < 6) continue;
        const v = d[y * nx + x]!, w = wl[y * nx + x]!;
        if (!Number.isFinite(v) || !Number.isFinite(w)) continue;
        resid.push(v); errs.push(err[y * nx + x]!);
        sky.push(backgroundRate(w) * PHOTMJSR * relResponse(w)); // the sky before subtraction, MJy/sr
      }
    }
    const med = median(resid), sigMed = (1.2533 * Math.SQRT2 * median(errs)) / Math.sqrt(resid.length), skyMed = median(sky);
    // nod B: negative trace at A - B = -2 x offset (pixels), measured on the cal at rows 6-9 um
    const sep: number[] = [];
    for (let y = Math.round(rowOf(-120)); y <= Math.round(rowOf(0)); y += 10) {
      sep.push(centroid(d, nx, y, Math.round(b!) - 5, Math.round(b!) + 5, -1) - centroid(d, nx, y, Math.round(a!) - 5, Math.round(a!) + 5, 1));
    }
    console.log(`e2e lrs-fixedslit: sky residual median ${med.toExponential(2)} MJy/sr over ${resid.length} slit pixels (median-of-noise ${sigMed.toExponential(2)}; sky was ${skyMed.toFixed(3)} MJy/sr, residual/sky ${(med / skyMed).toExponential(2)}); `
      + `B - A trace separation ${median(sep).toFixed(3)} px (injected ${(2 * NOD / FS_PIXEL_SCALE).toFixed(3)})`);
    expect(resid.length).toBeGreaterThan(2000);
    expect(Math.abs(med)).toBeLessThan(4 * sigMed);
    expect(Math.abs(med / skyMed)).toBeLessThan(0.01);
    expect(Math.abs(median(sep) - (2 * NOD) / FS_PIXEL_SCALE)).toBeLessThan(0.2);
  });

  it('x1d FLUX = injected blackbody within a few percent over 5-10 um, aperture on nod A (use_source_posn)', () => {
    const x1d = model('x1d'), s2d = model('s2d');
    const part = x1d.parts![0]!;
    const tab = part.table!;
    const col = (n: string) => tab.columns.find((c) => c.name === n)!.data as ArrayLike<number>;
    const wl = col('WAVELENGTH'), flux = col('FLUX');
    const ratios: number[] = [], bins = new Map<number, number[]>();
    for (let j = 0; j < tab.nrows; j++) {
      const w = wl[j]!, f = flux[j]!;
      if (!(w >= 5 && w < 10) || !Number.isFinite(f)) continue;
      const r = f / starFluxJy(w, truth.teff, truth.magnitude);
      ratios.push(r);
      const k = Math.floor((w - 5) / 0.5);
      bins.set(k, [...(bins.get(k) ?? []), r]);
    }
    const means = [...bins.values()].map((v) => v.reduce((s, x) => s + x, 0) / v.length);
    // aperture centre (EXTRXSTR/EXTRXSTP are 1-based) vs the measured s2d centroid of the positive trace
    const nx = s2d.arrays.data!.shape[1]!, sd = arr(s2d, 'data'), swl = arr(s2d, 'wavelength');
    const cents: number[] = [];
    for (let y = 0; y < s2d.arrays.data!.shape[0]!; y++) {
      const w = swl[y * nx + Math.floor(nx / 2)]!;
      if (w >= 5 && w < 10) cents.push(centroid(sd, nx, y, 0, Math.floor(nx / 2), 1));
    }
    const pm = part.meta as Record<string, number>;
    const apCentre = (pm.extraction_xstart! + pm.extraction_xstop!) / 2 - 1;
    console.log(`e2e lrs-fixedslit: x1d ${ratios.length} wavelengths 5-10 um, median FLUX/truth ${median(ratios).toFixed(4)} (range ${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}), `
      + `0.5-um bin means ${Math.min(...means).toFixed(4)}..${Math.max(...means).toFixed(4)}; aperture centre ${apCentre.toFixed(3)} (width ${(pm.extraction_xstop! - pm.extraction_xstart! + 1).toFixed(1)}), s2d trace centroid ${median(cents).toFixed(3)}`);
    expect(bins.size).toBe(10);
    expect(Math.abs(median(ratios) - 1)).toBeLessThan(0.02);
    for (const v of means) expect(Math.abs(v - 1)).toBeLessThan(0.03);
    expect(Math.abs(apCentre - median(cents))).toBeLessThan(0.5);
  });

  it('s2d conserves the trace flux of the cal image (5-10 um integral and sample wavelengths)', () => {
    const cal = model('cal'), s2d = model('s2d');
    const cnx = cal.arrays.data!.shape[1]!, cd = arr(cal, 'data'), cwl = arr(cal, 'wavelength');
    const snx = s2d.arrays.data!.shape[1]!, sny = s2d.arrays.data!.shape[0]!, sd = arr(s2d, 'data'), swl = arr(s2d, 'wavelength');
    const a = truth.nods[0]!.column_at_slit_centre;
    const sumRow = (d: ArrayLike<number>, nx: number, y: number, lo: number, hi: number) => {
      let s = 0;
      for (let x = lo; x <= hi; x++) { const v = d[y * nx + x]!; if (Number.isFinite(v)) s += v; }
      return s;
    };
    // cal: rows of the trace table, sum over nod A's columns; s2d: the positive half of the slit
    const calRows: Array<{ w: number; f: number }> = [];
    for (let y = Math.round(rowOf(-293)) + 1; y <= Math.round(rowOf(94)) - 1; y++) {
      const w = cwl[y * cnx + Math.round(a)]!;
      if (Number.isFinite(w)) calRows.push({ w, f: sumRow(cd, cnx, y, Math.round(a) - 6, Math.round(a) + 6) });
    }
    calRows.sort((p, q) => p.w - q.w);
    const s2dRows: Array<{ w: number; f: number }> = [];
    const cs = Math.round(model('x1d').parts![0]!.meta!.extraction_xstart as number + 2.5);
    for (let y = 0; y < sny; y++) {
      const w = swl[y * snx + cs]!;
      if (Number.isFinite(w)) s2dRows.push({ w, f: sumRow(sd, snx, y, Math.max(0, cs - 6), Math.min(snx - 1, cs + 6)) });
    }
    s2dRows.sort((p, q) => p.w - q.w);
    const integral = (rows: Array<{ w: number; f: number }>) => {
      let s = 0;
      for (let i = 1; i < rows.length; i++) {
        const [p, q] = [rows[i - 1]!, rows[i]!];
        const lo = Math.max(p.w, 5), hi = Math.min(q.w, 10);
        if (hi > lo) s += ((p.f + q.f) / 2) * (hi - lo);
      }
      return s;
    };
    const interp = (rows: Array<{ w: number; f: number }>, w: number) => {
      const i = rows.findIndex((r) => r.w >= w);
      const [p, q] = [rows[i - 1]!, rows[i]!];
      return p.f + ((q.f - p.f) * (w - p.w)) / (q.w - p.w);
    };
    const ic = integral(calRows), is = integral(s2dRows);
    const samples = [5.5, 6.5, 7.5, 8.5, 9.5].map((w) => interp(s2dRows, w) / interp(calRows, w));
    console.log(`e2e lrs-fixedslit: trace flux integral 5-10 um (MJy/sr um, summed over 13 columns): cal ${ic.toFixed(2)}, s2d ${is.toFixed(2)}, ratio ${(is / ic).toFixed(5)}; s2d/cal at 5.5..9.5 um ${samples.map((r) => r.toFixed(4)).join(' ')}`);
    expect(Math.abs(is / ic - 1)).toBeLessThan(0.01);
    for (const r of samples) expect(Math.abs(r - 1)).toBeLessThan(0.03);
  });

  it('wavelengths: cal WAVELENGTH = specwcs WAVETABLE at sample pixels; x1d wavelengths are the s2d grid', async () => {
    const ff = await FitsFile.open(sim.references.find((p) => p.includes('specwcs'))!);
    let yc: Float64Array, lam: Float64Array;
    try {
      const t = await ff.readTable(1);
      const c = (n: string) => Float64Array.from(t.columns.find((x) => x.name.toUpperCase() === n)!.data as ArrayLike<number>);
      yc = c('Y_CENTER'); lam = c('WAVELENGTH');
    } finally { await ff.close(); }
    const tableAt = (ycen: number) => { // y_center decreases down the table
      const i = yc.findIndex((v) => v <= ycen);
      return lam[i - 1]! + ((lam[i]! - lam[i - 1]!) * (ycen - yc[i - 1]!)) / (yc[i]! - yc[i - 1]!);
    };
    const cal = model('cal');
    const nx = cal.arrays.data!.shape[1]!, wl = arr(cal, 'wavelength');
    const diffs: number[] = [];
    for (const y of [30, 80, 150, 200, 250, 300, 350, 380]) {
      for (const x of [Math.round(IMX - 1) - 15, Math.round(IMX - 1), Math.round(IMX - 1) + 15]) diffs.push(wl[y * nx + x]! - tableAt(y - (IMY - 1)));
    }
    const x1d = model('x1d'), s2d = model('s2d');
    const tab = x1d.parts![0]!.table!;
    const xw = tab.columns.find((c) => c.name === 'WAVELENGTH')!.data as ArrayLike<number>;
    const snx = s2d.arrays.data!.shape[1]!, swl = arr(s2d, 'wavelength');
    let maxGrid = 0;
    for (let j = 0; j < tab.nrows; j++) maxGrid = Math.max(maxGrid, Math.abs(xw[j]! - swl[j * snx + Math.floor(snx / 2)]!));
    const maxAbs = Math.max(...diffs.map(Math.abs));
    console.log(`e2e lrs-fixedslit: cal WAVELENGTH - specwcs table at ${diffs.length} pixels: max |d| ${maxAbs.toExponential(2)} um; x1d vs s2d wavelength max |d| ${maxGrid.toExponential(2)} um; x1d ${Math.min(...Array.from(xw)).toFixed(3)}-${Math.max(...Array.from(xw)).toFixed(3)} um`);
    expect(diffs.every(Number.isFinite)).toBe(true);
    expect(maxAbs).toBeLessThan(0.01);
    expect(maxGrid).toBeLessThan(1e-5);
    expect(Math.min(...Array.from(xw))).toBeGreaterThanOrEqual(Math.min(...lam) - 1e-6);
    expect(Math.max(...Array.from(xw))).toBeLessThanOrEqual(Math.max(...lam) + 1e-6);
  });
});
