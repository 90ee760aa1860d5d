/**
 * MIRI detector1 reference files in their real formats (the stdatamodels
 * models MaskModel, SaturationModel, ReadnoiseModel, GainModel,
 * LinearityModel, DarkMIRIModel, ResetModel, RSCDModel, IPCModel), built from
 * a DetectorModel. Layouts follow real/golden reference files: primary
 * keywords (DATAMODL, REFTYPE, PEDIGREE, DESCRIP, AUTHOR, USEAFTER, INSTRUME,
 * DETECTOR, SUBARRAY, SUBSTRT/SUBSIZE, FASTAXIS/SLOWAXIS ...), SCI/DQ/ERR
 * images and the DQ_DEF table. Pure: returns HduSpec lists; writing is in
 * write.node.ts.
 */
import { DQ } from '../datamodels/dq.ts';
import { Header, type HduSpec, type TableColumnSpec } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { RESET_DECAY, RESET_GROUPS, darkSignal, type DetectorModel } from './detector.ts';
import type { MiriSubarray, ReadPattern } from './subarrays.ts';

export const USEAFTER = '2000-01-01T00:00:00';
export const AUTHOR = 'WebbDesk simulator (webbdesk simulate)';

/** One reference file to write: its CRDS name, the HDUs, and its CRDS match values. */
export interface RefFile {
  /** e.g. 'mask'. */
  readonly reftype: string;
  /** CRDS-style file name, e.g. jwst_miri_mask_slitlessprism_wd0001.fits. */
  readonly name: string;
  readonly hdus?: HduSpec[];
  /** Non-FITS content (ASDF tree or JSON text) for specwcs/distortion/extract1d. */
  readonly asdf?: Record<string, unknown>;
  readonly text?: string;
  /** Values of the rmap parkeys this file answers (e.g. {'META.SUBARRAY.NAME': 'SLITLESSPRISM'}). */
  readonly match: Readonly<Record<string, string>>;
}

export interface RefPrimary {
  readonly name: string;
  readonly datamodl: string;
  readonly reftype: string;
  readonly what: string;
  readonly sub?: MiriSubarray;
  readonly extra?: ReadonlyArray<readonly [string, string | number | boolean, string?]>;
}

/** Primary header of a reference file. */
export function refPrimary(r: RefPrimary): Header {
  const h = new Header();
  h.set('DATE', new Date().toISOString().slice(0, 23), 'Date this file was created (UTC)');
  h.set('FILENAME', r.name, 'Name of the file');
  h.set('DATAMODL', r.datamodl, 'Type of data model');
  h.set('TELESCOP', 'JWST', 'Telescope used to acquire the data');
  h.set('REFTYPE', r.reftype.toUpperCase(), 'Reference file type');
  h.set('PEDIGREE', 'DUMMY', 'The pedigree of the reference file');
  h.set('DESCRIP', `simulated MIRI ${r.reftype.toUpperCase()}: ${r.what}`.slice(0, 68), 'Description of the reference file');
  h.set('AUTHOR', AUTHOR, 'Author of the reference file');
  h.set('USEAFTER', USEAFTER, 'Use after date of the reference file');
  h.set('INSTRUME', 'MIRI', 'Instrument used to acquire the data');
  h.set('DETECTOR', 'MIRIMAGE', 'Name of detector used to acquire the data');
  for (const [k, v, c] of r.extra ?? []) h.set(k, v, c);
  if (r.sub) {
    h.set('SUBARRAY', r.sub.name, 'Subarray used');
    h.set('SUBSTRT1', r.sub.xstart, 'Starting pixel in axis 1 direction');
    h.set('SUBSTRT2', r.sub.ystart, 'Starting pixel in axis 2 direction');
    h.set('SUBSIZE1', r.sub.xsize, 'Number of pixels in axis 1 direction');
    h.set('SUBSIZE2', r.sub.ysize, 'Number of pixels in axis 2 direction');
    h.set('FASTAXIS', 1, 'Fast readout axis direction');
    h.set('SLOWAXIS', 2, 'Slow readout axis direction');
  }
  return h;
}

