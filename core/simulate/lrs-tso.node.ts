/**
 * `webbdesk simulate miri-lrs-tso`: a MIRI LRS SLITLESSPRISM TSO uncal
 * (EXP_TYPE MIR_LRS-SLITLESS, FILTER P750L, TSOVISIT T) of a blackbody star
 * with an injected limb-darkened transit, streamed integration by
 * integration; truth.json + truth.fits beside it; the detector1 and LRS
 * reference sets installed in the project's CRDS cache.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { makeDetector } from './detector.ts';
import { lrsRefs } from './lrs-refs.ts';
import { IMXSLTL, IMYSLTL, LRS_SUB, lrsScene, PHOTMJSR } from './lrs.ts';
import { positiveInt, writeTruthFits, type SimulationResult } from './miri-ramp.node.ts';
import { rampRandom } from './random.ts';
import { drawJumps } from './ramp.ts';
import { detector1Refs } from './refs.ts';
import { frameTime, isReferenceColumn } from './subarrays.ts';
import { exposureKeywords, integrationTimes, isoToMjd, mjdUtcToBjdTdb, type ExposureTiming } from './timing.ts';
import { centralDepth, transitFlux, type TransitParams } from './transit.ts';
import { uncalFileName, type UncalSpec } from './uncal.ts';
import { installReferences, writeTextAtomic, writeUncal } from './write.node.ts';

export interface LrsTsoOptions {
  readonly out: string;
  readonly nints?: number;
  readonly ngroups?: number;
  readonly teff?: number;
  readonly kmag?: number;
  /** Either the (uniform-disk) depth (Rp/Rs)^2 or rp_rs. Default depth 0.01. */
  readonly depth?: number;
  readonly rpRs?: number;
  /** Mid-transit MJD (UTC); default the exposure mid time. */
  readonly tMid?: number;
  /** First-to-fourth contact duration in days; default half the exposure duration. */
  readonly t14?: number;
  readonly b?: number;
  readonly u1?: number;
  readonly u2?: number;
  readonly seed?: number;
  readonly jumps?: number;
  readonly start?: string;
  readonly ra?: number;
  readonly dec?: number;
  readonly crdsPath?: string;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface LrsTruth {
  readonly rp_rs: number;
  readonly depth: number;
  readonly central_depth: number;
  readonly t_mid_mjd: number;
  readonly t_mid_bjd_tdb: number;
  readonly t14_days: number;
  readonly b: number;
  readonly u1: number;
  readonly u2: number;
  readonly teff: number;
  readonly magnitude: number;
  readonly magnitude_band: 'K';
  readonly nints: number;
  readonly ngroups: number;
  readonly seed: number;
}

function transitParams(o: LrsTsoOptions, timing: ExposureTiming): TransitParams {
  if (o.depth !== undefined && o.rpRs !== undefined) throw new RangeError('give either --depth or --rp-rs, not both');
  const rpRs = o.rpRs ?? Math.sqrt(o.depth ?? 0.01);
  if (!(rpRs > 0 && rpRs < 1)) throw new RangeError(`Rp/Rs must be in (0, 1), got ${rpRs}`);
  const ek = exposureKeywords(timing);
  const duration = ek.DURATION! / 86400;
  return { rpRs, tMid: o.tMid ?? ek.EXPMID!, t14: o.t14 ?? duration / 2, b: o.b ?? 0, u1: o.u1 ?? 0.1, u2: o.u2 ?? 0.1 };
}

