/**
 * Loading a JWST FITS product into an in-memory JwstModel and writing one back
 * as FITS that stdatamodels opens: primary header from meta (DATAMODL = model
 * type), arrays under their stdatamodels EXTNAMEs, tables, per-slit/per-spectrum
 * parts, and other HDUs carried through. The ASDF extension is written back
 * as read while meta is unchanged since loading; otherwise a fresh one whose
 * meta tree agrees with the keywords (model-io-asdf.ts).
 */
import { modelOfFits } from '../datamodels/describe.node.ts';
import { SLIT_KEYWORD_TABLE } from '../datamodels/keyword-table.ts';
import { metaFromHeaders, metaToHeaders, type Meta, type MetaValue } from '../datamodels/meta.ts';
import { MODEL_SPECS, type ModelType } from '../datamodels/models.ts';
import { ModelError } from '../errors/index.ts';
import { FitsFile, writeFits } from '../fits/index.node.ts';
import { Header, type FitsTable, type HduInfo, type HduSpec, type TableColumnSpec } from '../fits/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import type { JwstModel, ModelPart } from './model.ts';
import { asdfHduFor } from './model-io-asdf.ts';
import { attachWcsFromExtras, gwcsForWrite } from '../wcs/asdf-write.ts';

/** JSON of meta with bigints as strings: the snapshot compared to decide whether ASDF is stale. */
export function metaSnapshot(meta: Meta): string {
  return JSON.stringify(meta, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

const extnameOf = (h: HduInfo): string => (h.extname ?? '').toUpperCase();
const headerKey = (extname: string, extver: number): string => (extver === 1 ? extname : `${extname},${extver}`);

/** Slit-level meta (name, xstart, source_type, ...) from a SCI or EXTRACT1D header. */
export function slitMetaFromHeader(h: Header): Meta {
  const meta: Meta = {};
  for (const e of SLIT_KEYWORD_TABLE) {
    if (!h.has(e.keyword)) continue;
    const v = h.get(e.keyword);
    if (v === null || typeof v !== 'object') meta[e.path.slice('slit.'.length)] = (v ?? null) as MetaValue;
  }
  return meta;
}

function slitMetaToHeader(meta: Meta, h: Header, extra: readonly SpecKeyword[] = []): void {
  for (const e of SLIT_KEYWORD_TABLE) {
    const v = meta[e.path.slice('slit.'.length)];
    if (v !== undefined && (v === null || typeof v !== 'object')) h.set(e.keyword, v, e.title);
  }
  for (const [key, keyword, title] of extra) {
    const v = meta[key];
    if (v !== undefined && v !== null && typeof v !== 'object') h.set(keyword, v, title);
  }
}

/** [part meta key, keyword, comment] */
type SpecKeyword = readonly [string, string, string];

/**
 * Keywords of an EXTRACT1D HDU beyond the slit ones, in the order jwst 3.0
 * writes them (golden LRS x1dints; the extract_1d step's SPEC_KEYWORDS names).
 */
export const SPEC_PART_KEYWORDS: readonly SpecKeyword[] = [
  ['extraction_xstart', 'EXTRXSTR', 'X axis start of extraction region'],
  ['extraction_xstop', 'EXTRXSTP', 'X axis end of extraction region'],
  ['extraction_ystart', 'EXTRYSTR', 'Y axis start of extraction region'],
  ['extraction_ystop', 'EXTRYSTP', 'Y axis end of extraction region'],
  ['slit_ra', 'SLIT_RA', '[deg] Right Ascension at middle of slit'],
  ['slit_dec', 'SLIT_DEC', '[deg] Declination at middle of slit'],
  ['spectral_order', 'SPORDER', 'Spectral order number'],
  ['dispersion_direction', 'DISPAXIS', 'Dispersion direction'],
  ['detector', 'DETECTOR', 'Name of detector used to acquire the data'],
];

function specMetaFromHeader(h: Header): Meta {
  const meta = slitMetaFromHeader(h);
  for (const [key, keyword] of SPEC_PART_KEYWORDS) {
    const v = h.get(keyword);
    if (v !== undefined && (v === null || typeof v !== 'object')) meta[key] = v as MetaValue;
  }
  return meta;
}

/** Model type and meta of an open file (as DataModel.open decides them). */
async function identify(file: FitsFile): Promise<{ type: ModelType; meta: Meta }> {
  const cols = new Map<number, string[]>();
  for (const h of file.hdus) {
    if (h.type === 'BINTABLE' && extnameOf(h) === 'EXTRACT1D') {
      cols.set(h.index, (await file.readTable(h.index)).columns.map((c) => c.name.toUpperCase()));
    }
  }
  const { type } = modelOfFits(file.hdus, (i) => cols.get(i));
  const byName = (n: string): Header | undefined => file.hdus.find((h) => (n === 'PRIMARY' ? h.index === 0 : extnameOf(h) === n && h.extver === 1))?.header;
  return { type, meta: metaFromHeaders(byName) };
}

/**
 * Read a whole JWST FITS product into memory: every array the model type
 * defines (by attribute, C order), its tables, MultiSlit EXTVER groups and
 * EXTRACT1D spectra as `parts`, and every other HDU (including ASDF) as raw
 * `extras`. Throws FitsError/ModelError naming the file.
 */
export async function loadModel(path: string): Promise<JwstModel> {
  const file = await FitsFile.open(path);
  try {
    const { type, meta } = await identify(file);
    const spec = MODEL_SPECS[type];
    const model: JwstModel = { type, meta, arrays: {}, tables: {}, extras: [], source: path, headers: {}, loadedMeta: metaSnapshot(meta) };
    const headers = model.headers as Record<string, Header>;
    const slits = new Map<number, ModelPart>();
    const spectra: ModelPart[] = [];
    for (const h of file.hdus) {
      const ext = extnameOf(h);
      if (h.index === 0) {
        headers.PRIMARY = h.header.clone();
        continue;
      }
      const arr = spec.arrays.find((a) => a.extname === ext);
      const tableAttr = Object.keys(spec.tables).find((k) => spec.tables[k] === ext);
      const hasImage = h.type === 'IMAGE' && Number(h.header.get('NAXIS') ?? 0) > 0;
      if (arr && hasImage && spec.perExtver === 'arrays') {
        let part = slits.get(h.extver);
        if (!part) slits.set(h.extver, (part = { meta: {}, arrays: {} }));
        if (ext === 'SCI') part.meta = slitMetaFromHeader(h.header);
        part.arrays[arr.attr] = await file.readImage(h.index);
        headers[headerKey(ext, h.extver)] = h.header.clone();
      } else if (arr && hasImage && h.extver === 1) {
        model.arrays[arr.attr] = await file.readImage(h.index);
        headers[ext] = h.header.clone();
      } else if (tableAttr && h.type === 'BINTABLE' && spec.perExtver === 'tables' && ext === 'EXTRACT1D') {
        spectra.push({ meta: specMetaFromHeader(h.header), arrays: {}, table: await file.readTable(h.index) });
        headers[headerKey(ext, h.extver)] = h.header.clone();
      } else if (tableAttr && h.type === 'BINTABLE' && h.extver === 1) {
        model.tables[tableAttr] = await file.readTable(h.index);
        headers[ext] = h.header.clone();
      } else {
        model.extras.push({ header: h.header.clone(), rawData: await file.readRawData(h.index) });
      }
    }
    if (slits.size > 0) model.parts = [...slits.keys()].sort((a, b) => a - b).map((v) => slits.get(v) as ModelPart);
    if (spectra.length > 0) model.parts = spectra;
    // A gwcs at meta.wcs of the ASDF extension becomes the model's WCS (modelWcs); one we cannot read is carried as is.
    attachWcsFromExtras(model, path);
    return model;
  } finally {
    await file.close();
  }
}

/** Primary header and meta keywords of a file, without reading data. */
export async function readModelHeader(path: string): Promise<{ type: ModelType; meta: Meta; header: Header }> {
  const file = await FitsFile.open(path);
  try {
    const { type, meta } = await identify(file);
    return { type, meta, header: file.hdus[0].header.clone() };
  } finally {
    await file.close();
  }
}

function extHeader(model: JwstModel, extname: string, extver: number): Header {
  const h = model.headers?.[headerKey(extname, extver)]?.clone() ?? new Header();
  h.remove('EXTNAME');
  h.remove('EXTVER');
  h.cards.unshift({ keyword: 'EXTNAME', value: extname, kind: 'string', comment: 'extension name' });
  // stdatamodels writes EXTVER on every extension, 1 included.
  h.set('EXTVER', extver, 'extension value');
  return h;
}

function tableSpec(t: FitsTable): { columns: TableColumnSpec[]; nrows: number } {
  const columns = t.columns.map((c): TableColumnSpec => {
    const s: TableColumnSpec = { name: c.name, tform: c.tform, data: c.data, cellShape: c.cellShape };
    if (c.unit !== undefined) s.unit = c.unit;
    if (c.null !== undefined) s.null = c.null;
    if (c.tscal !== undefined) s.tscal = c.tscal;
    if (c.tzero !== undefined) s.tzero = c.tzero;
    return s;
  });
  return { columns, nrows: t.nrows };
}

/** Array attributes in stdatamodels order: the schema's, then any others (EXTNAME = upper-case attr). */
function orderedArrays(model: JwstModel): Array<{ attr: string; extname: string; a: NDArray }> {
  const spec = MODEL_SPECS[model.type];
  const out: Array<{ attr: string; extname: string; a: NDArray }> = [];
  for (const s of spec.arrays) if (model.arrays[s.attr]) out.push({ attr: s.attr, extname: s.extname, a: model.arrays[s.attr] });
  for (const [attr, a] of Object.entries(model.arrays)) {
    if (!spec.arrays.some((s) => s.attr === attr)) out.push({ attr, extname: attr.toUpperCase(), a });
  }
  return out;
}

function tableExtname(model: JwstModel, attr: string): string {
  return MODEL_SPECS[model.type].tables[attr] ?? attr.toUpperCase();
}

function partHdus(model: JwstModel): HduSpec[] {
  const out: HduSpec[] = [];
  const spec = MODEL_SPECS[model.type];
  (model.parts ?? []).forEach((p, i) => {
    const ver = i + 1;
    if (p.table) {
      const h = extHeader(model, 'EXTRACT1D', ver);
      slitMetaToHeader(p.meta, h, SPEC_PART_KEYWORDS);
      out.push({ header: h, table: tableSpec(p.table) });
    }
    const order = [...spec.arrays.map((s) => s.attr), ...Object.keys(p.arrays).filter((a) => !spec.arrays.some((s) => s.attr === a))];
    for (const attr of order) {
      const a = p.arrays[attr];
      if (!a) continue;
      const extname = spec.arrays.find((s) => s.attr === attr)?.extname ?? attr.toUpperCase();
      const h = extHeader(model, extname, ver);
      if (extname === 'SCI') slitMetaToHeader(p.meta, h);
      out.push({ header: h, image: a });
    }
  });
  return out;
}

/**
 * The HDUs writeModel writes: primary (meta keywords, DATAMODL), arrays in
 * schema order (tables after the arrays; a CubeModel's INT_TIMES after DQ as
 * stdatamodels writes it), parts, extras (ASDF only when meta is unchanged).
 */
export function modelToHdus(model: JwstModel, opts: WriteModelOptions = {}): HduSpec[] {
  const primary = model.headers?.PRIMARY?.clone() ?? new Header();
  const arrays = orderedArrays(model);
  const arrayHdus = arrays.map(({ extname, a }) => ({ extname, spec: { header: extHeader(model, extname, 1), image: a } as HduSpec }));
  const byExt = new Map(arrayHdus.map((x) => [x.extname, x.spec.header]));
  metaToHeaders(model.meta, (hdu) => (hdu === 'PRIMARY' ? primary : byExt.get(hdu)));
  primary.set('DATAMODL', model.type, 'Type of data model');
  const tableHdus: HduSpec[] = Object.entries(model.tables).map(([attr, t]) => ({ header: extHeader(model, tableExtname(model, attr), 1), table: tableSpec(t) }));
  const specs: HduSpec[] = [{ header: primary }, ...arrayHdus.map((x) => x.spec)];
  const dqAt = arrayHdus.findIndex((x) => x.extname === 'DQ');
  if (model.type === 'CubeModel' && dqAt >= 0) specs.splice(dqAt + 2, 0, ...tableHdus);
  else specs.push(...tableHdus);
  specs.push(...partHdus(model));
  const fresh = model.loadedMeta !== undefined && model.loadedMeta === metaSnapshot(model.meta);
  const isAsdf = (s: HduSpec): boolean => String(s.header.get('EXTNAME') ?? '').toUpperCase() === 'ASDF';
  specs.push(...model.extras.filter((s) => !isAsdf(s)));
  const carried = model.extras.find(isAsdf);
  // stdatamodels always writes the ASDF extension last; a carried one is kept as is while meta and the WCS are unchanged.
  // The model's WCS (set by assign_wcs) goes to meta.wcs as a gwcs object; one we cannot write is left out with a
  // warning, and then the carried tree is not reused either (its meta.wcs would be stale).
  const wcs = gwcsForWrite(model);
  if (wcs.warning) (opts.warn ?? ((m: string) => console.warn(`webbdesk: ${m}`)))(wcs.warning);
  const meta = wcs.node ? ({ ...model.meta, wcs: wcs.node } as unknown as Meta) : model.meta;
  specs.push(fresh && carried && !wcs.node && !wcs.warning ? carried : asdfHduFor(meta, wcs.warning ? undefined : carried));
  return specs;
}

export interface WriteModelOptions {
  /** Where a non-fatal problem goes (default console.warn): e.g. a WCS that cannot be written as gwcs. */
  warn?: (message: string) => void;
}

/** Write a model as a FITS file (atomically: temporary name, then rename). */
export async function writeModel(path: string, model: JwstModel, opts: WriteModelOptions = {}): Promise<void> {
  if (!MODEL_SPECS[model.type]) throw new ModelError('unknown-model', `cannot write a model of type ${String(model.type)}`, { file: path });
  await writeFits(path, modelToHdus(model, opts));
}
