/** The image viewer's data: SCI/ERR/DQ (and WAVELENGTH) planes of the chosen integration, display settings. */
import { defineStore } from 'pinia';
import { call } from '../api/client.ts';
import { payloadView } from '../../../core/api/arrays.ts';
import { decodeDq } from '../../../core/datamodels/dq.ts';
import type { HduEntry } from '../../../core/api/types.ts';
import type { LimitMode, Stretch } from '../composables/stretch.ts';

export interface Readout {
  readonly x: number;
  readonly y: number;
  readonly value: number;
  readonly error: number | null;
  readonly dq: number | null;
  readonly flags: readonly string[];
  readonly wavelength: number | null;
}

type Plane = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export const useImageStore = defineStore('image', {
  state: () => ({
    path: null as string | null,
    hdus: [] as HduEntry[],
    nints: 1,
    integration: 0,
    width: 0,
    height: 0,
    sci: null as Float32Array | null,
    err: null as Plane | null,
    dq: null as Plane | null,
    wave: null as Plane | null,
    stretch: 'linear' as Stretch,
    limitMode: 'percentile' as LimitMode,
    percentile: 99.5,
    colormap: 'viridis',
    readout: null as Readout | null,
    /** EXTNAME of the displayed image and its BUNIT. */
    sciName: 'SCI',
    bunit: '' as string,
    error: null as string | null,
  }),
  actions: {
    async open(path: string) {
      this.error = null;
      try {
        const h = await call('files.hdus', { path });
        this.path = path;
        this.readout = null;
        this.hdus = [...h.hdus];
        const sci = h.hdus.find((x) => x.extname === 'SCI') ?? h.hdus.find((x) => x.shape.length >= 2);
        if (!sci) throw new Error(`${path} has no image HDU`);
        this.nints = sci.shape.length === 3 ? sci.shape[0] : 1;
        this.integration = Math.min(this.integration, this.nints - 1);
        await this.load();
      } catch (e) {
        this.error = (e as Error).message;
      }
    },
    async load() {
      if (!this.path) return;
      const path = this.path;
      const plane = async (name: string) => {
        const h = this.hdus.find((x) => x.extname === name);
        if (!h || h.shape.length < 2) return null;
        const leading = h.shape.length === 3 ? [this.integration] : h.shape.length === 4 ? [this.integration, 0] : [];
        return call('files.plane', { path, hdu: name, leading });
      };
      const sciName = this.hdus.some((x) => x.extname === 'SCI') ? 'SCI' : (this.hdus.find((x) => x.shape.length >= 2)?.extname ?? 'PRIMARY');
      const sciIndex = this.hdus.find((x) => x.extname === sciName)?.index ?? 0;
      const [s, e, d, w, hdr] = await Promise.all([plane(sciName), plane('ERR'), plane('DQ'), plane('WAVELENGTH'), call('files.header', { path, hdu: sciIndex }).catch(() => [])]);
      this.sciName = sciName;
      this.bunit = String(hdr.find((c) => c.keyword === 'BUNIT')?.value ?? '');
      if (!s) throw new Error('no image plane');
      const v = payloadView(s);
      this.sci = v instanceof Float32Array ? v : Float32Array.from(v);
      this.height = s.shape[s.shape.length - 2];
      this.width = s.shape[s.shape.length - 1];
      this.err = e ? payloadView(e) : null;
      this.dq = d ? payloadView(d) : null;
      this.wave = w ? payloadView(w) : null;
    },
    async setIntegration(k: number) {
      this.integration = k;
      await this.load();
    },
    /** Readout at array (x, y): value, error, DQ flags by name, wavelength when the file has a WAVELENGTH array. */
    pick(x: number, y: number) {
      if (!this.sci || x < 0 || y < 0 || x >= this.width || y >= this.height) {
        this.readout = null;
        return;
      }
      const i = y * this.width + x;
      const dq = this.dq ? Number(this.dq[i]) : null;
      this.readout = {
        x, y, value: this.sci[i], error: this.err ? Number(this.err[i]) : null, dq,
        flags: dq === null ? [] : decodeDq(dq), wavelength: this.wave ? Number(this.wave[i]) : null,
      };
    },
  },
});