export async function simulateLrsTso(o: LrsTsoOptions): Promise<SimulationResult & { truth: LrsTruth }> {
  const nints = positiveInt(o.nints, 200, 'nints');
  const ngroups = positiveInt(o.ngroups, 10, 'ngroups', 2);
  const seed = o.seed ?? 2026, teff = o.teff ?? 5500, kmag = o.kmag ?? 9;
  const tframe = frameTime(LRS_SUB, 'FASTR1');
  const timing: ExposureTiming = { tframe, tgroup: tframe, ngroups, nints, expstart: isoToMjd(o.start ?? '2026-03-14T10:11:12') };
  const ra = o.ra ?? 80.4, dec = o.dec ?? -69.5;
  const tp = transitParams(o, timing);
  const spec: UncalSpec = {
    sub: LRS_SUB, readpatt: 'FASTR1', timing, expType: 'MIR_LRS-SLITLESS', filter: 'P750L', tso: true,
    program: '09999', observation: '001', visit: '001', exposure: '00001', targRa: ra, targDec: dec, targetName: 'SIM-TRANSIT', segment: 1,
    apername: 'MIRIM_SLITLESSPRISM', refSci: [IMXSLTL - (LRS_SUB.xstart - 1), IMYSLTL - (LRS_SUB.ystart - 1)],
  };
  const det = makeDetector(LRS_SUB, seed);
  const scene = lrsScene(teff, kmag, seed);
  const flux = Float64Array.from({ length: nints }, (_, i) => transitFlux(integrationTimes(timing, i).mid, tp));
  const slope = new Float32Array(scene.star.length);
  const slopeFor = (i: number) => {
    for (let p = 0; p < slope.length; p++) slope[p] = scene.background[p]! + scene.star[p]! * flux[i]!;
    return slope;
  };
  const rnd = rampRandom(seed);
  const jumps = drawJumps(o.jumps ?? 3e-5, nints, ngroups, tframe, det.ny, det.nx, (y, x) => !isReferenceColumn(LRS_SUB, x) && !det.mask[y * det.nx + x], rnd);
  await mkdir(o.out, { recursive: true });
  const uncal = path.join(o.out, uncalFileName(spec));
  await writeUncal(uncal, { det, spec, slopeFor, jumps, rnd, onProgress: o.onProgress, signal: o.signal });
  const crdsPath = o.crdsPath ?? path.join(o.out, 'crds_cache');
  const refs = [...detector1Refs(det, 'FASTR1', ngroups, tframe), ...lrsRefs(scene.flat)];
  const inst = await installReferences(crdsPath, refs);
  const truthFits = path.join(o.out, 'truth.fits');
  await writeTruthFits(truthFits, { STAR_SLOPE: scene.star, BKG_SLOPE: scene.background, PEDESTAL: det.pedestal }, det,
    'STAR_SLOPE (out of transit) and BKG_SLOPE: linear DN/s including the flat; slope(i) = BKG + STAR * flux[i]');
  const truth: LrsTruth = {
    rp_rs: tp.rpRs, depth: tp.rpRs ** 2, central_depth: centralDepth(tp), t_mid_mjd: tp.tMid, t_mid_bjd_tdb: mjdUtcToBjdTdb(tp.tMid, ra, dec),
    t14_days: tp.t14, b: tp.b ?? 0, u1: tp.u1, u2: tp.u2, teff, magnitude: kmag, magnitude_band: 'K', nints, ngroups, seed,
  };
  const truthJson = path.join(o.out, 'truth.json');
  await writeTextAtomic(truthJson, JSON.stringify({
    ...truth, kind: 'miri-lrs-tso', uncal: path.basename(uncal), photmjsr: PHOTMJSR,
    limb_darkening: 'quadratic, same u1/u2 at all wavelengths', orbit: 'straight-line crossing, z = sqrt(b^2 + ((1+p)^2 - b^2) (2 (t - t_mid) / t14)^2)',
    relative_flux: Array.from(flux, (f) => Math.round(f * 1e9) / 1e9), jumps,
    crds: { path: crdsPath, context: inst.context }, references: Object.fromEntries(refs.map((r) => [r.reftype, r.name])),
  }, null, 1) + '\n');
  return { uncal, truthJson, truthFits, crdsPath, context: inst.context, references: inst.references, mappings: inst.mappings, jumps, truth };
}
