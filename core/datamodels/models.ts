/**
 * The JWST datamodel types WebbDesk knows, as data: which HDUs each holds
 * (after the stdatamodels schemas: ramp, image, cube, ifuimage, slit,
 * multislit, multispec, ifucube), and how a file's model type is chosen.
 */

export type ModelType =
  | 'RampModel' | 'ImageModel' | 'CubeModel' | 'IFUImageModel' | 'SlitModel' | 'MultiSlitModel'
  | 'MultiSpecModel' | 'TSOMultiSpecModel' | 'IFUCubeModel' | 'ReferenceFileModel' | 'DataModel';

export interface ArraySpec {
  /** Attribute name as stdatamodels spells it (data, err, dq, var_poisson, ...). */
  readonly attr: string;
  readonly extname: string;
  /** Number of dimensions the schema gives (informative; files may differ). */
  readonly ndim: number;
  readonly dtype: string;
}

const VARS = (ndim: number): ArraySpec[] => [
  { attr: 'var_poisson', extname: 'VAR_POISSON', ndim, dtype: 'float32' },
  { attr: 'var_rnoise', extname: 'VAR_RNOISE', ndim, dtype: 'float32' },
  { attr: 'var_flat', extname: 'VAR_FLAT', ndim, dtype: 'float32' },
];

const SCI_ERR_DQ = (ndim: number): ArraySpec[] => [
  { attr: 'data', extname: 'SCI', ndim, dtype: 'float32' },
  { attr: 'err', extname: 'ERR', ndim, dtype: 'float32' },
  { attr: 'dq', extname: 'DQ', ndim, dtype: 'uint32' },
];

export interface ModelSpec {
  readonly arrays: readonly ArraySpec[];
  /** Binary tables by attribute name -> EXTNAME. */
  readonly tables: Readonly<Record<string, string>>;
  /** Arrays repeat per EXTVER (MultiSlit) or tables do (MultiSpec). */
  readonly perExtver?: 'arrays' | 'tables';
}

export const MODEL_SPECS: Readonly<Record<ModelType, ModelSpec>> = {
  RampModel: {
    arrays: [
      { attr: 'data', extname: 'SCI', ndim: 4, dtype: 'float32' },
      { attr: 'pixeldq', extname: 'PIXELDQ', ndim: 2, dtype: 'uint32' },
      { attr: 'groupdq', extname: 'GROUPDQ', ndim: 4, dtype: 'uint8' },
      { attr: 'err', extname: 'ERR', ndim: 4, dtype: 'float32' },
      { attr: 'refout', extname: 'REFOUT', ndim: 4, dtype: 'float32' },
      { attr: 'zeroframe', extname: 'ZEROFRAME', ndim: 3, dtype: 'float32' },
      { attr: 'average_dark_current', extname: 'AVDRKCUR', ndim: 2, dtype: 'float32' },
    ],
    tables: { int_times: 'INT_TIMES', group: 'GROUP' },
  },
  ImageModel: {
    arrays: [...SCI_ERR_DQ(2), ...VARS(2), { attr: 'area', extname: 'AREA', ndim: 2, dtype: 'float32' },
      { attr: 'wavelength', extname: 'WAVELENGTH', ndim: 2, dtype: 'float32' },
      { attr: 'zeroframe', extname: 'ZEROFRAME', ndim: 2, dtype: 'float32' }],
    tables: {},
  },
  CubeModel: {
    arrays: [...SCI_ERR_DQ(3), ...VARS(3), { attr: 'area', extname: 'AREA', ndim: 2, dtype: 'float32' },
      { attr: 'wavelength', extname: 'WAVELENGTH', ndim: 2, dtype: 'float32' },
      { attr: 'zeroframe', extname: 'ZEROFRAME', ndim: 3, dtype: 'float32' }],
    tables: { int_times: 'INT_TIMES' },
  },
  IFUImageModel: {
    arrays: [...SCI_ERR_DQ(2), ...VARS(2), { attr: 'area', extname: 'AREA', ndim: 2, dtype: 'float32' },
      { attr: 'wavelength', extname: 'WAVELENGTH', ndim: 2, dtype: 'float32' }],
    tables: {},
  },
  SlitModel: {
    // Order as jwst 3.0 writes a spec2 SlitModel (golden LRS slitless calints): WAVELENGTH before the variances.
    arrays: [...SCI_ERR_DQ(2), { attr: 'wavelength', extname: 'WAVELENGTH', ndim: 2, dtype: 'float32' }, ...VARS(2),
      { attr: 'area', extname: 'AREA', ndim: 2, dtype: 'float32' }],
    tables: { int_times: 'INT_TIMES' },
  },
  MultiSlitModel: {
    arrays: [...SCI_ERR_DQ(2), ...VARS(2), { attr: 'wavelength', extname: 'WAVELENGTH', ndim: 2, dtype: 'float32' },
      { attr: 'area', extname: 'AREA', ndim: 2, dtype: 'float32' }],
    tables: {},
    perExtver: 'arrays',
  },
  MultiSpecModel: { arrays: [], tables: { spec: 'EXTRACT1D' }, perExtver: 'tables' },
  TSOMultiSpecModel: { arrays: [], tables: { spec: 'EXTRACT1D', int_times: 'INT_TIMES' }, perExtver: 'tables' },
  IFUCubeModel: {
    arrays: [...SCI_ERR_DQ(3), { attr: 'weightmap', extname: 'WMAP', ndim: 3, dtype: 'float32' }],
    tables: {},
  },
  ReferenceFileModel: { arrays: [], tables: {} },
  DataModel: { arrays: [], tables: {} },
};

