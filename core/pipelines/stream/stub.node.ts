/**
 * File-backed "stubs" shared by the two kinds of streaming (integration
 * chunks of TSO cubes, row blocks of ramps): a model whose meta, headers,
 * tables, small arrays and carried HDUs are loaded, and whose big image
 * arrays stay on disk, listed with where to read them.
 */
import { FitsFile } from '../../fits/index.node.ts';
import type { HduSpec, Header, HduInfo } from '../../fits/index.ts';
import { MODEL_SPECS, type ModelType } from '../../datamodels/models.ts';
import type { Meta } from '../../datamodels/meta.ts';
import type { DType } from '../../ndarray/index.ts';
import { loadModel, metaSnapshot } from '../../stpipe/model-io.node.ts';
import type { JwstModel } from '../../stpipe/model.ts';

/** An image array left on disk: attribute, HDU index, element type and shape (numpy order). */
export interface LazyArray {
  readonly attr: string;
  readonly index: number;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** NAXISn of an HDU in numpy order (slowest axis first). */
export function axesOf(h: { header: Header }): number[] {
  const n = Number(h.header.get('NAXIS') ?? 0);
  return Array.from({ length: n }, (_, k) => Number(h.header.get(`NAXIS${n - k}`)));
}

const extnameOf = (h: HduInfo): string => (h.extname ?? '').toUpperCase();

/**
 * Read `file` as a `type` model, leaving on disk the image arrays (EXTVER 1)
 * whose shape `keepOnDisk` accepts; everything else is read as loadModel would.
 */
export async function readStub(
  path: string, file: FitsFile, type: ModelType, meta: Meta, keepOnDisk: (shape: readonly number[]) => boolean,
): Promise<{ model: JwstModel; lazy: LazyArray[] }> {
  const spec = MODEL_SPECS[type];
  const headers: Record<string, Header> = {};
  const model: JwstModel = { type, meta, arrays: {}, tables: {}, extras: [] as HduSpec[], source: path, headers, loadedMeta: metaSnapshot(meta) };
  const lazy: LazyArray[] = [];
  for (const h of file.hdus) {
    const ext = extnameOf(h);
    if (h.index === 0) { headers.PRIMARY = h.header.clone(); continue; }
    const arr = spec.arrays.find((a) => a.extname === ext);
    const tableAttr = Object.keys(spec.tables).find((k) => spec.tables[k] === ext);
    const shape = axesOf(h);
    if (arr && h.type === 'IMAGE' && shape.length > 0 && h.extver === 1) {
      headers[ext] = h.header.clone();
      if (keepOnDisk(shape)) {
        // Zero rows of the first plane: the element type without reading data.
        const probe = await file.readRows(h.index, shape.slice(0, -2).map(() => 0), 0, 0);
        lazy.push({ attr: arr.attr, index: h.index, dtype: probe.dtype, shape });
      } else {
        model.arrays[arr.attr] = await file.readImage(h.index);
      }
    } else if (tableAttr && h.type === 'BINTABLE' && h.extver === 1) {
      model.tables[tableAttr] = await file.readTable(h.index);
      headers[ext] = h.header.clone();
    } else {
      model.extras.push({ header: h.header.clone(), rawData: await file.readRawData(h.index) });
    }
  }
  return { model, lazy };
}

/** A stub (marked by `key`) loaded whole, its meta and tags kept; any other model as it is. */
export async function loadStubWhole(m: JwstModel, key: symbol, path: string | undefined): Promise<JwstModel> {
  if (path === undefined) return m;
  const full = await loadModel(path);
  const { [key]: _drop, ...rest } = m as JwstModel & Record<symbol, unknown>;
  return { ...(rest as JwstModel), arrays: { ...m.arrays, ...full.arrays } };
}