export function ext(name: string, extra: ReadonlyArray<readonly [string, string | number]> = []): Header {
  const h = new Header().set('EXTNAME', name, 'extension name');
  for (const [k, v] of extra) h.set(k, v);
  return h;
}

const DQ_DEF_ROWS: ReadonlyArray<readonly [keyof typeof DQ, string]> = [
  ['DO_NOT_USE', 'Bad pixel. Do not use.'], ['SATURATED', 'Pixel saturated'], ['JUMP_DET', 'Jump detected'],
  ['DEAD', 'Dead pixel'], ['HOT', 'Hot pixel'], ['WARM', 'Warm pixel'], ['NONLINEAR', 'Pixel highly nonlinear'],
  ['NO_LIN_CORR', 'Linearity correction not available'], ['NO_SAT_CHECK', 'Saturation check not available'],
  ['NO_FLAT_FIELD', 'Flat field cannot be measured'], ['UNRELIABLE_FLAT', 'Flat variance large'], ['REFERENCE_PIXEL', 'Reference pixel'],
];

/** DQ_DEF table (BIT, VALUE, NAME, DESCRIPTION) as real reference files carry it. */
export function dqDef(): HduSpec {
  const rows = DQ_DEF_ROWS;
  const columns: TableColumnSpec[] = [
    { name: 'BIT', tform: 'J', data: Int32Array.from(rows, ([n]) => Math.log2(DQ[n])) },
    { name: 'VALUE', tform: 'J', tzero: 2147483648, data: Uint32Array.from(rows, ([n]) => DQ[n]) },
    { name: 'NAME', tform: '40A', data: rows.map(([n]) => n) },
    { name: 'DESCRIPTION', tform: '80A', data: rows.map(([, d]) => d) },
  ];
  return { header: ext('DQ_DEF'), table: { columns, nrows: rows.length } };
}

const lower = (s: string) => s.toLowerCase();

/** File name for a simulated reference: jwst_miri_<reftype>_<tag>_wd<serial>.<ext>. */
export function refName(reftype: string, tag: string, extn = 'fits'): string {
  return `jwst_miri_${reftype}_${lower(tag).replace(/[^a-z0-9]+/g, '')}_wd0001.${extn}`;
}

const det2 = (det: DetectorModel) => [det.ny, det.nx];

export function maskRef(det: DetectorModel): RefFile {
  const name = refName('mask', det.sub.name);
  return {
    reftype: 'mask', name, match: { 'META.SUBARRAY.NAME': det.sub.name },
    hdus: [
      { header: refPrimary({ name, datamodl: 'MaskModel', reftype: 'mask', what: 'reference columns, dead and hot pixels', sub: det.sub }) },
      { header: ext('DQ'), image: ndarray(det.mask, det2(det)) },
      dqDef(),
    ],
  };
}

export function saturationRef(det: DetectorModel): RefFile {
  const name = refName('saturation', det.sub.name);
  return {
    reftype: 'saturation', name, match: { 'META.SUBARRAY.NAME': det.sub.name },
    hdus: [
      { header: refPrimary({ name, datamodl: 'SaturationModel', reftype: 'saturation', what: 'raw saturation level (DN)', sub: det.sub }) },
      { header: ext('SCI', [['BUNIT', 'DN']]), image: ndarray(det.saturation, det2(det)) },
      { header: ext('DQ'), image: ndarray(new Uint32Array(det.ny * det.nx), det2(det)) },
      dqDef(),
    ],
  };
}

export function readnoiseRef(det: DetectorModel, readpatt: ReadPattern): RefFile {
  const name = refName('readnoise', `${det.sub.name}${readpatt}`);
  return {
    reftype: 'readnoise', name, match: { 'META.SUBARRAY.NAME': det.sub.name, 'META.EXPOSURE.READPATT': readpatt },
    hdus: [
      { header: refPrimary({ name, datamodl: 'ReadnoiseModel', reftype: 'readnoise', what: 'CDS read noise (DN)', sub: det.sub, extra: [['READPATT', readpatt, 'Readout pattern']] }) },
      { header: ext('SCI', [['BUNIT', 'DN']]), image: ndarray(det.readnoise, det2(det)) },
    ],
  };
}

