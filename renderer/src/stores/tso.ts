/** TSO view state: white-light curve, outliers (saved in the project), spectra for spectroscopic light curves. */
import { defineStore } from 'pinia';
import { call } from '../api/client.ts';
import type { LightCurvePayload, SpectraPayload } from '../../../core/api/types.ts';
import type { TimeAxis } from '../composables/lightcurve.ts';
import { payloadView } from '../../../core/api/arrays.ts';
import { DQ } from '../../../core/datamodels/dq.ts';
import { crossProfile, flaggedFraction, rowMedians, sampledIntegrations, traceMoments } from '../composables/tso-diagnostics.ts';

/** Per-integration diagnostics; each series is null when the project lacks its source file. */
export interface Diagnostics {
  /** Background level per integration (median over wavelength of x1dints BACKGROUND). */
  background: { integration: number[]; values: number[]; unit: string; source: string } | null;
  /** Trace centre and RMS width (pixels, cross-dispersion) from calints SCI. */
  trace: { integration: number[]; center: number[]; width: number[]; source: string } | null;
  /** Fraction of pixels flagged OUTLIER in crfints DQ. */
  outliers: { integration: number[]; fraction: number[]; source: string } | null;
  busy: string;
  error: string | null;
}

/** Files the diagnostics may read (absolute paths inside the project). */
export interface DiagnosticSources {
  readonly x1dints?: string;
  readonly calints?: string;
  readonly crfints?: string;
}

/** Read one plane per (sampled) integration of a 3-D HDU, a few at a time. */
async function perIntegration<T>(path: string, hdu: string, nints: number, fn: (plane: ArrayLike<number>, ny: number, nx: number) => T): Promise<{ integration: number[]; values: T[] }> {
  const ks = sampledIntegrations(nints);
  const values: T[] = new Array(ks.length);
  for (let i = 0; i < ks.length; i += 4) {
    await Promise.all(ks.slice(i, i + 4).map(async (k, j) => {
      const p = await call('files.plane', { path, hdu, leading: [k] });
      values[i + j] = fn(payloadView(p), p.shape[0], p.shape[1]);
    }));
  }
  return { integration: ks.map((k) => k + 1), values };
}

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
    diagnostics: { background: null, trace: null, outliers: null, busy: '', error: null } as Diagnostics,
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
    /** Per-integration diagnostics from the files the project has (each source optional). */
    async loadDiagnostics(src: DiagnosticSources) {
      const d: Diagnostics = { background: null, trace: null, outliers: null, busy: 'loading', error: null };
      this.diagnostics = d;
      try {
        if (src.x1dints) {
          const t = await call('files.table', { path: src.x1dints, hdu: 'EXTRACT1D', columns: ['BACKGROUND'] });
          const c = t.columns.find((x) => x.name === 'BACKGROUND');
          if (c?.values) {
            const ncell = c.cellShape.reduce((a, b) => a * b, 1);
            d.background = { integration: Array.from({ length: t.nrows }, (_, i) => i + 1), values: rowMedians(payloadView(c.values), t.nrows, ncell), unit: c.unit ?? '', source: src.x1dints };
          }
        }
        if (src.calints) {
          const h = await call('files.hdus', { path: src.calints });
          const sci = h.hdus.find((x) => x.extname === 'SCI');
          const hdr = sci ? await call('files.header', { path: src.calints, hdu: sci.index }) : [];
          const dispaxis = hdr.find((c) => c.keyword === 'DISPAXIS')?.value === 1 ? 1 : 2;
          if (sci && sci.shape.length === 3) {
            const r = await perIntegration(src.calints, 'SCI', sci.shape[0], (p, ny, nx) => traceMoments(crossProfile(p, ny, nx, dispaxis)));
            d.trace = { integration: r.integration, center: r.values.map((m) => m.center), width: r.values.map((m) => m.sigma), source: src.calints };
          }
        }
        if (src.crfints) {
          const h = await call('files.hdus', { path: src.crfints });
          const dq = h.hdus.find((x) => x.extname === 'DQ');
          if (dq && dq.shape.length === 3) {
            const r = await perIntegration(src.crfints, 'DQ', dq.shape[0], (p) => flaggedFraction(p, DQ.OUTLIER));
            d.outliers = { integration: r.integration, fraction: r.values, source: src.crfints };
          }
        }
      } catch (e) {
        d.error = (e as Error).message;
      } finally {
        d.busy = '';
        this.diagnostics = { ...d };
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