/** What detection needs to know about one HDU. */
export interface HduSummary {
  readonly type: string;
  readonly extname?: string;
  readonly extver: number;
  readonly ndim: number;
  /** Column names for tables. */
  readonly columns?: readonly string[];
}

/** DATAMODL values stdatamodels writes, mapped onto the models we read. */
const DATAMODL_ALIASES: Readonly<Record<string, ModelType>> = {
  RampModel: 'RampModel', Level1bModel: 'RampModel',
  ImageModel: 'ImageModel', CubeModel: 'CubeModel', IFUImageModel: 'IFUImageModel',
  SlitModel: 'SlitModel', SlitDataModel: 'SlitModel', MultiSlitModel: 'MultiSlitModel',
  MultiSpecModel: 'MultiSpecModel', SpecModel: 'MultiSpecModel', TSOMultiSpecModel: 'TSOMultiSpecModel',
  IFUCubeModel: 'IFUCubeModel',
};

const IFU_EXP_TYPES = new Set(['MIR_MRS', 'NRS_IFU', 'MIR_FLATMRS', 'NRS_AUTOWAVE']);

/**
 * Choose the model: DATAMODL when present and known, else from EXP_TYPE and
 * the data shapes (the order stdatamodels' open() uses for files without DATAMODL).
 * Returns the DATAMODL value itself when it names a model we do not special-case.
 */
export function detectModelType(
  hdus: readonly HduSummary[],
  keys: { datamodl?: string; expType?: string; reftype?: string },
): { type: ModelType; declared?: string } {
  const declared = keys.datamodl?.trim();
  if (declared && DATAMODL_ALIASES[declared]) return { type: DATAMODL_ALIASES[declared], declared };
  const sci = hdus.filter((h) => (h.extname ?? '').toUpperCase() === 'SCI' && h.ndim > 0);
  const x1d = hdus.filter((h) => (h.extname ?? '').toUpperCase() === 'EXTRACT1D');
  const expType = (keys.expType ?? '').toUpperCase();
  let type: ModelType;
  if (x1d.length > 0) {
    const tso = x1d.length === 1 && (x1d[0].columns ?? []).includes('INT_NUM');
    type = tso ? 'TSOMultiSpecModel' : 'MultiSpecModel';
  } else if (sci.length > 1) type = 'MultiSlitModel';
  else if (sci.length === 1) {
    const ndim = sci[0].ndim;
    const has = (n: string) => hdus.some((h) => (h.extname ?? '').toUpperCase() === n);
    if (ndim >= 4) type = 'RampModel';
    else if (ndim === 3) type = IFU_EXP_TYPES.has(expType) || has('WMAP') ? 'IFUCubeModel' : 'CubeModel';
    else if (IFU_EXP_TYPES.has(expType)) type = 'IFUImageModel';
    else if (has('WAVELENGTH') && !has('AREA')) type = 'SlitModel';
    else type = 'ImageModel';
  } else if (keys.reftype) type = 'ReferenceFileModel';
  else type = 'DataModel';
  return declared ? { type, declared } : { type };
}
