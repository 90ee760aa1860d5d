/**
 * `webbdesk simulate miri-ramp`: a MIRI imager uncal (any subarray, readout
 * pattern, nints, ngroups) with known slopes and injected jumps, its truth
 * (truth.json + truth.fits beside the uncal) and the detector1 reference set
 * installed in the project's CRDS cache under the local context.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFits } from '../fits/index.node.ts';
import { Header } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { makeDetector, type DetectorModel, type DetectorOptions } from './detector.ts';
import { rampRandom } from './random.ts';
import { drawJumps, type Jump } from './ramp.ts';
import { detector1Refs, type RefFile } from './refs.ts';
import { rampScene } from './scene.ts';
import { frameTime, isReferenceColumn, miriSubarray, type ReadPattern } from './subarrays.ts';
import { isoToMjd, type ExposureTiming } from './timing.ts';
import { uncalFileName, type UncalSpec } from './uncal.ts';
import { installReferences, writeTextAtomic, writeUncal } from './write.node.ts';

export interface MiriRampOptions {
  readonly out: string;
  readonly subarray?: string;
  readonly nints?: number;
  readonly ngroups?: number;
  readonly readpatt?: ReadPattern;
  readonly seed?: number;
  /** Cosmic-ray jumps per pixel per second (default 3e-5, about the MIRI in-flight rate of 5 /cm^2/s). */
  readonly jumps?: number;
  /** ISO UTC start of the exposure (default 2026-03-14T10:11:12). */
  readonly start?: string;
  readonly expType?: string;
  readonly filter?: string;
  readonly tso?: boolean;
  /** CRDS cache directory (default <out>/crds_cache). */
  readonly crdsPath?: string;
  readonly detector?: DetectorOptions;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SimulationResult {
  readonly uncal: string;
  readonly truthJson: string;
  readonly truthFits: string;
  readonly crdsPath: string;
  readonly context: string;
  readonly references: string[];
  readonly mappings: string[];
  readonly jumps: readonly Jump[];
}

export function positiveInt(v: number | undefined, dflt: number, name: string, min = 1): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} must be an integer >= ${min}, got ${v}`);
  return n;
}

export async function writeTruthFits(file: string, arrays: Record<string, Float32Array>, det: DetectorModel, comment: string): Promise<void> {
  const primary = new Header().set('ORIGIN', 'WebbDesk', 'simulation truth').set('COMMENT', comment);
  await writeFits(file, [{ header: primary }, ...Object.entries(arrays).map(([name, a]) => ({
    header: new Header().set('EXTNAME', name).set('BUNIT', name === 'PEDESTAL' ? 'DN' : 'DN/s'),
    image: ndarray(a, [det.ny, det.nx]),
  }))]);
}

export async function simulateMiriRamp(o: MiriRampOptions): Promise<SimulationResult> {
  const sub = miriSubarray(o.subarray ?? 'SUB64');
  const readpatt = o.readpatt ?? 'FASTR1';
  const nints = positiveInt(o.nints, 2, 'nints');
  const ngroups = positiveInt(o.ngroups, 10, 'ngroups', 2);
  const seed = o.seed ?? 1;
  const tframe = frameTime(sub, readpatt);
  const timing: ExposureTiming = { tframe, tgroup: tframe, ngroups, nints, expstart: isoToMjd(o.start ?? '2026-03-14T10:11:12') };
  const spec: UncalSpec = {
    sub, readpatt, timing, expType: o.expType ?? 'MIR_IMAGE', filter: o.filter ?? 'F770W', tso: o.tso ?? false,
    program: '09999', observation: '001', visit: '001', exposure: '00001', targRa: 80.4, targDec: -69.5,
  };
  const det = makeDetector(sub, seed, o.detector);
  const slope = rampScene(det, seed);
  const rnd = rampRandom(seed);
  const jumps = drawJumps(o.jumps ?? 3e-5, nints, ngroups, timing.tgroup, det.ny, det.nx, (y, x) => !isReferenceColumn(sub, x) && !det.mask[y * det.nx + x], rnd);
  await mkdir(o.out, { recursive: true });
  const uncal = path.join(o.out, uncalFileName(spec));
  await writeUncal(uncal, { det, spec, slopeFor: () => slope, jumps, rnd, onProgress: o.onProgress });
  const refs: RefFile[] = detector1Refs(det, readpatt, ngroups, timing.tgroup);
  const crdsPath = o.crdsPath ?? path.join(o.out, 'crds_cache');
  const inst = await installReferences(crdsPath, refs);
  const truthFits = path.join(o.out, 'truth.fits');
  await writeTruthFits(truthFits, { TRUE_SLOPE: slope, PEDESTAL: det.pedestal }, det, 'TRUE_SLOPE: linear DN/s per pixel; PEDESTAL: DN');
  const truthJson = path.join(o.out, 'truth.json');
  const truth = {
    kind: 'miri-ramp', seed, subarray: sub.name, readpatt, nints, ngroups, tframe, tgroup: timing.tgroup, uncal: path.basename(uncal),
    slopes: 'truth.fits[TRUE_SLOPE] (linear DN/s, before IPC and non-linearity)', readnoise_convention: 'READNOISE = CDS noise; per-read noise = READNOISE/sqrt(2)',
    jumps, crds: { path: crdsPath, context: inst.context }, references: Object.fromEntries(refs.map((r) => [r.reftype, r.name])),
  };
  await writeTextAtomic(truthJson, JSON.stringify(truth, null, 1) + '\n');
  return { uncal, truthJson, truthFits, crdsPath, context: inst.context, references: inst.references, mappings: inst.mappings, jumps };
}
