/**
 * The MIRI LRS fixed-slit reference set, in the formats of the real files:
 *  - SPECWCS: modelled on jwst_miri_specwcs_0005.fits (the in-flight FS
 *    specwcs, a separate reference from the slitless 0006): SUBARRAY FULL,
 *    EXP_TYPE MIR_LRS-FIXEDSLIT, FILTER P750L, IMX/IMY (slit reference point,
 *    used for the fixed slit) and IMXSLTL/IMYSLTL in the primary header,
 *    WAVETABLE of 388 rows (X_CENTER, Y_CENTER, WAVELENGTH, X0..Y3 corners);
 *  - DISTORTION: the same MIRIMAGE file as the slitless set (real CRDS
 *    selects one imager distortion for MIR_IMAGE|MIR_LRS-FIXEDSLIT|MIR_LRS-SLITLESS);
 *  - FLAT: full frame, P750L; PHOTOM: MirLrsPhotomModel with a FULL row;
 *  - EXTRACT1D: JSON with the MIR_LRS-FIXEDSLIT aperture of the real
 *    jwst_miri_extract1d_0005.json (xstart 27, xstop 34, in s2d pixels) but
 *    use_source_posn true, so the aperture follows the nod.
 * Every entry matches EXP_TYPE MIR_LRS-FIXEDSLIT (or SUBARRAY FULL) in the rmaps. Pure.
 */
import { DQ } from '../datamodels/dq.ts';
import type { HduSpec } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { distortionRef, photomRef } from './lrs-refs.ts';
import { IMX, IMXSLTL, IMY, IMYSLTL, waveTable } from './lrs.ts';
import { FS_SUB } from './lrs-fs.ts';
import { AUTHOR, USEAFTER, dqDef, ext, refName, refPrimary, type RefFile } from './refs.ts';

export const FS_EXP = 'MIR_LRS-FIXEDSLIT';
const FILTER: readonly [string, string, string] = ['FILTER', 'P750L', 'Name of filter element used'];

export function fsSpecwcsRef(): RefFile {
  const name = refName('specwcs', 'fixedslit');
  const rows = waveTable();
  const col = (n: string, f: (r: (typeof rows)[number]) => number) => ({ name: n, tform: 'D', unit: n === 'WAVELENGTH' ? 'microns' : 'pixels', data: Float64Array.from(rows, f) });
  const half = 20;
  const columns = [
    col('X_CENTER', (r) => r.xCenter), col('Y_CENTER', (r) => r.yCenter), col('WAVELENGTH', (r) => r.wavelength),
    col('X0', (r) => r.xCenter - half), col('Y0', (r) => r.yCenter + 0.5), col('X1', (r) => r.xCenter + half), col('Y1', (r) => r.yCenter + 0.5),
    col('X2', (r) => r.xCenter + half), col('Y2', (r) => r.yCenter - 0.5), col('X3', (r) => r.xCenter - half), col('Y3', (r) => r.yCenter - 0.5),
  ];
  const primary = refPrimary({
    name, datamodl: 'MiriLRSSpecwcsModel', reftype: 'specwcs', what: 'LRS fixed-slit wavelength table', sub: FS_SUB,
    extra: [FILTER, ['CHANNEL', 'N/A', 'Instrument channel'], ['BAND', 'N/A', 'MRS wavelength band'], ['EXP_TYPE', FS_EXP, 'Type of data in the exposure'], ['P_EXP_TY', `${FS_EXP}|`, 'Applicable EXP_TYPE.']],
  })
    .set('IMX', IMX, '[pixels] x coord of ref position of MIRIM_SLIT').set('IMY', IMY, '[pixels] y coord of ref position of MIRIM_SLIT')
    .set('IMXSLTL', IMXSLTL, '[pixels] x coord of ref position of MIRIM_SLITL').set('IMYSLTL', IMYSLTL, '[pixels] y coord of ref position of MIRIM_SLITL');
  return {
    reftype: 'specwcs', name, match: { 'META.SUBARRAY.NAME': 'FULL', 'META.EXPOSURE.TYPE': FS_EXP },
    hdus: [{ header: primary }, { header: ext('WAVETABLE'), table: { columns, nrows: rows.length } }],
  };
}

/** The slitless distortion file, also selected for the fixed slit. */
export function fsDistortionRef(): RefFile {
  return { ...distortionRef(), match: { 'META.EXPOSURE.TYPE': FS_EXP } };
}

export function fsFlatRef(flat: Float32Array): RefFile {
  const name = refName('flat', 'p750lfull');
  const n = flat.length;
  const dq = new Uint32Array(n);
  for (let p = 0; p < n; p++) if (!Number.isFinite(flat[p]!)) dq[p] = (DQ.NO_FLAT_FIELD | DQ.DO_NOT_USE) >>> 0;
  const shape = [FS_SUB.ysize, FS_SUB.xsize];
  return {
    reftype: 'flat', name, match: { 'META.INSTRUMENT.FILTER': 'P750L', 'META.SUBARRAY.NAME': 'FULL' },
    hdus: [
      { header: refPrimary({ name, datamodl: 'FlatModel', reftype: 'flat', what: 'LRS fixed-slit flat (full frame)', sub: FS_SUB,
        extra: [FILTER, ['BAND', 'N/A', 'MRS wavelength band'], ['EXP_TYPE', FS_EXP, 'Type of data in the exposure'], ['READPATT', 'ANY', 'Readout pattern']] }) },
      { header: ext('SCI'), image: ndarray(flat, shape) },
      { header: ext('DQ'), image: ndarray(dq, shape) },
      { header: ext('ERR'), image: ndarray(new Float32Array(n).fill(0.002), shape) },
      dqDef(),
    ],
  };
}

/** The slitless PHOTOM table (rows SLITLESSPRISM and FULL) as its own FS file. */
export function fsPhotomRef(): RefFile {
  const base = photomRef();
  const name = refName('photom', 'p750lfixedslit');
  const hdus: HduSpec[] = base.hdus!.map((h, i) => (i === 0 ? { ...h, header: h.header.clone().set('FILENAME', name).set('EXP_TYPE', FS_EXP) } : h));
  return { reftype: 'photom', name, match: { 'META.INSTRUMENT.FILTER': 'P750L', 'META.EXPOSURE.TYPE': FS_EXP }, hdus };
}

export function fsExtract1dRef(): RefFile {
  const name = refName('extract1d', 'lrsfixedslit', 'json');
  const doc = {
    reftype: 'EXTRACT1D', instrument: 'MIRI', telescope: 'JWST', exp_type: FS_EXP, pedigree: 'DUMMY',
    description: 'simulated MIRI LRS fixed-slit extraction parameters (aperture of jwst_miri_extract1d_0005, following the source)',
    author: AUTHOR, useafter: USEAFTER,
    apertures: [{ id: FS_EXP, region_type: 'target', bkg_order: 0, dispaxis: 2, xstart: 27, xstop: 34, use_source_posn: true }],
  };
  return { reftype: 'extract1d', name, match: { 'META.EXPOSURE.TYPE': FS_EXP }, text: JSON.stringify(doc, null, 2) + '\n' };
}

export function lrsFsRefs(flat: Float32Array): RefFile[] {
  return [fsSpecwcsRef(), fsDistortionRef(), fsFlatRef(flat), fsPhotomRef(), fsExtract1dRef()];
}
