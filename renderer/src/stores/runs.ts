/** Pipeline panel state: the plan for the selected file, step toggles and parameters, the live run, history. */
import { defineStore } from 'pinia';
import { api, call } from '../api/client.ts';
import type { PipelinePlan, RunLogEvent, RunProgressEvent, RunRecord } from '../../../core/api/types.ts';
import { paramsDiff, type ParamValue } from '../composables/pipeline-steps.ts';

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
    /** Steps whose parameter form is open. */
    expanded: {} as Record<string, boolean>,
    /** Write the pipeline's products (save_results on the pipeline). */
    saveProducts: true,
    showDebug: false,
  }),
  getters: {
    /** Parameters that differ from the defaults (what the run will change). */
    diff: (s) => (s.plan ? paramsDiff(s.plan, s.params) : []),
    /** The live (or last) run's record once the history has it. */
    currentRecord: (s): RunRecord | null => s.history.find((r) => r.runId === s.current) ?? null,
    /** Steps that run for this exposure's mode, and those that do not. */
    applicable: (s) => (s.plan ? s.plan.steps.filter((x) => x.applies) : []),
    notApplicable: (s) => (s.plan ? s.plan.steps.filter((x) => !x.applies) : []),
  },
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
        const plan = await call('runs.plan', { path });
        if (plan.pipeline !== this.plan?.pipeline) this.params = {};
        this.plan = plan;
        this.enabled = Object.fromEntries(plan.steps.map((s) => [s.name, s.applies]));
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
    resetParam(key: string) {
      delete this.params[key];
    },
    toggleStep(name: string, on: boolean) {
      this.enabled[name] = on;
    },
    toggleExpanded(name: string) {
      this.expanded[name] = !this.expanded[name];
    },
    async start() {
      if (!this.plan) return;
      this.error = null;
      this.log = [];
      this.stepProgress = {};
      this.progress = null;
      this.current = null;
      const params: Record<string, ParamValue> = { ...this.params };
      // Only the user's choices: steps outside this mode are skipped by the pipeline itself.
      for (const s of this.plan.steps) if (s.applies && !this.enabled[s.name]) params[`${s.name}.skip`] = true;
      if (this.saveProducts) params.save_results = true;
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
