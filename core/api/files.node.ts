/** Files: HDU list, header cards, image planes, pixel series, tables, spectra, light curves. */
import { readFile } from 'node:fs/promises';
import { WebbError } from '../errors/index.ts';
import { FitsFile } from '../fits/index.node.ts';
import { imageLayout, type FitsTable, type HduInfo, type TableColumn } from '../fits/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { detectModelType } from '../datamodels/models.ts';
import { toPayload, parseEcsv } from './arrays.ts';
import type { ArrayPayload, FileHdus, HeaderCard, LightCurvePayload, SpectraPayload, TableColumnPayload, TablePayload } from './types.ts';

async function withFits<T>(file: string, fn: (f: FitsFile) => Promise<T>): Promise<T> {
  if (!/\.(fits|fit|fts)$/i.test(file)) throw new WebbError('unsupported', `${file} is not a FITS file`, { file });
  const f = await FitsFile.open(file);
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

function findHdu(f: FitsFile, file: string, hdu: number | string, extver = 1): HduInfo {
  const h = typeof hdu === 'number'
    ? f.hdus[hdu]
    : f.hdus.find((x) => (x.extname ?? (x.index === 0 ? 'PRIMARY' : '')).toUpperCase() === hdu.toUpperCase() && x.extver === extver);
  if (!h) throw new WebbError('not-found', `no HDU ${JSON.stringify(hdu)}${typeof hdu === 'string' ? ` (EXTVER ${extver})` : ''}`, { file });
  return h;
}

export async function fileHdus(file: string): Promise<FileHdus> {
  return withFits(file, async (f) => {
    const summaries = f.hdus.map((h) => ({ type: h.type, extname: h.extname, extver: h.extver, ndim: Number(h.header.get('NAXIS') ?? 0) }));
    const datamodl = f.hdus[0].header.get('DATAMODL');
    const expType = f.hdus[0].header.get('EXP_TYPE');
    const { type, declared } = detectModelType(summaries, { datamodl: typeof datamodl === 'string' ? datamodl : undefined, expType: typeof expType === 'string' ? expType : undefined });
    return {
      path: file,
      model: declared ?? type,
      hdus: f.hdus.map((h) => {
        const image = h.type === 'PRIMARY' || h.type === 'IMAGE';
        const layout = image ? imageLayout(h.header) : undefined;
        return {
          index: h.index, type: h.type, extname: h.extname ?? (h.index === 0 ? 'PRIMARY' : null), extver: h.extver,
          shape: layout ? layout.shape : [Number(h.header.get('NAXIS2') ?? 0)],
          dtype: layout && layout.shape.length ? layout.dtype : null,
        };
      }),
    };
  });
}

export async function fileHeader(file: string, hdu: number): Promise<HeaderCard[]> {
  return withFits(file, async (f) => {
    const h = findHdu(f, file, hdu);
    return h.header.cards.map((c) => ({ keyword: c.keyword, value: cardValue(c.value), comment: c.comment ?? null }));
  });
}

function cardValue(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(JSON.stringify(v));
}

/** One plane of an image HDU (`leading` indexes its leading axes). */
export async function filePlane(file: string, hdu: number | string, extver: number | undefined, leading: readonly number[]): Promise<ArrayPayload> {
  return withFits(file, async (f) => {
    const h = findHdu(f, file, hdu, extver);
    const shape = imageLayout(h.header).shape;
    if (leading.length > Math.max(0, shape.length - 2)) throw new WebbError('invalid-argument', `HDU ${h.index} has shape [${shape}]; ${leading.length} leading indices leave less than a plane`, { file, hdu: h.index });
    leading.forEach((v, k) => {
      if (v >= shape[k]) throw new WebbError('invalid-argument', `index ${v} out of range for axis ${k} of length ${shape[k]}`, { file, hdu: h.index });
    });
    const a: NDArray = leading.length ? await f.readPlane(h.index, leading) : await f.readImage(h.index);
    return toPayload(a);
  });
}

/** Values along axis 0 of a 3-D HDU at (y, x). */
export async function filePixelSeries(file: string, hdu: number | string, extver: number | undefined, y: number, x: number): Promise<ArrayPayload> {
  return withFits(file, async (f) => {
    const h = findHdu(f, file, hdu, extver);
    const shape = imageLayout(h.header).shape;
    if (shape.length !== 3) throw new WebbError('invalid-argument', `pixel series needs a 3-D HDU, HDU ${h.index} has shape [${shape}]`, { file, hdu: h.index });
    const [n, ny, nx] = shape;
    if (y >= ny || x >= nx) throw new WebbError('invalid-argument', `pixel (${y}, ${x}) outside the ${ny} x ${nx} plane`, { file, hdu: h.index });
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = Number((await f.readPlane(h.index, [k])).data[y * nx + x]);
    return { buffer: out.buffer, dtype: 'float64', shape: [n] };
  });
}

function columnPayload(c: TableColumn, nrows: number): TableColumnPayload {
  const base = { name: c.name, unit: c.unit ?? null, cellShape: c.cellShape };
  const d = c.data as unknown;
  if (Array.isArray(d)) return { ...base, values: null, strings: d.every((x) => typeof x === 'string') ? (d as string[]) : null };
  if (ArrayBuffer.isView(d) && !(d instanceof DataView) && !['P', 'Q', 'C', 'M'].includes(c.code)) {
    const src = d as unknown as ArrayLike<number | bigint>;
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
    return { ...base, values: { buffer: out.buffer, dtype: 'float64', shape: [nrows, ...c.cellShape] }, strings: null };
  }
  return { ...base, values: null, strings: null };
}

export async function fileTable(file: string, hdu: number | string, columns?: readonly string[]): Promise<TablePayload> {
  return withFits(file, async (f) => {
    const h = findHdu(f, file, hdu);
    if (h.type !== 'BINTABLE' && h.type !== 'TABLE') throw new WebbError('invalid-argument', `HDU ${h.index} is not a table`, { file, hdu: h.index });
    const t = await f.readTable(h.index);
    const want = columns?.map((c) => c.toUpperCase());
    const cols = t.columns.filter((c) => !want || want.includes(c.name.toUpperCase()));
    return { path: file, hdu: h.index, nrows: t.nrows, columns: cols.map((c) => columnPayload(c, t.nrows)) };
  });
}

function col(t: FitsTable, name: string): TableColumn | undefined {
  return t.columns.find((c) => c.name.toUpperCase() === name);
}

/** Spectra of x1d/x1dints files: one per EXTRACT1D HDU, or one per row when cells are arrays (TSO). */
export async function fileSpectra(file: string): Promise<SpectraPayload> {
  return withFits(file, async (f) => {
    const rows: Array<{ label: string; w: Float64Array; fl: Float64Array; e: Float64Array }> = [];
    let wUnit = '', fUnit = '';
    for (const h of f.hdus.filter((x) => (x.extname ?? '').toUpperCase() === 'EXTRACT1D')) {
      const t = await f.readTable(h.index);
      const [w, fl, e] = [col(t, 'WAVELENGTH'), col(t, 'FLUX'), col(t, 'FLUX_ERROR')];
      if (!w || !fl) throw new WebbError('format', `EXTRACT1D HDU ${h.index} has no WAVELENGTH/FLUX columns`, { file, hdu: h.index });
      wUnit ||= w.unit ?? '';
      fUnit ||= fl.unit ?? '';
      const num = (c: TableColumn | undefined): Float64Array => (c ? Float64Array.from(c.data as ArrayLike<number>) : new Float64Array(0));
      const [W, F, E] = [num(w), num(fl), num(e)];
      const intNum = col(t, 'INT_NUM');
      if (w.cellShape.length) {
        const n = w.cellShape[0];
        for (let r = 0; r < t.nrows; r++) {
          const label = intNum ? `integration ${Number((intNum.data as ArrayLike<number>)[r])}` : `row ${r + 1}`;
          rows.push({ label, w: W.slice(r * n, (r + 1) * n), fl: F.slice(r * n, (r + 1) * n), e: E.length ? E.slice(r * n, (r + 1) * n) : new Float64Array(n).fill(NaN) });
        }
      } else rows.push({ label: `EXTRACT1D ${h.extver}`, w: W, fl: F, e: E.length ? E : new Float64Array(W.length).fill(NaN) });
    }
    if (!rows.length) throw new WebbError('format', 'no EXTRACT1D table: not an x1d/x1dints file', { file });
    const nwave = Math.max(...rows.map((r) => r.w.length));
    const pack = (k: 'w' | 'fl' | 'e'): ArrayPayload => {
      const out = new Float64Array(rows.length * nwave).fill(NaN);
      rows.forEach((r, i) => out.set(r[k], i * nwave));
      return { buffer: out.buffer, dtype: 'float64', shape: [rows.length, nwave] };
    };
    return { path: file, labels: rows.map((r) => r.label), wavelength: pack('w'), flux: pack('fl'), fluxError: pack('e'), wavelengthUnit: wUnit, fluxUnit: fUnit };
  });
}

/** A white-light curve from a whtlt ECSV, an x1dints (sum over wavelength) or a rateints (sum of SCI). */
export async function fileLightCurve(file: string): Promise<LightCurvePayload> {
  if (/\.ecsv$/i.test(file)) {
    const t = parseEcsv(await readFile(file, 'utf8'), file);
    const need = (n: string): number[] => {
      const c = t.columns.get(n);
      if (!c) throw new WebbError('format', `ECSV has no column ${n} (columns: ${[...t.columns.keys()].join(', ')})`, { file });
      return c;
    };
    const flux = need('whitelight_flux');
    return {
      path: file, source: 'whtlt', integration: flux.map((_, i) => i + 1), timeMjdUtc: need('MJD_UTC'),
      timeBjdTdb: t.columns.get('BJD_TDB') ?? null, flux, fluxError: null, fluxUnit: t.units.get('whitelight_flux') ?? '',
    };
  }
  return withFits(file, async (f) => {
    const it = f.hdus.find((h) => (h.extname ?? '').toUpperCase() === 'INT_TIMES');
    const times = it ? await f.readTable(it.index) : undefined;
    const tcol = (n: string): number[] | null => {
      const c = times && col(times, n.toUpperCase());
      return c ? Array.from(c.data as ArrayLike<number>, Number) : null;
    };
    const x1d = f.hdus.some((h) => (h.extname ?? '').toUpperCase() === 'EXTRACT1D');
    const { flux, unit, source } = x1d ? await sumSpectra(file) : await sumPlanes(f, file);
    const mjd = tcol('int_mid_MJD_UTC');
    if (!mjd || mjd.length !== flux.length) throw new WebbError('format', `INT_TIMES has ${mjd?.length ?? 0} mid times for ${flux.length} integrations`, { file });
    const ints = tcol('integration_number') ?? flux.map((_, i) => i + 1);
    return { path: file, source, integration: ints, timeMjdUtc: mjd, timeBjdTdb: tcol('int_mid_BJD_TDB'), flux, fluxError: null, fluxUnit: unit };
  });
}

async function sumSpectra(file: string): Promise<{ flux: number[]; unit: string; source: 'x1dints' }> {
  const s = await fileSpectra(file);
  const [n, nw] = s.flux.shape;
  const fl = new Float64Array(s.flux.buffer);
  const flux: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < nw; j++) if (Number.isFinite(fl[i * nw + j])) sum += fl[i * nw + j];
    flux.push(sum);
  }
  return { flux, unit: s.fluxUnit, source: 'x1dints' };
}

async function sumPlanes(f: FitsFile, file: string): Promise<{ flux: number[]; unit: string; source: 'rateints' }> {
  const sci = f.hdus.find((h) => (h.extname ?? '').toUpperCase() === 'SCI');
  if (!sci || imageLayout(sci.header).shape.length !== 3) throw new WebbError('format', 'no 3-D SCI array and no EXTRACT1D table: cannot make a light curve', { file });
  const n = imageLayout(sci.header).shape[0];
  const flux: number[] = [];
  for (let k = 0; k < n; k++) {
    const d = (await f.readPlane(sci.index, [k])).data as ArrayLike<number>;
    let sum = 0;
    for (let i = 0; i < d.length; i++) if (Number.isFinite(d[i])) sum += d[i];
    flux.push(sum);
  }
  return { flux, unit: String(sci.header.get('BUNIT') ?? ''), source: 'rateints' };
}
