/**
 * The MIRI LRS slitless reference set in real formats: SPECWCS
 * (MiriLRSSpecwcsModel FITS: WAVETABLE + IMX/IMY/IMXSLTL/IMYSLTL), DISTORTION
 * (DistortionModel ASDF with an astropy-modeling affine transform from
 * full-frame pixels to v2, v3 arcsec, structured like the golden
 * ref_distortion_mirimage.asdf), FLAT (FlatModel), PHOTOM (MirLrsPhotomModel:
 * PHOTOM table with wavelength/relresponse arrays) and EXTRACT1D (JSON
 * apertures). Pure.
 */
import { Tagged } from '../asdf/index.ts';
import { DQ } from '../datamodels/dq.ts';
import { ndarray } from '../ndarray/index.ts';
import { IMX, IMXSLTL, IMY, IMYSLTL, LRS_SUB, NTABLE, PHOTMJSR, PIXAR_A2, PIXAR_SR, relResponse, waveTable } from './lrs.ts';
import { AUTHOR, USEAFTER, dqDef, ext, refName, refPrimary, type RefFile } from './refs.ts';

const EXP = 'MIR_LRS-SLITLESS';

export function specwcsRef(): RefFile {
  const name = refName('specwcs', 'slitlessprism');
  const rows = waveTable();
  const col = (f: (r: (typeof rows)[number]) => number) => Float64Array.from(rows, f);
  const columns = [
    { name: 'x_center', tform: 'D', data: col((r) => r.xCenter) },
    { name: 'y_center', tform: 'D', data: col((r) => r.yCenter) },
    { name: 'wavelength', tform: 'D', data: col((r) => r.wavelength) },
    { name: 'x0', tform: 'D', data: col((r) => r.xCenter - 20) }, { name: 'y0', tform: 'D', data: col((r) => r.yCenter + 0.5) },
    { name: 'x1', tform: 'D', data: col((r) => r.xCenter + 20) }, { name: 'y1', tform: 'D', data: col((r) => r.yCenter + 0.5) },
    { name: 'x2', tform: 'D', data: col((r) => r.xCenter + 20) }, { name: 'y2', tform: 'D', data: col((r) => r.yCenter - 0.5) },
    { name: 'x3', tform: 'D', data: col((r) => r.xCenter - 20) }, { name: 'y3', tform: 'D', data: col((r) => r.yCenter - 0.5) },
  ];
  return {
    reftype: 'specwcs', name, match: { 'META.SUBARRAY.NAME': 'SLITLESSPRISM', 'META.EXPOSURE.TYPE': EXP },
    hdus: [
      { header: refPrimary({ name, datamodl: 'MiriLRSSpecwcsModel', reftype: 'specwcs', what: 'LRS slitless wavelength table', sub: LRS_SUB,
        extra: [['FILTER', 'P750L', 'Name of filter element used'], ['P_EXP_TY', `${EXP}|`, 'Applicable EXP_TYPE.'], ['EXP_TYPE', EXP, 'Type of data in the exposure']] })
        .set('IMX', IMX, '[pixels] x coord of ref position of MIRIM_SLIT').set('IMY', IMY, '[pixels] y coord of ref position of MIRIM_SLIT')
        .set('IMXSLTL', IMXSLTL, '[pixels] x coord of ref position of MIRIM_SLITL').set('IMYSLTL', IMYSLTL, '[pixels] y coord of ref position of MIRIM_SLITL') },
      { header: ext('WAVETABLE'), table: { columns, nrows: rows.length } },
    ],
  };
}

/** Full-frame pixels -> (v2, v3) arcsec: 0.11"/px, rotated by 4.83 deg, (IMXSLTL, IMYSLTL) at (V2_REF, V3_REF). */
export function distortionRef(): RefFile {
  const name = refName('distortion', 'mirimage', 'asdf');
  const s = 0.1109, th = (4.83 * Math.PI) / 180;
  const m = [s * Math.cos(th), -s * Math.sin(th), s * Math.sin(th), s * Math.cos(th)];
  const x0 = IMXSLTL - 1, y0 = IMYSLTL - 1, v2 = -378.63, v3 = -344.93;
  const t = [v2 - (m[0]! * x0 + m[1]! * y0), v3 - (m[2]! * x0 + m[3]! * y0)];
  const meta = {
    author: AUTHOR, date: new Date().toISOString().slice(0, 23), description: 'simulated MIRI imager DISTORTION (affine)',
    exposure: { p_exptype: 'MIR_IMAGE|MIR_LRS-FIXEDSLIT|MIR_LRS-SLITLESS|', type: EXP }, input_units: 'pix',
    instrument: { band: 'N/A', channel: 'N/A', detector: 'MIRIMAGE', filter: 'N/A', name: 'MIRI' }, model_type: 'DistortionModel',
    output_units: 'arcsec', pedigree: 'DUMMY', reftype: 'distortion',
    subarray: { fastaxis: 1, name: 'FULL', slowaxis: 2, xsize: 1032, xstart: 1, ysize: 1024, ystart: 1 }, telescope: 'JWST', useafter: USEAFTER,
  };
  const model = new Tagged('tag:stsci.edu:asdf/transform/affine-1.5.0', {
    inputs: ['x', 'y'], matrix: ndarray(Float64Array.from(m), [2, 2]), outputs: ['x', 'y'], translation: ndarray(Float64Array.from(t), [2]),
  });
  return { reftype: 'distortion', name, match: { 'META.EXPOSURE.TYPE': EXP }, asdf: { meta, model } };
}

