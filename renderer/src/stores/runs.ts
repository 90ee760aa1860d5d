/** Pipeline panel state: the plan for the selected file, step toggles and parameters, the live run, history. */
import { defineStore } from 'pinia';
import { api, call } from '../api/client.ts';
import type { PipelinePlan, RunLogEvent, RunProgressEvent, RunRecord } from '../../../core/api/types.ts';

type ParamValue = string | number | boolean | null;

export const useRunsStore = defineStore('runs', {
  state: () => ({
    available: null as boolean | null,
    reason: null as string | null,
    plan: null as PipelinePlan | null,
    enabled: {} as Record<string, boolean>,
    params: {} as Record<string, ParamValue>,
    current: null as string | null,
    progress: null as RunProgressEvent | null,
    stepProgress: {} as Record<string, number>,
    log: [] as RunLogEvent[],
    history: [] as RunRecord[],
    compare: [] as string[],
    error: null as string | null,
  }),
  actions: {
    listen() {
      const c = api();
      c.on('onDidRunProgress', (p) => {
        if (p.runId !== this.current) return;
        this.progress = p;
        if (p.step) this.stepProgress[p.step] = p.total ? p.done / p.total : 0;
      });
      c.on('onDidRunLog', (l) => { if (l.runId === this.current) this.log.push(l); });
      c.on('onDidFinishRun', (r) => {
        if (r.runId === this.current && r.state === 'failed') this.error = r.error?.message ?? 'run failed';
        this.history = [r, ...this.history.filter((x) => x.runId !== r.runId)];
      });
    },
    async loadPlan(path: string) {
      this.error = null;
      const a = await call('runs.available', {});
      this.available = a.available;
      this.reason = a.reason;
      if (!a.available) return;
      try {
        this.plan = await call('runs.plan', { path });
        this.enabled = Object.fromEntries(this.plan.steps.map((s) => [s.name, s.applies]));
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
    async loadHistory(root: string) {
      this.history = [...(await call('runs.history', { root }))];
    },
    setParam(key: string, v: ParamValue) {
      this.params[key] = v;
    },
    async start() {
      if (!this.plan) return;
      this.error = null;
      this.log = [];
      this.stepProgress = {};
      this.progress = null;
      const params: Record<string, ParamValue> = { ...this.params };
      for (const s of this.plan.steps) if (!this.enabled[s.name]) params[`${s.name}.skip`] = true;
      try {
        this.current = (await call('runs.start', { path: this.plan.path, pipeline: this.plan.pipeline, params })).runId;
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
    async cancel() {
      if (this.current) await call('runs.cancel', { runId: this.current });
    },
    toggleCompare(runId: string) {
      this.compare = this.compare.includes(runId) ? this.compare.filter((x) => x !== runId) : [...this.compare, runId].slice(-2);
    },
  },
});
