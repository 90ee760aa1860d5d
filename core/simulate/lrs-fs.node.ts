/**
 * `webbdesk simulate miri-lrs-fs`: two nodded MIRI LRS fixed-slit exposures
 * (EXP_TYPE MIR_LRS-FIXEDSLIT, FULL frame, P750L, PATTTYPE ALONG-SLIT-NOD),
 * written directly as _rate files (ImageModel: SCI, ERR, DQ, VAR_POISSON,
 * VAR_RNOISE in DN/s) with the star at nod A (-offset along the slit) and
 * nod B (+offset), the sky filling the slit, noise; truth.json beside them;
 * the FS reference set (specwcs, distortion, flat, photom, extract1d)
 * installed in the local CRDS context jwst_webbdesk_0001.pmap (rmaps select
 * on EXP_TYPE / SUBARRAY, so it shares a cache with the slitless simulation).
 *
 * Pointing: V2_REF/V3_REF are the slit reference point (IMX, IMY) through
 * the distortion; for each nod RA_REF/DEC_REF are solved (fixed-point, with
 * the pipeline's own LRS WCS, core/wcs) so that the target TARG_RA/TARG_DEC
 * falls on the nod position; DITH_RA/DITH_DEC = the target (the dithered
 * pointing location jwst's extract_1d use_source_posn reads).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DQ } from '../datamodels/dq.ts';
import { writeFits } from '../fits/index.node.ts';
import { Header, type HduSpec } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { readDistortion, readLrsSpecwcs } from '../steps/assign_wcs/reference.node.ts';
import { buildLrsWcs, type Pointing } from '../wcs/index.ts';
import { backgroundRate, IMX, IMY, PHOTMJSR, PIXAR_SR } from './lrs.ts';
import { FS_PIXEL_SCALE, FS_SUB, fsFlat, fsScene, noisyRate, OFF_SLIT_RATE, SLIT_HALF_PX } from './lrs-fs.ts';
import { lrsFsRefs } from './lrs-fs-refs.ts';
import { positiveInt } from './miri-ramp.node.ts';
import { frameTime } from './subarrays.ts';
import { exposureKeywords, isoToMjd, type ExposureTiming } from './timing.ts';
import { uncalPrimary, uncalSciHeader, type UncalSpec } from './uncal.ts';
import { installReferences, writeTextAtomic } from './write.node.ts';

export interface LrsFsOptions {
  readonly out: string;
  /** Distance of each nod from the slit centre along the slit (arcsec); A at -offset, B at +offset. Default 1.1. */
  readonly nodOffset?: number;
  readonly teff?: number;
  readonly kmag?: number;
  readonly seed?: number;
  readonly nints?: number;
  readonly ngroups?: number;
  readonly start?: string;
  readonly ra?: number;
  readonly dec?: number;
  readonly crdsPath?: string;
}

export interface LrsFsResult {
  /** The nod A and nod B rate files. */
  readonly rates: readonly [string, string];
  readonly truthJson: string;
  readonly crdsPath: string;
  readonly context: string;
  readonly references: string[];
  readonly mappings: string[];
}

/** MIRI read noise used for the rate variance (DN per read, CDS / sqrt 2). */
const READ_NOISE_DN = 6.5, GAIN = 5.5;

/** Slope read-noise variance (DN/s)^2 of a fitted ramp: 12 rn^2 / (N (N^2 - 1) tgroup^2) per integration, / nints. */
function readnoiseVar(t: ExposureTiming): number {
  const n = t.ngroups;
  return (12 * READ_NOISE_DN ** 2) / (n * (n * n - 1) * t.tgroup ** 2) / t.nints;
}

/** RA_REF/DEC_REF placing the target at `alpha` arcsec along the slit (fixed-point on the LRS WCS). */
function solvePointing(base: Omit<Pointing, 'ra_ref' | 'dec_ref'>, ra: number, dec: number, alpha: number, build: (p: Pointing) => ReturnType<typeof buildLrsWcs>): Pointing {
  let p: Pointing = { ...base, ra_ref: ra, dec_ref: dec };
  for (let k = 0; k < 6; k++) {
    const w = build(p).evaluate([Float64Array.of(alpha), Float64Array.of(0), Float64Array.of(7)], { from: 'alpha_beta' });
    p = { ...p, ra_ref: p.ra_ref - (w[0]![0]! - ra), dec_ref: p.dec_ref - (w[1]![0]! - dec) };
  }
  return p;
}

