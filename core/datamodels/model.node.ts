/**
 * `open(path)`: a JWST data file as a typed model with lazy arrays, and
 * `save()`: written back losslessly. What the model does not understand
 * (other keywords, extensions, the ASDF extension) is carried through as it
 * was read; arrays are decoded only when asked for, one plane at a time if wanted.
 */
import { ModelError } from '../errors/index.ts';
import { FitsFile, writeFits } from '../fits/index.node.ts';
import type { FitsTable, HduInfo, HduSpec, Header } from '../fits/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { modelOfFits } from './describe.node.ts';
import { SLIT_KEYWORD_TABLE } from './keyword-table.ts';
import { flattenMeta, getMeta, metaFromHeaders, metaToHeaders, type Meta, type MetaValue } from './meta.ts';
import { MODEL_SPECS, type ArraySpec, type ModelType } from './models.ts';

/** One slit of a MultiSlitModel (or the single slit of a SlitModel): EXTVER and slit meta. */
export interface SlitInfo {
  readonly extver: number;
  /** Slit-level meta by attribute name (name, xstart, source_id, ...). */
  readonly meta: Meta;
  /** Array attributes present for this slit (data, err, dq, wavelength, ...). */
  readonly arrays: readonly string[];
}

export class DataModel {
  /** The model type used to interpret the file. */
  readonly type: ModelType;
  /** DATAMODL as written in the file, if any. */
  readonly declared?: string;
  /** Metadata by jwst datamodel path (edit freely; save() writes the changes). */
  meta: Meta;
  private readonly original: Meta;
  private readonly replaced = new Map<string, NDArray>();

  private constructor(readonly path: string, private readonly file: FitsFile, t: { type: ModelType; declared?: string; meta: Meta }) {
    this.type = t.type;
    this.declared = t.declared;
    this.meta = t.meta;
    this.original = structuredClone(t.meta);
  }

