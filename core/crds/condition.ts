/**
 * Header conditioning as the crds client does it before matching
 * (crds.core.utils.condition_value / condition_header, crds.jwst.locate
 * fits_to_parkeys): values become upper-case stripped strings, numbers
 * become Python float text ('12' -> '12.0'), booleans 'T'/'F', 'ANY' -> '*',
 * 'N/A' / 'NOT APPLICABLE' -> 'N/A'; keys become the upper-case datamodel
 * paths (META.*) the rmaps use, FITS keywords translated.
 */
import { pyFloat, pyFloatRepr, pyStr } from './pycompat.ts';

const DONT_CARE = /^(?:-2147483648\.0|\(\)|N\/A|NOT APPLICABLE|NOT_APPLICABLE)$/;
const NUMBER = /^(?:[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[+-]?[0-9]+\.)$/;

/** One header value as the rmaps see it. */
export function conditionValue(value: unknown): string {
  let v = pyStr(value).trim().toUpperCase();
  if (NUMBER.test(v)) v = pyFloatRepr(pyFloat(v)!);
  if (DONT_CARE.test(v)) v = 'N/A';
  if (v === 'ANY') return '*';
  if (v === '4294967295.0') return '-1.0';
  if (v === 'T' || v === 'TRUE') return 'T';
  if (v === 'F' || v === 'FALSE') return 'F';
  return v;
}

/**
 * FITS keywords of JWST science headers and the datamodel paths they fill
 * (stdatamodels core schema), limited to what CRDS rules select on.
 */
export const FITS_KEYWORD_PARKEYS: Readonly<Record<string, string>> = {
  INSTRUME: 'META.INSTRUMENT.NAME',
  DETECTOR: 'META.INSTRUMENT.DETECTOR',
  FILTER: 'META.INSTRUMENT.FILTER',
  PUPIL: 'META.INSTRUMENT.PUPIL',
  GRATING: 'META.INSTRUMENT.GRATING',
  BAND: 'META.INSTRUMENT.BAND',
  CHANNEL: 'META.INSTRUMENT.CHANNEL',
  MODULE: 'META.INSTRUMENT.MODULE',
  CORONMSK: 'META.INSTRUMENT.CORONAGRAPH',
  LAMP: 'META.INSTRUMENT.LAMP_STATE',
  OPMODE: 'META.INSTRUMENT.LAMP_MODE',
  FXD_SLIT: 'META.INSTRUMENT.FIXED_SLIT',
  EXP_TYPE: 'META.EXPOSURE.TYPE',
  READPATT: 'META.EXPOSURE.READPATT',
  NGROUPS: 'META.EXPOSURE.NGROUPS',
  NINTS: 'META.EXPOSURE.NINTS',
  NFRAMES: 'META.EXPOSURE.NFRAMES',
  GROUPGAP: 'META.EXPOSURE.GROUPGAP',
  NOUTPUTS: 'META.EXPOSURE.NOUTPUTS',
  SUBARRAY: 'META.SUBARRAY.NAME',
  SUBSTRT1: 'META.SUBARRAY.XSTART',
  SUBSTRT2: 'META.SUBARRAY.YSTART',
  SUBSIZE1: 'META.SUBARRAY.XSIZE',
  SUBSIZE2: 'META.SUBARRAY.YSIZE',
  FASTAXIS: 'META.SUBARRAY.FASTAXIS',
  SLOWAXIS: 'META.SUBARRAY.SLOWAXIS',
  'DATE-OBS': 'META.OBSERVATION.DATE',
  'TIME-OBS': 'META.OBSERVATION.TIME',
  TSOVISIT: 'META.VISIT.TSOVISIT',
  VISITYPE: 'META.VISIT.TYPE',
  CROWDFLD: 'META.VISIT.CROWDED_FIELD',
  CAL_VER: 'META.CALIBRATION_SOFTWARE_VERSION',
  TELESCOP: 'META.TELESCOPE',
};

/** Keys crds looks at (in order) to find the instrument. */
export const INSTRUMENT_KEYWORDS = ['META.INSTRUMENT.NAME', 'INSTRUME', 'INSTRUMENT', 'META_INSTRUMENT_NAME'];

/**
 * Upper-case keys, translate FITS keywords to datamodel paths, condition
 * every value. Later keys overwrite earlier ones that map to the same path.
 */
export function conditionHeader(header: Readonly<Record<string, unknown>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(header)) {
    const key = k.toUpperCase();
    const pk = key.startsWith('META.') ? key : (FITS_KEYWORD_PARKEYS[key] ?? key);
    out.set(pk, conditionValue(v));
  }
  return out;
}

/**
 * Datamodel parkeys from a FITS primary header, for any keyword `get` knows.
 * Values are returned raw; `bestrefs` conditions them.
 */
export function parkeysFromFitsHeader(get: (keyword: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [kw, pk] of Object.entries(FITS_KEYWORD_PARKEYS)) {
    const v = get(kw);
    if (v !== undefined) out[pk] = v;
  }
  return out;
}
