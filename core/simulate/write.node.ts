/**
 * Writing simulated exposures and installing their reference files into a
 * CRDS cache (mappings/jwst/, references/jwst/miri/, config/jwst/), with the
 * local context regenerated from every simulated reference the cache holds
 * (index: <cache>/webbdesk-simulated-refs.json), so several simulations can
 * share one cache.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeAsdfFile } from '../asdf/index.node.ts';
import { FitsWriter, writeFits } from '../fits/index.node.ts';
import { Header, type HduSpec } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { CONTEXT, contextMappings, type MappingEntry } from './mappings.ts';
import { simulateIntegration, type Jump, type RampRandom } from './ramp.ts';
import type { DetectorModel } from './detector.ts';
import type { RefFile } from './refs.ts';
import { intTimesColumns } from './timing.ts';
import { uncalPrimary, uncalSciHeader, type UncalSpec } from './uncal.ts';

export const INDEX_FILE = 'webbdesk-simulated-refs.json';

/** Write a text file atomically. */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, text, { flag: 'wx' });
  await rename(tmp, file);
}

export interface StreamOptions {
  readonly det: DetectorModel;
  readonly spec: UncalSpec;
  /** Slope map (DN/s) of integration i. */
  readonly slopeFor: (i: number) => Float32Array;
  readonly jumps: readonly Jump[];
  readonly rnd: RampRandom;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Stream an uncal file integration by integration (memory: one integration). */
export async function writeUncal(file: string, o: StreamOptions): Promise<void> {
  const { det, spec } = o;
  const { nints, ngroups, tgroup } = spec.timing;
  const byInt = new Map<number, Jump[]>();
  for (const j of o.jumps) byInt.set(j.integration, [...(byInt.get(j.integration) ?? []), j]);
  const w = await FitsWriter.create(file);
  try {
    await w.addHdu({ header: uncalPrimary(spec, path.basename(file)) });
    await w.beginImage(uncalSciHeader(spec), 'uint16', [nints, ngroups, det.ny, det.nx]);
    for (let i = 0; i < nints; i++) {
      o.signal?.throwIfAborted();
      const data = simulateIntegration({ det, ngroups, tgroup, integration: i, slope: o.slopeFor(i), jumps: byInt.get(i) ?? [], rnd: o.rnd });
      await w.writePlane(ndarray(data, [ngroups, det.ny, det.nx]));
      o.onProgress?.(i + 1, nints);
    }
    const cols = intTimesColumns(spec.timing, spec.targRa, spec.targDec);
    await w.addHdu({ header: new Header().set('EXTNAME', 'INT_TIMES', 'extension name'), table: { columns: cols, nrows: nints } });
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

export interface CacheLayout {
  readonly crdsPath: string;
  readonly mappingDir: string;
  readonly referenceDir: string;
  readonly configDir: string;
}

export function cacheLayout(crdsPath: string): CacheLayout {
  return {
    crdsPath,
    mappingDir: path.join(crdsPath, 'mappings', 'jwst'),
    referenceDir: path.join(crdsPath, 'references', 'jwst', 'miri'),
    configDir: path.join(crdsPath, 'config', 'jwst'),
  };
}

async function readIndex(crdsPath: string): Promise<MappingEntry[]> {
  try {
    return JSON.parse(await readFile(path.join(crdsPath, INDEX_FILE), 'utf8')) as MappingEntry[];
  } catch {
    return [];
  }
}

async function writeRef(dir: string, r: RefFile): Promise<string> {
  const file = path.join(dir, r.name);
  if (r.hdus) await writeFits(file, r.hdus as HduSpec[]);
  else if (r.asdf) await writeAsdfFile(file, r.asdf);
  else if (r.text !== undefined) await writeTextAtomic(file, r.text);
  return file;
}

/**
 * Write `refs` into the cache and regenerate the local context's mappings.
 * Returns the reference paths and the mapping file names.
 */
export async function installReferences(crdsPath: string, refs: readonly RefFile[]): Promise<{ context: string; references: string[]; mappings: string[] }> {
  const L = cacheLayout(crdsPath);
  for (const d of [L.mappingDir, L.referenceDir, L.configDir]) await mkdir(d, { recursive: true });
  const references: string[] = [];
  for (const r of refs) references.push(await writeRef(L.referenceDir, r));
  const key = (e: MappingEntry) => `${e.reftype}|${JSON.stringify(Object.entries(e.match).sort())}`;
  const merged = new Map<string, MappingEntry>();
  for (const e of await readIndex(crdsPath)) merged.set(key(e), e);
  for (const r of refs) merged.set(key({ reftype: r.reftype, file: r.name, match: r.match }), { reftype: r.reftype, file: r.name, match: r.match });
  const entries = [...merged.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  await writeTextAtomic(path.join(crdsPath, INDEX_FILE), JSON.stringify(entries, null, 1) + '\n');
  const mappings: string[] = [];
  for (const [name, text] of contextMappings(entries)) {
    await writeTextAtomic(path.join(L.mappingDir, name), text);
    mappings.push(name);
  }
  await writeTextAtomic(path.join(L.configDir, 'ref_cache_subdir_mode'), 'instrument\n');
  return { context: CONTEXT, references, mappings };
}