  static async open(path: string): Promise<DataModel> {
    const file = await FitsFile.open(path);
    try {
      const cols = new Map<number, string[]>();
      for (const h of file.hdus) {
        if (h.type === 'BINTABLE' && (h.extname ?? '').toUpperCase() === 'EXTRACT1D') {
          cols.set(h.index, (await file.readTable(h.index)).columns.map((c) => c.name.toUpperCase()));
        }
      }
      return new DataModel(path, file, modelOfFits(file.hdus, (i) => cols.get(i)));
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  get hdus(): readonly HduInfo[] {
    return this.file.hdus;
  }

  /** The HDU holding an array attribute ('data' -> SCI) or an EXTNAME. */
  hduOf(attrOrExtname: string, extver = 1): HduInfo | undefined {
    const spec = this.arraySpec(attrOrExtname);
    const extname = (spec?.extname ?? attrOrExtname).toUpperCase();
    return this.file.hdus.find((h) => (h.extname ?? '').toUpperCase() === extname && h.extver === extver);
  }

  private arraySpec(attr: string): ArraySpec | undefined {
    return MODEL_SPECS[this.type].arrays.find((a) => a.attr === attr);
  }

  /** Whole array of an attribute, or undefined when the file has none. */
  async array(attr: string, extver = 1): Promise<NDArray | undefined> {
    const key = `${attr}#${extver}`;
    if (this.replaced.has(key)) return this.replaced.get(key);
    const h = this.hduOf(attr, extver);
    return h ? this.file.readImage(h.index) : undefined;
  }

  /** Required array: a ModelError naming the file and HDU when absent. */
  async requireArray(attr: string, extver = 1): Promise<NDArray> {
    const a = await this.array(attr, extver);
    if (!a) {
      const extname = this.arraySpec(attr)?.extname ?? attr.toUpperCase();
      throw new ModelError('missing-hdu', `${this.type} needs a ${extname} extension (EXTVER ${extver})`, { file: this.path, extname });
    }
    return a;
  }

  /** `array[leading...]` read from disk without reading the rest (e.g. one integration). */
  async plane(attr: string, leading: readonly number[], extver = 1): Promise<NDArray> {
    const h = this.hduOf(attr, extver);
    if (!h) throw new ModelError('missing-hdu', `no ${attr} array`, { file: this.path });
    return this.file.readPlane(h.index, leading);
  }

  /** Replace (or add) an array; written by save(). */
  setArray(attr: string, a: NDArray, extver = 1): void {
    this.replaced.set(`${attr}#${extver}`, a);
  }

  /** A binary table by attribute (int_times) or EXTNAME. */
  async table(nameOrAttr: string, extver = 1): Promise<FitsTable | undefined> {
    const extname = (MODEL_SPECS[this.type].tables[nameOrAttr] ?? nameOrAttr).toUpperCase();
    const h = this.file.hdus.find((x) => (x.extname ?? '').toUpperCase() === extname && x.extver === extver);
    return h ? this.file.readTable(h.index) : undefined;
  }

  /** Slits of a SlitModel / MultiSlitModel, grouped by EXTVER, with slit meta. */
  slits(): SlitInfo[] {
    if (this.type !== 'MultiSlitModel' && this.type !== 'SlitModel') return [];
    const specs = MODEL_SPECS[this.type].arrays;
    const out: SlitInfo[] = [];
    for (const sci of this.file.hdus.filter((h) => (h.extname ?? '').toUpperCase() === 'SCI')) {
      const meta: Meta = {};
      for (const e of SLIT_KEYWORD_TABLE) {
        const v = sci.header.get(e.keyword);
        if (v !== undefined && typeof v !== 'object') meta[e.path.slice('slit.'.length)] = v as MetaValue;
        else if (v === null) meta[e.path.slice('slit.'.length)] = null;
      }
      const arrays = specs.filter((s) => this.hduOf(s.attr, sci.extver)).map((s) => s.attr);
      out.push({ extver: sci.extver, meta, arrays });
    }
    return out;
  }

  /** The EXTRACT1D tables of a MultiSpec/TSOMultiSpec model, in file order. */
  async spectra(): Promise<Array<{ extver: number; header: Header; table: FitsTable }>> {
    const out: Array<{ extver: number; header: Header; table: FitsTable }> = [];
    for (const h of this.file.hdus) {
      if ((h.extname ?? '').toUpperCase() === 'EXTRACT1D') out.push({ extver: h.extver, header: h.header, table: await this.file.readTable(h.index) });
    }
    return out;
  }

  /**
   * Write the model to `path` (temporary name, then rename). Unchanged HDUs are
   * copied byte for byte (their data) with their cards; changed meta goes to the
   * keywords the table names; replaced arrays are re-encoded.
   */
  async save(path: string): Promise<void> {
    const headers = this.file.hdus.map((h) => h.header.clone());
    const changed = changedMeta(this.original, this.meta);
    const byName = (n: string): Header | undefined => {
      const i = n === 'PRIMARY' ? 0 : this.file.hdus.findIndex((h) => (h.extname ?? '').toUpperCase() === n);
      return i >= 0 ? headers[i] : undefined;
    };
    metaToHeaders(changed, byName);
    const specs: HduSpec[] = [];
    const written = new Set<string>();
    for (const h of this.file.hdus) {
      const header = headers[h.index];
      const attr = MODEL_SPECS[this.type].arrays.find((a) => a.extname === (h.extname ?? '').toUpperCase())?.attr;
      const key = attr ? `${attr}#${h.extver}` : '';
      const repl = key ? this.replaced.get(key) : undefined;
      if (repl) {
        written.add(key);
        specs.push({ header, image: repl });
      } else specs.push({ header, rawData: await this.file.readRawData(h.index) });
    }
    // Arrays new to the file go before the ASDF extension, as stdatamodels orders them.
    const asdfAt = specs.findIndex((s, i) => i > 0 && String(s.header.get('EXTNAME') ?? '').toUpperCase() === 'ASDF');
    const extra: HduSpec[] = [];
    for (const [key, a] of this.replaced) {
      if (written.has(key)) continue;
      const [attr, ver] = key.split('#');
      const spec = this.arraySpec(attr);
      const header = this.file.hdus[0].header.clone();
      header.cards.length = 0;
      header.set('EXTNAME', spec?.extname ?? attr.toUpperCase());
      if (Number(ver) !== 1) header.set('EXTVER', Number(ver));
      extra.push({ header, image: a });
    }
    specs.splice(asdfAt > 0 ? asdfAt : specs.length, 0, ...extra);
    await writeFits(path, specs);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** Meta paths whose values differ from what was read (new ones included). */
function changedMeta(before: Meta, after: Meta): Meta {
  const out: Meta = {};
  for (const [p, v] of flattenMeta(after)) {
    if (getMeta(before, p) !== v) {
      let cur = out;
      const segs = p.slice(5).split('.');
      for (const s of segs.slice(0, -1)) cur = (cur[s] ??= {}) as Meta;
      cur[segs[segs.length - 1]] = v;
    }
  }
  return out;
}

/** Open a JWST FITS product as its datamodel. */
export function open(path: string): Promise<DataModel> {
  return DataModel.open(path);
}

export { metaFromHeaders };
