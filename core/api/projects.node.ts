/** Projects: open a folder, scan it, group exposures, read key header values lazily, outliers. */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WebbError } from '../errors/index.ts';
import { FitsFile } from '../fits/index.node.ts';
import { parseJwstName, stageOf } from './naming.ts';
import type { ExposureGroup, FileSummary, ProjectFile, ProjectOutliers, ProjectScan } from './types.ts';

const DATA_FILE = /\.(fits|fit|fts|ecsv|asdf)$|_asn\.json$/i;
const MAX_DEPTH = 5;
const MAX_FILES = 20_000;

/** The folder where WebbDesk keeps its own state in a project. */
export const stateDir = (root: string): string => path.join(root, '.webbdesk');

async function walk(root: string): Promise<Array<{ full: string; size: number }>> {
  const out: Array<{ full: string; size: number }> = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (e.isDirectory()) {
        // Our own state: only run outputs are data; skip other hidden folders and big irrelevant trees.
        if (e.name === 'node_modules' || e.name === 'crds_cache') continue;
        if (e.name.startsWith('.') && !(rel === '.webbdesk' || rel.startsWith('.webbdesk/runs'))) continue;
        await visit(full, depth + 1);
      } else if (e.isFile() && DATA_FILE.test(e.name)) {
        out.push({ full, size: (await stat(full)).size });
      }
    }
  };
  await visit(root, 0);
  return out;
}

function toProjectFile(root: string, full: string, size: number): ProjectFile {
  const name = path.basename(full);
  const relative = path.relative(root, full).split(path.sep).join('/');
  const p = parseJwstName(name);
  const run = /^\.webbdesk\/runs\/([^/]+)\//.exec(relative);
  return {
    path: full, relative, name, size,
    stage: p ? stageOf(p.suffix, name) : stageOf('', name),
    program: p?.program ?? null,
    observation: p ? `jw${p.program}${p.observation}` : null,
    visit: p?.visit ?? null,
    exposure: p?.exposure ?? null,
    segment: p?.segment ?? null,
    detector: p?.detector ?? null,
    runId: run ? run[1] : null,
  };
}

/** Scan a project folder: files grouped by observation/visit/exposure/detector. */
export async function scanProject(root: string): Promise<ProjectScan> {
  const files = (await walk(root)).map((f) => toProjectFile(root, f.full, f.size));
  const groups = new Map<string, { observation: string; visit: string; exposure: string; detector: string; files: ProjectFile[] }>();
  const other: ProjectFile[] = [];
  for (const f of files) {
    if (!f.observation || !f.visit || !f.exposure || !f.detector) {
      other.push(f);
      continue;
    }
    const key = `${f.observation}${f.visit}_${f.exposure}_${f.detector}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { observation: f.observation, visit: f.visit, exposure: f.exposure, detector: f.detector, files: [] }));
    g.files.push(f);
  }
  const list: ExposureGroup[] = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({ key, ...g }));
  return { root, name: path.basename(root), groups: list, other, scannedAt: new Date().toISOString() };
}

const summaryCache = new Map<string, { stamp: string; summary: FileSummary }>();

/** Key header values of one file (cached by size and mtime). */
export async function summarize(full: string): Promise<FileSummary> {
  const st = await stat(full);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = summaryCache.get(full);
  if (hit && hit.stamp === stamp) return hit.summary;
  const empty = { path: full, model: null, instrument: null, expType: null, detector: null, subarray: null, filter: null, nints: null, ngroups: null, error: null };
  let summary: FileSummary = empty;
  if (/\.(fits|fit|fts)$/i.test(full)) {
    try {
      const f = await FitsFile.open(full);
      try {
        const h = f.hdus[0].header;
        const str = (k: string): string | null => (typeof h.get(k) === 'string' ? String(h.get(k)).trim() : null);
        const num = (k: string): number | null => (typeof h.get(k) === 'number' ? Number(h.get(k)) : null);
        summary = {
          ...empty, model: str('DATAMODL'), instrument: str('INSTRUME'), expType: str('EXP_TYPE'), detector: str('DETECTOR'),
          subarray: str('SUBARRAY'), filter: str('FILTER'), nints: num('NINTS'), ngroups: num('NGROUPS'),
        };
      } finally {
        await f.close();
      }
    } catch (e) {
      summary = { ...empty, error: e instanceof Error ? e.message : String(e) };
    }
  }
  summaryCache.set(full, { stamp, summary });
  return summary;
}

// ---------------------------------------------------------------- outliers

const OUTLIERS = 'outliers.json';

async function readOutliers(root: string): Promise<Record<string, number[]>> {
  try {
    return JSON.parse(await readFile(path.join(stateDir(root), OUTLIERS), 'utf8')) as Record<string, number[]>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new WebbError('project-state', `cannot read ${path.join(stateDir(root), OUTLIERS)}: ${(e as Error).message}`);
  }
}

export async function getOutliers(root: string, full: string): Promise<ProjectOutliers> {
  const rel = path.relative(root, full).split(path.sep).join('/');
  return { path: full, integrations: (await readOutliers(root))[rel] ?? [] };
}

/** Record the outlier integrations of one file in <project>/.webbdesk/outliers.json (atomic write). */
export async function setOutliers(root: string, full: string, integrations: readonly number[]): Promise<ProjectOutliers> {
  const rel = path.relative(root, full).split(path.sep).join('/');
  const all = await readOutliers(root);
  const sorted = [...new Set(integrations)].sort((a, b) => a - b);
  if (sorted.length) all[rel] = sorted;
  else delete all[rel];
  await mkdir(stateDir(root), { recursive: true });
  const target = path.join(stateDir(root), OUTLIERS);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(all, null, 1));
  await rename(tmp, target);
  return { path: full, integrations: sorted };
}
