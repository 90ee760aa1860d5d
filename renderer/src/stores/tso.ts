/** TSO view state: white-light curve, outliers (saved in the project), spectra for spectroscopic light curves. */
import { defineStore } from 'pinia';
import { call } from '../api/client.ts';
import type { LightCurvePayload, SpectraPayload } from '../../../core/api/types.ts';
import type { TimeAxis } from '../composables/lightcurve.ts';

export const useTsoStore = defineStore('tso', {
  state: () => ({
    path: null as string | null,
    curve: null as LightCurvePayload | null,
    spectra: null as SpectraPayload | null,
    outliers: [] as number[],
    axis: 'hours' as TimeAxis,
    binSize: 1,
    wavelengthEdges: [] as number[],
    error: null as string | null,
  }),
  actions: {
    async open(path: string) {
      this.error = null;
      this.path = path;
      this.spectra = null;
      try {
        this.curve = await call('files.lightCurve', { path });
        if (this.curve.source === 'x1dints') this.spectra = await call('files.spectra', { path });
        this.outliers = [...(await call('projects.getOutliers', { path })).integrations];
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
    /** Mark or unmark an integration (1-based) and persist it in the project. */
    async toggleOutlier(integration: number) {
      if (!this.path) return;
      const next = this.outliers.includes(integration) ? this.outliers.filter((i) => i !== integration) : [...this.outliers, integration];
      this.outliers = [...(await call('projects.setOutliers', { path: this.path, integrations: next })).integrations];
    },
  },
});
