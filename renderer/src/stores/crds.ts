/** CRDS manager state: status (effective context always shown), cache listing, sync progress, diff, verify, prune. */
import { defineStore } from 'pinia';
import { api, call } from '../api/client.ts';
import type { CrdsCacheListing, CrdsContextDiff, CrdsPruneResult, CrdsStatus, CrdsSyncEvent, CrdsVerifyResult } from '../../../core/api/types.ts';

export const useCrdsStore = defineStore('crds', {
  state: () => ({
    status: null as CrdsStatus | null,
    cache: null as CrdsCacheListing | null,
    progress: null as CrdsSyncEvent | null,
    diff: null as CrdsContextDiff | null,
    verify: null as CrdsVerifyResult | null,
    prune: null as CrdsPruneResult | null,
    busy: '' as string,
    error: null as string | null,
    message: '' as string,
  }),
  actions: {
    async refresh() {
      await this.guard('loading', async () => {
        this.status = await call('crds.status', {});
        this.cache = await call('crds.cache', {});
      });
    },
    listen() {
      api().on('onDidCrdsSync', (p) => { this.progress = p; });
    },
    async sync(contexts: string[]) {
      await this.guard('syncing', async () => {
        const r = await call('crds.sync', { contexts });
        this.message = `${r.online ? 'online' : 'offline'}: ${r.downloaded.length} downloaded, ${r.failed.length} failed`;
        await this.refresh();
      });
    },
    async fetchFor(paths: string[]) {
      await this.guard('fetching', async () => {
        const r = await call('crds.fetchFor', { paths });
        this.message = `${r.downloaded.length} reference file(s) fetched`;
      });
    },
    async runDiff(a: string, b: string) {
      await this.guard('diffing', async () => { this.diff = await call('crds.diff', { a, b }); });
    },
    async runVerify() {
      await this.guard('verifying', async () => { this.verify = await call('crds.verify', {}); });
    },
    async pruneDryRun(keep: string[]) {
      await this.guard('pruning', async () => { this.prune = await call('crds.prune', { keepContexts: keep }); });
    },
    async pruneConfirm(keep: string[]) {
      await this.guard('pruning', async () => {
        this.prune = await call('crds.prune', { keepContexts: keep, confirm: true });
        await this.refresh();
      });
    },
    async guard(what: string, fn: () => Promise<void>) {
      this.busy = what;
      this.error = null;
      try {
        await fn();
      } catch (e) {
        this.error = (e as Error).message;
      } finally {
        this.busy = '';
      }
    },
  },
});
