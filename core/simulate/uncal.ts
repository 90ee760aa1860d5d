/**
 * Headers of a simulated Level-1b uncal file, with the keyword set and HDU
 * layout of files written by stdatamodels (checked against the golden
 * detector1 uncal): primary with DATAMODL, TELESCOP, program/observation ids,
 * TSOVISIT, target, INSTRUME/DETECTOR/FILTER/EXP_TYPE, exposure timing and
 * subarray keywords; SCI (uint16, (nints, ngroups, ny, nx)) with the pointing
 * keywords; INT_TIMES.
 */
import { Header } from '../fits/index.ts';
import type { MiriSubarray, ReadPattern } from './subarrays.ts';
import { exposureKeywords, mjdToDateTime, type ExposureTiming } from './timing.ts';

export interface UncalSpec {
  readonly sub: MiriSubarray;
  readonly readpatt: ReadPattern;
  readonly timing: ExposureTiming;
  readonly expType: string;
  readonly filter: string;
  readonly tso: boolean;
  /** Program, observation, visit: e.g. '09999', '001', '001'. */
  readonly program: string;
  readonly observation: string;
  readonly visit: string;
  readonly exposure: string;
  readonly targRa: number;
  readonly targDec: number;
  readonly targetName?: string;
  /** Segment number (1-based) when the exposure is segmented (TSO); undefined: not segmented. */
  readonly segment?: number;
  /** SIAF aperture (APERNAME), default MIRIM_<subarray>. */
  readonly apername?: string;
  /** Aperture reference point in the SCI frame (XREF_SCI, YREF_SCI, 1-based), when known. */
  readonly refSci?: readonly [number, number];
}

/** DISPAXIS of spectroscopic exposure types (the ground system writes it into level-1b SCI headers). */
export function dispersionAxis(expType: string): number | undefined {
  return /^MIR_LRS/.test(expType) ? 2 : undefined;
}

/** jw<program><obs><visit>_<visitgroup><seq><act>_<exposure>[-seg<NNN>]_mirimage_uncal.fits */
export function uncalFileName(s: UncalSpec): string {
  const seg = s.segment !== undefined ? `-seg${String(s.segment).padStart(3, '0')}` : '';
  return `jw${s.program}${s.observation}${s.visit}_03101_${s.exposure}${seg}_mirimage_uncal.fits`;
}

