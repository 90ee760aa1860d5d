/**
 * Outlier integrations marked in a project (<project>/.webbdesk/outliers.json,
 * written by projects.setOutliers: project-relative file -> 1-based
 * integration numbers) honoured by later runs.
 *
 * Which marks apply: those on the run's input itself, on a member of an
 * input association, or on any file of the same exposure, i.e. a JWST name
 * with the same program, observation and visit and, when both names are
 * level-2 exposure names, the same exposure number and detector (segments
 * share integration numbering, so -segNNN is ignored). A mark on the _whtlt,
 * _x1dints or _calints of a visit therefore applies to a tso3 run on it.
 *
 * What a run does with them (chosen to leave every calibrated product as
 * jwst would write it and to make the exclusion visible where it matters):
 * the rows of the marked integrations are REMOVED from each white-light
 * curve the run writes (ECSV whose columns include whitelight_flux; row k is
 * integration k+1, as the white_light step writes one row per integration of
 * the combined exposure), and the ECSV meta gains
 * `webbdesk_excluded_integrations: [..]`. _crfints and _x1dints are
 * untouched (their spectra stay available for inspection). The marks and
 * the rows removed are recorded in the run's provenance (run.json outliers).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WebbError } from '../errors/index.ts';
import { parseJwstName, type ParsedName } from './naming.ts';
import { stateDir } from './projects.node.ts';
import type { RunOutliers } from './types.ts';

export const OUTLIER_ACTION = 'rows of these integrations removed from the white-light curve (_whtlt.ecsv; meta webbdesk_excluded_integrations); other products unchanged';

async function readMarks(root: string): Promise<Record<string, number[]>> {
  const file = path.join(stateDir(root), 'outliers.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, number[]>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new WebbError('project-state', `cannot read ${file}: ${(e as Error).message}`, { file });
  }
}

/** The files a run reads: the input and, for an association, its members' files and product names. */
async function inputNames(input: string): Promise<{ paths: string[]; names: string[] }> {
  const paths = [path.resolve(input)];
  const names = [path.basename(input)];
  if (!/_asn\.json$/i.test(input)) return { paths, names };
  try {
    const asn = JSON.parse(await readFile(input, 'utf8')) as { products?: Array<{ name?: string; members?: Array<{ expname?: string }> }> };
    for (const p of asn.products ?? []) {
      if (p.name) names.push(`${p.name}_whtlt.ecsv`);
      for (const m of p.members ?? []) {
        if (!m.expname) continue;
        paths.push(path.resolve(path.dirname(input), m.expname));
        names.push(path.basename(m.expname));
      }
    }
  } catch {
    /* an unreadable association: the runner reports it */
  }
  return { paths, names };
}

const LEVEL3 = 'level3';

/** True when two parsed names are the same exposure for outlier purposes (see the module doc). */
export function sameExposure(a: ParsedName, b: ParsedName): boolean {
  if (a.program !== b.program || a.observation !== b.observation) return false;
  if (a.visit === LEVEL3 || b.visit === LEVEL3) return false; // level-3 non-TSO names do not say the visit
  if (a.visit !== b.visit) return false;
  if (a.exposure === LEVEL3 || b.exposure === LEVEL3) return true;
  return a.exposure === b.exposure && a.detector === b.detector;
}

/** The marks that apply to a run on `input` in project `root` (null when none). */
export async function outliersForRun(root: string, input: string): Promise<RunOutliers | null> {
  const marks = await readMarks(root);
  const { paths, names } = await inputNames(input);
  const parsed = names.map((n) => parseJwstName(n)).filter((p): p is ParsedName => !!p);
  const ints = new Set<number>();
  const markedOn: string[] = [];
  for (const [rel, list] of Object.entries(marks)) {
    if (!Array.isArray(list) || list.length === 0) continue;
    const full = path.resolve(root, rel);
    const p = parseJwstName(path.basename(rel));
    if (!paths.includes(full) && !(p && parsed.some((q) => sameExposure(p, q)))) continue;
    markedOn.push(rel);
    for (const k of list) if (Number.isInteger(k) && k >= 1) ints.add(k);
  }
  if (ints.size === 0) return null;
  return { integrations: [...ints].sort((x, y) => x - y), markedOn, action: OUTLIER_ACTION, applied: [] };
}

/** True for an ECSV white-light curve (its column-name line includes whitelight_flux). */
export function isWhiteLight(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() && !l.startsWith('#'));
  return !!first && /(^|\s)whitelight_flux\w*(\s|$)/.test(first);
}

/**
 * An ECSV white-light curve without the rows of `integrations` (1-based; row
 * k of the data is integration k+1) and with the exclusion recorded in its
 * meta. Returns the new text and the number of rows removed.
 */
export function dropWhiteLightRows(text: string, integrations: readonly number[]): { text: string; removed: number } {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  if (header < 0) return { text, removed: 0 };
  const drop = new Set(integrations);
  const out: string[] = [];
  let row = 0;
  let removed = 0;
  for (const [i, l] of lines.entries()) {
    if (i <= header || l.trim() === '' || l.startsWith('#')) { out.push(l); continue; }
    row++;
    if (drop.has(row)) removed++;
    else out.push(l);
  }
  const entry = `# - {webbdesk_excluded_integrations: [${[...drop].sort((a, b) => a - b).join(', ')}]}`;
  const meta = out.findIndex((l) => /^# meta: !!omap\s*$/.test(l));
  if (meta >= 0) out.splice(meta + 1, 0, entry);
  else {
    const schema = out.findIndex((l) => /^# schema:/.test(l));
    out.splice(schema >= 0 ? schema : header, 0, '# meta: !!omap', entry);
  }
  return { text: out.join('\n'), removed };
}

/** Apply the exclusion to the white-light curves among `outputs` (atomic rewrite); returns the record with `applied` filled. */
export async function applyOutliers(o: RunOutliers, outputs: readonly string[]): Promise<RunOutliers> {
  const applied: Array<{ output: string; rowsRemoved: number }> = [];
  for (const f of outputs.filter((x) => /\.ecsv$/i.test(x))) {
    const text = await readFile(f, 'utf8');
    if (!isWhiteLight(text)) continue;
    const r = dropWhiteLightRows(text, o.integrations);
    const tmp = path.join(path.dirname(f), `.${path.basename(f)}.${randomBytes(3).toString('hex')}.tmp`);
    await writeFile(tmp, r.text);
    await rename(tmp, f);
    applied.push({ output: f, rowsRemoved: r.removed });
  }
  return { ...o, applied };
}