export function flatRef(flat: Float32Array): RefFile {
  const name = refName('flat', 'p750lslitlessprism');
  const n = flat.length;
  const dq = new Uint32Array(n);
  for (let p = 0; p < n; p++) if (!Number.isFinite(flat[p]!)) dq[p] = (DQ.NO_FLAT_FIELD | DQ.DO_NOT_USE) >>> 0;
  const shape = [LRS_SUB.ysize, LRS_SUB.xsize];
  return {
    reftype: 'flat', name, match: { 'META.INSTRUMENT.FILTER': 'P750L', 'META.SUBARRAY.NAME': 'SLITLESSPRISM' },
    hdus: [
      { header: refPrimary({ name, datamodl: 'FlatModel', reftype: 'flat', what: 'LRS slitless flat', sub: LRS_SUB,
        extra: [['FILTER', 'P750L', 'Name of filter element used'], ['BAND', 'N/A', 'MRS wavelength band'], ['EXP_TYPE', EXP, 'Type of data in the exposure'], ['READPATT', 'ANY', 'Readout pattern']] }) },
      { header: ext('SCI'), image: ndarray(flat, shape) },
      { header: ext('DQ'), image: ndarray(dq, shape) },
      { header: ext('ERR'), image: ndarray(new Float32Array(n).fill(0.002), shape) },
      dqDef(),
    ],
  };
}

/** Two table rows' worth of one array cell (binary-table array columns are stored flat, row-major). */
function twice(a: Float32Array): Float32Array {
  const out = new Float32Array(2 * a.length);
  out.set(a, 0);
  out.set(a, a.length);
  return out;
}

export function photomRef(): RefFile {
  const name = refName('photom', 'p750l');
  const nelem = 120, lo = 3.5, hi = 14.5;
  const wl = new Float32Array(NTABLE), rr = new Float32Array(NTABLE), ru = new Float32Array(NTABLE);
  for (let k = 0; k < nelem; k++) {
    wl[k] = lo + ((hi - lo) * k) / (nelem - 1);
    rr[k] = relResponse(wl[k]!);
    ru[k] = 0.01;
  }
  const rows = 2;
  return {
    reftype: 'photom', name, match: { 'META.INSTRUMENT.FILTER': 'P750L', 'META.EXPOSURE.TYPE': EXP },
    hdus: [
      { header: refPrimary({ name, datamodl: 'MirLrsPhotomModel', reftype: 'photom', what: 'LRS PHOTMJSR and relative response',
        extra: [['EXP_TYPE', EXP, 'Type of data in the exposure'], ['PIXAR_SR', PIXAR_SR, 'Nominal pixel area in steradians'], ['PIXAR_A2', PIXAR_A2, 'Nominal pixel area in arcsec^2']] }) },
      {
        header: ext('PHOTOM'),
        table: {
          nrows: rows,
          columns: [
            { name: 'filter', tform: '12A', data: ['P750L', 'P750L'] },
            { name: 'subarray', tform: '17A', data: ['SLITLESSPRISM', 'FULL'] },
            { name: 'photmjsr', tform: 'E', data: Float32Array.from([PHOTMJSR, PHOTMJSR]) },
            { name: 'uncertainty', tform: 'E', data: Float32Array.from([PHOTMJSR * 0.01, PHOTMJSR * 0.01]) },
            { name: 'nelem', tform: 'I', data: Int16Array.from([nelem, nelem]) },
            { name: 'wavelength', tform: `${NTABLE}E`, data: twice(wl) },
            { name: 'relresponse', tform: `${NTABLE}E`, data: twice(rr) },
            { name: 'reluncertainty', tform: `${NTABLE}E`, data: twice(ru) },
          ],
        },
      },
    ],
  };
}

/** EXTRACT1D JSON: an 11-column aperture centred on the trace and background strips on both sides. */
export function extract1dRef(): RefFile {
  const name = refName('extract1d', 'lrs', 'json');
  const doc = {
    reftype: 'EXTRACT1D', instrument: 'MIRI', telescope: 'JWST', exp_type: 'MIR_LRS-FIXEDSLIT|MIR_LRS-SLITLESS', pedigree: 'DUMMY',
    description: 'simulated MIRI LRS extraction parameters', author: AUTHOR, useafter: USEAFTER,
    apertures: [
      { id: 'MIR_LRS-FIXEDSLIT', region_type: 'target', bkg_order: 0, dispaxis: 2, xstart: 27, xstop: 34, use_source_posn: false },
      { id: 'MIR_LRS-SLITLESS', region_type: 'target', bkg_order: 0, dispaxis: 2, xstart: 32, xstop: 42, use_source_posn: false,
        bkg_coeff: [[12.5], [24.5], [50.5], [62.5]], bkg_fit: 'median' },
    ],
  };
  return { reftype: 'extract1d', name, match: { 'META.EXPOSURE.TYPE': EXP }, text: JSON.stringify(doc, null, 2) + '\n' };
}

export function lrsRefs(flat: Float32Array): RefFile[] {
  return [specwcsRef(), distortionRef(), flatRef(flat), photomRef(), extract1dRef()];
}
