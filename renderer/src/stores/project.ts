/** The open project: scan result, lazily read file summaries, the selected file. */
import { defineStore } from 'pinia';
import { call } from '../api/client.ts';
import type { FileSummary, ProjectFile, ProjectScan } from '../../../core/api/types.ts';

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
