import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useRunsStore } from './runs.ts';
import { installFakeApi, type FakeApi } from '../test-support/fake-api.ts';
import { PLAN } from '../test-support/fake-plan.ts';
import type { RunRecord } from '../../../core/api/types.ts';

let api: FakeApi;
describe('runs store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    api = installFakeApi({ 'runs.available': () => ({ available: true, reason: null }), 'runs.plan': () => PLAN, 'runs.start': () => ({ runId: 'r1' }) });
  });

  it('builds the step list: steps for this mode on, the others off and listed apart', async () => {
    const s = useRunsStore();
    await s.loadPlan(PLAN.path);
    expect(s.enabled).toEqual({ flat_field: true, cube_build: false, extract_1d: true });
    expect(s.applicable.map((x) => x.name)).toEqual(['flat_field', 'extract_1d']);
    expect(s.notApplicable.map((x) => x.name)).toEqual(['cube_build']);
  });

  it('the params diff follows edits and resets', async () => {
    const s = useRunsStore();
    await s.loadPlan(PLAN.path);
    s.setParam('extract_1d.apply_apcorr', false);
    s.setParam('extract_1d.position_offset', 0);
    expect(s.diff.map((d) => `${d.step}.${d.param}`)).toEqual(['extract_1d.apply_apcorr']);
    s.resetParam('extract_1d.apply_apcorr');
    expect(s.diff).toEqual([]);
  });

  it('a run sends the user-skipped steps, the changed parameters and save_results', async () => {
    const s = useRunsStore();
    await s.loadPlan(PLAN.path);
    s.toggleStep('flat_field', false);
    s.setParam('extract_1d.apply_apcorr', false);
    await s.start();
    const start = api.calls.find((c) => c.method === 'runs.start')!.args as { pipeline: string; params: Record<string, unknown> };
    expect(start.pipeline).toBe('calwebb_spec2');
    expect(start.params).toEqual({ 'flat_field.skip': true, 'extract_1d.apply_apcorr': false, save_results: true });
    expect(s.current).toBe('r1');
  });

  it('progress and the finished record of the current run update the state', async () => {
    const s = useRunsStore();
    s.listen();
    await s.loadPlan(PLAN.path);
    await s.start();
    api.emit('onDidRunProgress', { runId: 'r1', step: 'extract_1d', stepIndex: 2, stepCount: 3, done: 5, total: 20, unit: 'integrations', fraction: 0.9 });
    api.emit('onDidRunProgress', { runId: 'other', step: 'flat_field', stepIndex: 0, stepCount: 3, done: 1, total: 1, unit: null, fraction: 0.1 });
    expect(s.stepProgress).toEqual({ extract_1d: 0.25 });
    const rec = { runId: 'r1', state: 'failed', error: { name: 'StepError', code: 'x', message: 'extract_1d: no EXTRACT1D reference' }, steps: [], outputs: [] } as unknown as RunRecord;
    api.emit('onDidFinishRun', rec);
    expect(s.currentRecord?.state).toBe('failed');
    expect(s.error).toBe('extract_1d: no EXTRACT1D reference');
  });
});
