// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createTestingPinia } from '@pinia/testing';
import PipelineStepList from './PipelineStepList.vue';
import ImageViewer from './ImageViewer.vue';
import RunHistory from './RunHistory.vue';
import { useImageStore } from '../stores/image.ts';
import { EXTRACT, FLAT, PLAN } from '../test-support/fake-plan.ts';
import type { RunRecord } from '../../../core/api/types.ts';

const listProps = (extra: Record<string, unknown> = {}) => ({
  plan: PLAN, steps: [FLAT, EXTRACT], enabled: { flat_field: true, extract_1d: true }, expanded: {}, params: {}, progress: { flat_field: 1 }, ...extra,
});

describe('PipelineStepList', () => {
  it('collapsed rows show toggle, name, summary and the CRDS reference; toggling and expanding emit', async () => {
    const w = mount(PipelineStepList, { props: listProps() });
    expect(w.find('[data-testid="step-ref-flat_field"]').text()).toBe('jwst_miri_flat_0001.fits');
    expect(w.find('[data-testid="step-row-extract_1d"]').text()).toContain('Extract a 1-D spectrum');
    expect(w.find('[data-testid="params-extract_1d"]').exists()).toBe(false);
    await w.find('[data-testid="step-flat_field"]').setValue(false);
    expect(w.emitted('toggle')).toEqual([['flat_field', false]]);
    await w.find('[data-testid="step-expand-extract_1d"]').trigger('click');
    expect(w.emitted('expand')).toEqual([['extract_1d']]);
  });

  it('an expanded step shows basic and advanced parameters with docs, marks changes and emits edits', async () => {
    const w = mount(PipelineStepList, { props: listProps({ expanded: { extract_1d: true }, params: { 'extract_1d.apply_apcorr': false } }) });
    const form = w.find('[data-testid="params-extract_1d"]');
    const labels = form.findAll('label[for]');
    expect(labels.map((l) => l.text())).toContain('smoothing_length');
    expect(form.find('label.changed').text()).toBe('apply_apcorr');
    expect(form.find('label.changed').attributes('title')).toContain('Apply aperture corrections');
    expect(form.findAll('summary').map((s) => s.text())).toEqual(['parameters', 'advanced (4)', 'reference overrides (2)']);
    expect(w.find('.badge').text()).toBe('1 changed');
    await form.find('input[id="p-extract_1d.position_offset"]').setValue('2.5');
    expect(w.emitted('set')).toEqual([['extract_1d.position_offset', 2.5]]);
    await form.find('button.link').trigger('click');
    expect(w.emitted('reset')).toEqual([['extract_1d.apply_apcorr']]);
  });
});

describe('ImageViewer', () => {
  it('shows the readout (value, error, DQ flags by name, wavelength) and says why it cannot draw without WebGL2', async () => {
    const pinia = createTestingPinia({ stubActions: true, createSpy: vi.fn });
    const store = useImageStore(pinia);
    store.$patch({ path: '/p/a_calints.fits', width: 72, height: 416, nints: 20, bunit: 'MJy/sr', readout: { x: 37, y: 200, value: 9865.74, error: 1955.53, dq: 2147483649, flags: ['DO_NOT_USE', 'REFERENCE_PIXEL'], wavelength: 10.8113 } });
    const w = mount(ImageViewer, { props: { path: '/p/a_calints.fits' }, global: { plugins: [pinia] } });
    expect(w.find('[data-testid="readout-x"]').text()).toBe('37');
    expect(w.find('[data-testid="readout-value"]').text()).toBe('9865.74');
    expect(w.find('[data-testid="readout-flags"]').text()).toBe('DO_NOT_USE | REFERENCE_PIXEL');
    expect(w.find('[data-testid="readout-wavelength"]').text()).toBe('10.8113');
    expect(w.find('[data-testid="image-shape"]').text()).toBe('SCI 72 × 416 × 20 integrations · MJy/sr');
    await flushPromises();
    expect(w.find('[data-testid="gl-error"]').text()).toContain('WebGL2');
    // The file is already loaded: mounting does not read it again.
    expect(store.open).not.toHaveBeenCalled();
  });
});

describe('RunHistory', () => {
  it('shows ran and user-skipped steps as chips and counts the steps of other modes', () => {
    const r = {
      runId: 'r1', root: '/p', request: { path: '/p/a.fits', pipeline: 'calwebb_spec2', params: { 'flat_field.skip': true } }, state: 'finished',
      startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:03Z', context: 'jwst_1.pmap', versions: {}, error: null, rerunOf: null, outputs: ['/p/a_x1dints.fits'],
      steps: [
        { name: 'flat_field', state: 'skipped', startedAt: null, durationMs: null, references: {}, params: {} },
        { name: 'cube_build', state: 'skipped', startedAt: null, durationMs: null, references: {}, params: {} },
        { name: 'extract_1d', state: 'complete', startedAt: null, durationMs: 1200, references: { extract1d: 'x.json' }, params: {} },
      ],
    } as RunRecord;
    const w = mount(RunHistory, { props: { history: [r], compare: [] } });
    expect(w.find('[data-testid="hist-step-flat_field"]').text()).toBe('flat_field skipped');
    expect(w.find('[data-testid="hist-step-cube_build"]').exists()).toBe(false);
    expect(w.text()).toContain('+1 not for this mode');
    expect(w.text()).toContain('3.0 s');
  });
});