export function gainRef(det: DetectorModel): RefFile {
  const name = refName('gain', det.sub.name);
  return {
    reftype: 'gain', name, match: { 'META.SUBARRAY.NAME': det.sub.name },
    hdus: [
      { header: refPrimary({ name, datamodl: 'GainModel', reftype: 'gain', what: 'gain (electrons/DN)', sub: det.sub }) },
      { header: ext('SCI', [['BUNIT', 'electrons/DN']]), image: ndarray(det.gain, det2(det)) },
    ],
  };
}

export function linearityRef(det: DetectorModel): RefFile {
  const name = refName('linearity', det.sub.name);
  const n = det.ny * det.nx;
  const c = new Float32Array(4 * n);
  for (let p = 0; p < n; p++) {
    c[n + p] = 1;
    c[2 * n + p] = det.linB2[p]!;
  }
  return {
    reftype: 'linearity', name, match: { 'META.SUBARRAY.NAME': det.sub.name },
    hdus: [
      { header: refPrimary({ name, datamodl: 'LinearityModel', reftype: 'linearity', what: 'corrected = raw + b2 raw^2', sub: det.sub, extra: [['BAND', 'N/A', 'MRS wavelength band'], ['FILTER', 'N/A', 'Name of filter element used']] }) },
      { header: ext('COEFFS'), image: ndarray(c, [4, det.ny, det.nx]) },
      { header: ext('DQ'), image: ndarray(new Uint32Array(n), det2(det)) },
      dqDef(),
    ],
  };
}

export function darkHeader(det: DetectorModel, readpatt: ReadPattern, ngroups: number, name: string): Header {
  return refPrimary({
    name, datamodl: 'DarkMIRIModel', reftype: 'dark', what: 'accumulated dark (DN), integration 1 and 2+', sub: det.sub,
    extra: [['EXP_TYPE', 'MIR_DARKIMG', 'Type of data in the exposure'], ['READPATT', readpatt, 'Readout pattern'], ['NFRAMES', 1, 'Number of frames per group'],
      ['NGROUPS', ngroups, 'Number of groups in integration'], ['GROUPGAP', 0, 'Number of frames dropped between groups'], ['AVDRKCUR', 0.45, 'Average dark current']],
  });
}

/** Dark SCI plane for integration class c (0 = first, 1 = later): (ngroups, ny, nx) DN. */
export function darkPlane(det: DetectorModel, c: 0 | 1, ngroups: number, tgroup: number): Float32Array {
  const n = det.ny * det.nx;
  const out = new Float32Array(ngroups * n);
  for (let g = 0; g < ngroups; g++) for (let p = 0; p < n; p++) out[g * n + p] = darkSignal(det, c, g, p, tgroup);
  return out;
}

export function darkRef(det: DetectorModel, readpatt: ReadPattern, ngroups: number, tgroup: number): RefFile {
  const name = refName('dark', `${det.sub.name}${readpatt}`);
  const n = det.ny * det.nx;
  const sci = new Float32Array(2 * ngroups * n);
  sci.set(darkPlane(det, 0, ngroups, tgroup), 0);
  sci.set(darkPlane(det, 1, ngroups, tgroup), ngroups * n);
  return {
    reftype: 'dark', name, match: { 'META.SUBARRAY.NAME': det.sub.name, 'META.EXPOSURE.READPATT': readpatt },
    hdus: [
      { header: darkHeader(det, readpatt, ngroups, name) },
      { header: ext('SCI', [['BUNIT', 'DN']]), image: ndarray(sci, [2, ngroups, det.ny, det.nx]) },
      { header: ext('DQ'), image: ndarray(new Uint32Array(2 * n), [2, 1, det.ny, det.nx]) },
      dqDef(),
    ],
  };
}

