/** The open project: scan result, lazily read file summaries, the selected file. */
import { defineStore } from 'pinia';
import { call } from '../api/client.ts';
import type { ExposureGroup, FileSummary, ProjectFile, ProjectScan, Stage } from '../../../core/api/types.ts';

export type ViewerKind = 'image' | 'spectrum' | 'tso' | 'cube' | 'none';

/** Which viewer suits a file, from its stage and (once read) its summary. */
export function viewerFor(f: ProjectFile, s?: FileSummary): ViewerKind {
  if (f.stage === 'whtlt') return 'tso';
  if (f.stage === 'x1d') return 'spectrum';
  if (f.stage === 'x1dints') return 'tso';
  if (f.stage === 's3d' || s?.model === 'IFUCubeModel') return 'cube';
  if (/\.fits$/i.test(f.name)) return 'image';
  return 'none';
}

/** Processing order of stages in the tree (raw first, level 3 last). */
const STAGE_ORDER: readonly Stage[] = ['uncal', 'ramp', 'rate', 'rateints', 'cal', 'calints', 's2d', 'crf', 'crfints', 'x1d', 'x1dints', 's3d', 'whtlt', 'asn', 'other'];

export interface GroupView {
  readonly key: string;
  /** e.g. 'obs 001 visit 001 exp 00001 · mirimage' or 'obs 001 level 3 · miri'. */
  readonly title: string;
  /** Key header values of the group's first readable file: instrument, exp_type, detector, subarray, nints, ngroups. */
  readonly meta: string;
  readonly files: readonly ProjectFile[];
}

/** One line of key header values (absent values left out). */
export function summaryLine(s: FileSummary | undefined): string {
  if (!s) return '';
  const parts = [s.instrument, s.expType, s.detector, s.subarray, s.filter].filter((x): x is string => !!x);
  if (s.nints !== null) parts.push(`nints ${s.nints}`);
  if (s.ngroups !== null) parts.push(`ngroups ${s.ngroups}`);
  return parts.join(' · ');
}

/** Tree groups: title from the name fields, header summary, files in processing order (run outputs after the originals). */
export function groupView(g: ExposureGroup, summaries: Readonly<Record<string, FileSummary>>): GroupView {
  const level3 = g.exposure === 'level3';
  const title = level3 ? `obs ${g.observation} level 3 · ${g.detector}` : `obs ${g.observation} visit ${g.visit} exp ${g.exposure} · ${g.detector}`;
  const rank = (f: ProjectFile) => STAGE_ORDER.indexOf(f.stage) + (f.runId ? 100 : 0);
  const files = [...g.files].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const first = files.map((f) => summaries[f.path]).find((s) => s && !s.error && s.instrument);
  return { key: g.key, title, meta: summaryLine(first), files };
}

export const useProjectStore = defineStore('project', {
  state: () => ({
    scan: null as ProjectScan | null,
    summaries: {} as Record<string, FileSummary>,
    selected: null as ProjectFile | null,
    error: null as string | null,
    loading: false,
  }),
  getters: {
    allFiles: (s): ProjectFile[] => (s.scan ? [...s.scan.groups.flatMap((g) => g.files), ...s.scan.other] : []),
    groupViews: (s): GroupView[] => (s.scan ? s.scan.groups.map((g) => groupView(g, s.summaries)) : []),
  },
  actions: {
    async open(path: string) {
      this.loading = true;
      this.error = null;
      try {
        this.scan = await call('projects.open', { path });
        await this.loadSummaries();
      } catch (e) {
        this.error = (e as Error).message;
      } finally {
        this.loading = false;
      }
    },
    /** Open the project the server was started with, if any. */
    async openInitial() {
      const roots = await call('projects.list', {});
      if (roots.length) await this.open(roots[0]);
    },
    async rescan() {
      if (this.scan) this.scan = await call('projects.scan', { root: this.scan.root });
      await this.loadSummaries();
    },
    async loadSummaries() {
      const paths = this.allFiles.filter((f) => f.name.endsWith('.fits') && !this.summaries[f.path]).map((f) => f.path);
      if (!paths.length) return;
      for (const s of await call('projects.summaries', { paths })) this.summaries[s.path] = s;
    },
    select(f: ProjectFile) {
      this.selected = f;
    },
  },
});
