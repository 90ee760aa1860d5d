/**
 * A JWST datamodel held in memory while a pipeline runs: meta by datamodel
 * path, arrays by stdatamodels attribute name, tables, and the HDUs we carry
 * through untouched. Steps read and return these; model-io.node.ts loads and
 * writes them as FITS that stdatamodels opens.
 */
import type { Meta } from '../datamodels/meta.ts';
import type { ModelType } from '../datamodels/models.ts';
import type { FitsTable, HduSpec, Header } from '../fits/index.ts';
import type { NDArray } from '../ndarray/index.ts';

export interface JwstModel {
  type: ModelType;
  meta: Meta;
  /**
   * Arrays by attribute: data, err, dq, groupdq, pixeldq, var_poisson,
   * var_rnoise, var_flat, wavelength, zeroframe, ... (C order, FITS axes reversed).
   */
  arrays: Record<string, NDArray>;
  /** Binary tables by attribute: int_times, group, ... */
  tables: Record<string, FitsTable>;
  /** Per-slit or per-spectrum parts (MultiSlit EXTVER groups, x1d EXTRACT1D tables). */
  parts?: ModelPart[];
  /** HDUs carried through as read (other extensions), written back unchanged. */
  extras: HduSpec[];
  /** The file it was read from, if any (for naming and messages). */
  source?: string;
  /**
   * Headers as read, by 'PRIMARY', 'SCI', 'SCI,2' (EXTNAME[,EXTVER]): writeModel
   * starts from them (keeping keywords meta does not model) and writes meta over them.
   */
  headers?: Record<string, Header>;
  /** Meta as loaded (JSON), so writeModel can tell whether a carried ASDF extension is stale. */
  loadedMeta?: string;
  /** Set when the model came from an association member: its exptype ('science', 'background', ...) and product. */
  asn?: AsnMemberInfo;
}

/** Where an association member came from (the runner sets it; pipelines pick science/background by exptype). */
export interface AsnMemberInfo {
  readonly exptype: string;
  readonly productName: string;
  readonly asnFile?: string;
  readonly asnType?: string;
  readonly asnRule?: string;
  /** The association's asn_id (jwst puts it in per-member level-3 names: `<member>_<asn_id>_crfints`). */
  readonly asnId?: string;
}

/** One slit (SCI/ERR/DQ/... with EXTVER n) or one EXTRACT1D spectrum. */
export interface ModelPart {
  /** Slit/spectrum-level meta (name, source_type, spectral_order, extraction_xstart, ...). */
  meta: Meta;
  arrays: Record<string, NDArray>;
  table?: FitsTable;
}

/** A shallow copy whose containers may be changed without touching the original (arrays are shared). */
export function cloneModel(m: JwstModel): JwstModel {
  return {
    ...m,
    meta: structuredClone(m.meta),
    arrays: { ...m.arrays },
    tables: { ...m.tables },
    parts: m.parts?.map((p) => ({ meta: structuredClone(p.meta), arrays: { ...p.arrays }, table: p.table })),
    extras: [...m.extras],
  };
}

export function isModel(x: unknown): x is JwstModel {
  return typeof x === 'object' && x !== null && 'type' in x && 'meta' in x && 'arrays' in x;
}