export function resetRef(det: DetectorModel, readpatt: ReadPattern): RefFile {
  const name = refName('reset', `${det.sub.name}${readpatt}`);
  const n = det.ny * det.nx;
  const sci = new Float32Array(2 * RESET_GROUPS * n);
  for (let c = 0; c < 2; c++) {
    for (let g = 0; g < RESET_GROUPS; g++) {
      for (let p = 0; p < n; p++) sci[(c * RESET_GROUPS + g) * n + p] = det.resetAmp[c as 0 | 1][p]! * Math.exp(-g / RESET_DECAY);
    }
  }
  return {
    reftype: 'reset', name, match: { 'META.SUBARRAY.NAME': det.sub.name, 'META.EXPOSURE.READPATT': readpatt },
    hdus: [
      { header: refPrimary({ name, datamodl: 'ResetModel', reftype: 'reset', what: 'reset anomaly (DN), integration 1 and 2+', sub: det.sub,
        extra: [['READPATT', readpatt, 'Readout pattern'], ['NGROUPS', RESET_GROUPS, 'Number of groups in integration'], ['NINTS', 2, 'Number of integrations']] }) },
      { header: ext('SCI', [['BUNIT', 'DN']]), image: ndarray(sci, [2, RESET_GROUPS, det.ny, det.nx]) },
      { header: ext('DQ'), image: ndarray(new Uint32Array(n), det2(det)) },
      { header: ext('ERR', [['BUNIT', 'DN']]), image: ndarray(new Float32Array(2 * RESET_GROUPS * n).fill(0.5), [2, RESET_GROUPS, det.ny, det.nx]) },
      dqDef(),
    ],
  };
}

/** RSCD: the RSCD_GROUP_SKIP table (groups flagged at the start of integrations 2+ / of integration 1). */
export function rscdRef(): RefFile {
  const name = refName('rscd', 'all');
  const rows: Array<[string, string, number, number]> = [
    ['FULL', 'FASTR1', 1, 3], ['FULL', 'SLOWR1', 0, 1], ['BRIGHTSKY', 'FASTR1', 1, 3], ['SUB256', 'FASTR1', 1, 3],
    ['SUB128', 'FASTR1', 1, 3], ['SUB64', 'FASTR1', 1, 2], ['SLITLESSPRISM', 'FASTR1', 1, 3], ['MASK1065', 'FASTR1', 1, 3],
    ['MASK1140', 'FASTR1', 1, 3], ['MASK1550', 'FASTR1', 1, 3], ['MASKLYOT', 'FASTR1', 1, 3],
  ];
  return {
    reftype: 'rscd', name, match: {},
    hdus: [
      { header: refPrimary({ name, datamodl: 'RSCDModel', reftype: 'rscd', what: 'groups to skip after a reset' }) },
      {
        header: ext('RSCD_GROUP_SKIP'),
        table: {
          nrows: rows.length,
          columns: [
            { name: 'subarray', tform: '17A', data: rows.map((r) => r[0]) },
            { name: 'readpatt', tform: '12A', data: rows.map((r) => r[1]) },
            { name: 'group_skip1', tform: 'J', data: Int32Array.from(rows, (r) => r[2]) },
            { name: 'group_skip', tform: 'J', data: Int32Array.from(rows, (r) => r[3]) },
          ],
        },
      },
    ],
  };
}

export function ipcRef(det: DetectorModel): RefFile {
  const name = refName('ipc', 'all');
  return {
    reftype: 'ipc', name, match: {},
    hdus: [
      { header: refPrimary({ name, datamodl: 'IPCModel', reftype: 'ipc', what: '3x3 IPC kernel' }) },
      { header: ext('SCI'), image: ndarray(Float32Array.from(det.ipc), [3, 3]) },
    ],
  };
}

/** The detector1 reference set for one exposure configuration. */
export function detector1Refs(det: DetectorModel, readpatt: ReadPattern, ngroups: number, tgroup: number): RefFile[] {
  return [maskRef(det), saturationRef(det), readnoiseRef(det, readpatt), gainRef(det), linearityRef(det),
    darkRef(det, readpatt, ngroups, tgroup), resetRef(det, readpatt), rscdRef(), ipcRef(det)];
}