export function uncalPrimary(s: UncalSpec, filename = uncalFileName(s)): Header {
  const h = new Header();
  const { date, time } = mjdToDateTime(s.timing.expstart);
  const ek = exposureKeywords(s.timing);
  const set = (k: string, v: string | number | boolean, c: string) => h.set(k, v, c);
  set('DATE', new Date().toISOString().slice(0, 23), 'UTC date file created');
  set('ORIGIN', 'WebbDesk', 'Organization responsible for creating file');
  set('FILENAME', filename, 'Name of the file');
  set('DATAMODL', 'Level1bModel', 'Type of data model');
  set('TELESCOP', 'JWST', 'Telescope used to acquire the data');
  set('DATE-OBS', date, '[yyyy-mm-dd] UTC date at start of exposure');
  set('TIME-OBS', time, '[hh:mm:ss.sss] UTC time at start of exposure');
  set('PROGRAM', s.program, 'Program number');
  set('OBSERVTN', s.observation, 'Observation number');
  set('VISIT', s.visit, 'Visit number');
  set('VISITGRP', '03', 'Visit group identifier');
  set('SEQ_ID', '1', 'Parallel sequence identifier');
  set('ACT_ID', '01', 'Activity identifier');
  set('EXPOSURE', s.exposure, 'Exposure request number');
  set('VISITYPE', 'PRIME_TARGETED_FIXED', 'Visit type');
  set('TSOVISIT', s.tso, 'Time Series Observation visit indicator');
  if (s.targetName) set('TARGPROP', s.targetName, "Proposer's name for the target");
  set('TARG_RA', s.targRa, '[deg] Target RA at mid time of exposure');
  set('TARG_DEC', s.targDec, '[deg] Target Dec at mid time of exposure');
  set('SRCTYAPT', 'POINT', 'Source Type selected in APT');
  set('INSTRUME', 'MIRI', 'Instrument used to acquire the data');
  set('DETECTOR', 'MIRIMAGE', 'Name of detector used to acquire the data');
  set('CHANNEL', 'N/A', 'Instrument channel');
  set('FILTER', s.filter, 'Name of the filter element used');
  set('BAND', 'N/A', 'MRS wavelength band');
  set('EXP_TYPE', s.expType, 'Type of data in the exposure');
  set('EXPSTART', ek.EXPSTART!, '[d] exposure start time in MJD');
  set('EXPMID', ek.EXPMID!, '[d] exposure mid time in MJD');
  set('EXPEND', ek.EXPEND!, '[d] exposure end time in MJD');
  set('READPATT', s.readpatt, 'Readout pattern');
  if (s.segment !== undefined) set('EXSEGNUM', s.segment, 'Segment number');
  set('NINTS', s.timing.nints, 'Number of integrations in exposure');
  set('INTSTART', 1, 'Starting integration number in this segment');
  set('INTEND', s.timing.nints, 'Ending integration number in this segment');
  set('NGROUPS', s.timing.ngroups, 'Number of groups in integration');
  set('NFRAMES', 1, 'Number of frames per group');
  set('FRMDIVSR', 1, 'Divisor applied to frame-averaged groups');
  set('GROUPGAP', 0, 'Number of frames dropped between groups');
  set('DRPFRMS1', 0, 'Number of frames dropped prior to 1st integration');
  set('DRPFRMS3', 0, 'Number of frames dropped between integrations');
  set('TFRAME', ek.TFRAME!, '[s] Time between frames');
  set('TGROUP', ek.TGROUP!, '[s] Time between groups');
  set('EFFINTTM', ek.EFFINTTM!, '[s] Effective integration time');
  set('EFFEXPTM', ek.EFFEXPTM!, '[s] Effective exposure time');
  set('DURATION', ek.DURATION!, '[s] Total duration of exposure');
  set('NRSTSTRT', 0, 'Number of reset frames at start of exposure');
  set('NRESETS', 1, 'Number of reset frames between integrations');
  set('SUBARRAY', s.sub.name, 'Subarray used');
  set('SUBSTRT1', s.sub.xstart, 'Starting pixel in axis 1 direction');
  set('SUBSTRT2', s.sub.ystart, 'Starting pixel in axis 2 direction');
  set('SUBSIZE1', s.sub.xsize, 'Number of pixels in axis 1 direction');
  set('SUBSIZE2', s.sub.ysize, 'Number of pixels in axis 2 direction');
  set('FASTAXIS', 1, 'Fast readout axis direction');
  set('SLOWAXIS', 2, 'Slow readout axis direction');
  set('APERNAME', s.apername ?? `MIRIM_${s.sub.name}`, 'PRD science aperture used');
  return h;
}

export function uncalSciHeader(s: UncalSpec): Header {
  const h = new Header();
  h.set('EXTNAME', 'SCI', 'extension name');
  h.set('SRCTYPE', 'POINT', 'Source type used for calibration');
  h.set('XPOSURE', exposureKeywords(s.timing).EFFEXPTM!, '[s] Effective exposure time');
  h.set('VA_SCALE', 1, 'Velocity aberration scale factor');
  h.set('BUNIT', 'DN', 'physical units of the array values');
  h.set('RA_V1', s.targRa, '[deg] RA of telescope V1 axis');
  h.set('DEC_V1', s.targDec, '[deg] Dec of telescope V1 axis');
  h.set('PA_V3', 250, '[deg] Position angle of telescope V3 axis');
  const dispaxis = dispersionAxis(s.expType);
  if (dispaxis !== undefined) h.set('DISPAXIS', dispaxis, 'Dispersion direction');
  h.set('VPARITY', -1, 'Relative sense of rotation between Ideal xy and V2V3');
  h.set('V3I_YANG', 4.83, '[deg] Angle from V3 axis to Ideal y axis');
  h.set('ROLL_REF', 250, '[deg] V3 roll angle at the ref point (N over E)');
  h.set('RA_REF', s.targRa, '[deg] Right ascension at the reference point');
  h.set('DEC_REF', s.targDec, '[deg] Declination at the reference point');
  h.set('V2_REF', -378.63, '[arcsec] Telescope v2 coordinate of the reference point');
  h.set('V3_REF', -344.93, '[arcsec] Telescope v3 coordinate of the reference point');
  if (s.refSci) {
    h.set('XREF_SCI', s.refSci[0], 'Aperture X reference point in SCI frame');
    h.set('YREF_SCI', s.refSci[1], 'Aperture Y reference point in SCI frame');
  }
  return h;
}