function rateHdus(spec: UncalSpec, name: string, p: Pointing, nod: { num: number; arcsec: number }, r: ReturnType<typeof noisyRate>, ra: number, dec: number): HduSpec[] {
  const prim = uncalPrimary(spec, name).set('DATAMODL', 'ImageModel', 'Type of data model')
    .set('PATTTYPE', 'ALONG-SLIT-NOD', 'Primary dither pattern type').set('NUMDTHPT', 2, 'Total number of points in pattern')
    .set('PATT_NUM', nod.num, 'Position number within dither pattern').set('PATTSTRT', 1, 'Starting point in pattern')
    .set('BKGDTARG', false, 'Background target').set('DITH_RA', ra, 'RA of dithered pointing location')
    .set('DITH_DEC', dec, 'Dec of dithered pointing location').set('YOFFSET', nod.arcsec, 'y offset from pattern starting position');
  const sci = uncalSciHeader(spec).set('BUNIT', 'DN/s', 'physical units of the array values')
    .set('RA_REF', p.ra_ref, '[deg] Right ascension at the reference point').set('DEC_REF', p.dec_ref, '[deg] Declination at the reference point')
    .set('V2_REF', p.v2_ref, '[arcsec] Telescope v2 coordinate of the reference point').set('V3_REF', p.v3_ref, '[arcsec] Telescope v3 coordinate of the reference point')
    .set('ROLL_REF', p.roll_ref, '[deg] V3 roll angle at the ref point (N over E)');
  const shape = [FS_SUB.ysize, FS_SUB.xsize];
  const dq = new Uint32Array(r.data.length);
  for (let i = 0; i < dq.length; i++) if (!Number.isFinite(r.data[i]!)) dq[i] = DQ.DO_NOT_USE | DQ.REFERENCE_PIXEL;
  const e = (n: string, unit?: string) => { const h = new Header().set('EXTNAME', n, 'extension name'); if (unit) h.set('BUNIT', unit); return h; };
  return [
    { header: prim }, { header: sci, image: ndarray(r.data, shape) }, { header: e('ERR', 'DN/s'), image: ndarray(r.err, shape) },
    { header: e('DQ'), image: ndarray(dq, shape) }, { header: e('VAR_POISSON', '(DN/s)^2'), image: ndarray(r.varPoisson, shape) },
    { header: e('VAR_RNOISE', '(DN/s)^2'), image: ndarray(r.varRnoise, shape) },
  ];
}

/** Simulate the nod pair, install the references, write truth.json. */
export async function simulateLrsFs(o: LrsFsOptions): Promise<LrsFsResult> {
  const nints = positiveInt(o.nints, 2, 'nints'), ngroups = positiveInt(o.ngroups, 20, 'ngroups', 2);
  const seed = o.seed ?? 2027, teff = o.teff ?? 5500, kmag = o.kmag ?? 9, nodOffset = o.nodOffset ?? 1.1;
  const maxOffset = (SLIT_HALF_PX - 5) * FS_PIXEL_SCALE;
  if (!(Math.abs(nodOffset) > 0.3 && Math.abs(nodOffset) <= maxOffset)) throw new RangeError(`--nod-offset must be within 0.3..${maxOffset.toFixed(2)} arcsec of the slit centre, got ${nodOffset}`);
  const ra = o.ra ?? 80.4, dec = o.dec ?? -69.5;
  const tframe = frameTime(FS_SUB, 'FASTR1');
  const timing: ExposureTiming = { tframe, tgroup: tframe, ngroups, nints, expstart: isoToMjd(o.start ?? '2026-04-02T08:09:10') };
  await mkdir(o.out, { recursive: true });
  const crdsPath = o.crdsPath ?? path.join(o.out, 'crds_cache');
  const flat = fsFlat(seed);
  const refs = lrsFsRefs(flat);
  const inst = await installReferences(crdsPath, refs);
  const refPath = (t: string) => inst.references[refs.findIndex((r) => r.reftype === t)]!;
  const specwcs = await readLrsSpecwcs(refPath('specwcs'));
  const distortion = await readDistortion(refPath('distortion'));
  const exp = { expType: 'MIR_LRS-FIXEDSLIT' as const, xstart: 1, ystart: 1, xsize: FS_SUB.xsize, ysize: FS_SUB.ysize };
  const build = (p: Pointing) => buildLrsWcs({ ...exp, pointing: p }, specwcs, distortion);
  const probe = build({ v2_ref: 0, v3_ref: 0, roll_ref: 0, ra_ref: ra, dec_ref: dec });
  const v23 = probe.evaluate([Float64Array.of(0), Float64Array.of(0), Float64Array.of(7)], { from: 'alpha_beta', to: 'v2v3' });
  const base = { v2_ref: v23[0]![0]!, v3_ref: v23[1]![0]!, roll_ref: 250 };
  const texp = exposureKeywords(timing).EFFEXPTM!, rn2 = readnoiseVar(timing);
  const rates: string[] = [];
  const nods = [{ label: 'A', num: 1, arcsec: -nodOffset, exposure: '00001' }, { label: 'B', num: 2, arcsec: nodOffset, exposure: '00002' }];
  const pointings: Pointing[] = [];
  for (const [k, nod] of nods.entries()) {
    const spec: UncalSpec = {
      sub: FS_SUB, readpatt: 'FASTR1', timing, expType: 'MIR_LRS-FIXEDSLIT', filter: 'P750L', tso: false, program: '09998', observation: '002',
      visit: '001', exposure: nod.exposure, targRa: ra, targDec: dec, targetName: 'SIM-LRS-FS', apername: 'MIRIM_SLIT', refSci: [IMX, IMY],
    };
    const p = solvePointing(base, ra, dec, nod.arcsec, build);
    pointings.push(p);
    const scene = fsScene(teff, kmag, nod.arcsec, flat);
    const slope = new Float32Array(scene.star.length);
    for (let i = 0; i < slope.length; i++) slope[i] = scene.star[i]! + scene.background[i]!;
    const name = `jw09998002001_03101_${nod.exposure}_mirimage_rate.fits`;
    const file = path.join(o.out, name);
    await writeFits(file, rateHdus(spec, name, p, nod, noisyRate(slope, GAIN, texp, rn2, (seed * 7919 + k) >>> 0), ra, dec));
    rates.push(file);
  }
  const truthJson = path.join(o.out, 'truth.json');
  await writeTextAtomic(truthJson, JSON.stringify({
    kind: 'miri-lrs-fs', teff, magnitude: kmag, magnitude_band: 'K', seed, nints, ngroups, effexptm_s: texp,
    star: 'blackbody F_nu(um) = 666.7 Jy 10^(-0.4 K) B_nu(um, teff) / B_nu(2.159, teff) (core/simulate/lrs.ts starFluxJy); no slit loss simulated (PATHLOSS N/A)',
    nods: nods.map((n, k) => ({
      label: n.label, file: path.basename(rates[k]!), offset_arcsec: n.arcsec, offset_pixels: n.arcsec / FS_PIXEL_SCALE,
      column_at_slit_centre: IMX - 1 + n.arcsec / FS_PIXEL_SCALE, ra_ref: pointings[k]!.ra_ref, dec_ref: pointings[k]!.dec_ref,
    })),
    target: { ra, dec }, slit: { imx: IMX, imy: IMY, half_length_pixels: SLIT_HALF_PX, pixel_scale_arcsec: FS_PIXEL_SCALE, v2_ref: base.v2_ref, v3_ref: base.v3_ref },
    background: { in_slit_dn_s: 'backgroundRate(um) = 0.5 + 2 exp((um - 10) / 1.6) DN/s per pixel, times the flat', at_7um_dn_s: backgroundRate(7), off_slit_dn_s: OFF_SLIT_RATE },
    noise: { gain: GAIN, read_noise_dn: READ_NOISE_DN, var_rnoise: rn2 },
    photmjsr: PHOTMJSR, pixar_sr: PIXAR_SR,
    crds: { path: crdsPath, context: inst.context }, references: Object.fromEntries(refs.map((r) => [r.reftype, r.name])),
  }, null, 1) + '\n');
  return { rates: [rates[0]!, rates[1]!], truthJson, crdsPath, context: inst.context, references: inst.references, mappings: inst.mappings };
}
