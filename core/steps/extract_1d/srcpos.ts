/**
 * use_source_posn for MIRI LRS fixed slit (jwst docs, extract_1d "use_source_posn";
 * jwst 3.0 extract_1d/source_location.py, location_from_wcs): the target's
 * dithered pointing (DITH_RA/DITH_DEC, meta.dither.dithered_ra/dec) at the
 * middle wavelength is taken through the WCS backwards (world -> detector); the
 * cross-dispersion pixel it lands on is where the aperture is centred. The
 * middle wavelength is the mean wavelength along the cross-dispersion line at
 * the middle of the bounding box in the dispersion direction. The aperture is
 * shifted by (location - nominal aperture centre) in the cross-dispersion
 * direction; when the position cannot be found (no WCS, no dithered RA/Dec,
 * outside the bounding box) the nominal aperture is kept with a warning, as jwst does.
 * Pure: no file I/O.
 */
import { getMeta } from '../../datamodels/meta.ts';
import type { JwstModel } from '../../stpipe/index.ts';
import { modelWcs } from '../../wcs/attach.ts';
import type { Wcs } from '../../wcs/wcs.ts';
import type { ExtractParams } from './reference.ts';

export interface SourceLocation {
  /** Dispersion pixel at the middle of the bounding box (rounded). */
  readonly middle: number;
  /** Mean wavelength (um) along the cross-dispersion line at `middle`. */
  readonly middleWavelength: number;
  /** Cross-dispersion pixel (0-based) of the source at the middle wavelength. */
  readonly location: number;
}

/** The source location from the WCS for a vertical-dispersion (dispaxis 2) LRS fixed-slit image, or a reason it is unavailable. */
export function lrsSourceLocation(wcs: Wcs, ra: number, dec: number): SourceLocation | string {
  const bb = wcs.boundingBox;
  if (!bb || bb.length < 2) return 'the WCS has no bounding box';
  const midDisp = (bb[1]![0] + bb[1]![1]) / 2;
  const width = Math.round(bb[0]![1]);
  const xs = Float64Array.from({ length: width }, (_, i) => i);
  const lam = wcs.evaluate([xs, new Float64Array(width).fill(midDisp)]);
  let n = 0, s = 0;
  for (const v of lam[lam.length - 1]!) if (Number.isFinite(v)) { n++; s += v; }
  if (n === 0) return 'no valid wavelength at the middle of the bounding box';
  const wl = s / n;
  let det: Float64Array[];
  try {
    det = wcs.evaluate([Float64Array.of(ra), Float64Array.of(dec), Float64Array.of(wl)], { from: 'world', to: 'detector' });
  } catch (e) {
    return `the WCS has no world -> detector path (${(e as Error).message})`;
  }
  const x = det[0]![0]!;
  if (!Number.isFinite(x)) return 'the source position could not be determined from the WCS';
  if (x < bb[0]![0] || x > bb[0]![1]) return `the WCS puts the target at x = ${x.toFixed(2)}, outside the bounding box`;
  return { middle: Math.round(midDisp), middleWavelength: wl, location: x };
}

/** Nominal cross-dispersion centre of the source aperture at dispersion pixel `middle` (wavelength `wl`). */
export function nominalCentre(p: ExtractParams, dispaxis: number, middle: number, wl: number): number {
  if (p.srcCoeff && p.srcCoeff.length >= 2) {
    const t = p.independentVar === 'wavelength' ? wl : middle;
    const ev = (c: number[]): number => c.reduce((acc, ci, k) => acc + ci * t ** k, 0);
    return (ev(p.srcCoeff[0]!) + ev(p.srcCoeff[p.srcCoeff.length - 1]!)) / 2;
  }
  return dispaxis === 1 ? (p.ystart + p.ystop) / 2 : (p.xstart + p.xstop) / 2;
}

/**
 * The cross-dispersion shift (pixels) that centres the aperture on the source,
 * or 0 with `warn` called when it cannot be found. MIR_LRS-FIXEDSLIT only.
 */
export function sourcePositionOffset(m: JwstModel, p: ExtractParams, dispaxis: number, warn: (s: string) => void, info: (s: string) => void = () => undefined): number {
  const wcs = modelWcs(m);
  if (!wcs) { warn('use_source_posn: the input has no WCS from assign_wcs in this run; using the nominal aperture'); return 0; }
  if (dispaxis !== 2) { warn(`use_source_posn: MIRI LRS expects vertical dispersion (DISPAXIS=2), got ${dispaxis}; using the nominal aperture`); return 0; }
  const ra = Number(getMeta(m.meta, 'dither.dithered_ra')), dec = Number(getMeta(m.meta, 'dither.dithered_dec'));
  if (!Number.isFinite(ra) || !Number.isFinite(dec)) { warn('use_source_posn: DITH_RA/DITH_DEC (dithered pointing) not found; using the nominal aperture'); return 0; }
  const loc = lrsSourceLocation(wcs, ra, dec);
  if (typeof loc === 'string') { warn(`use_source_posn: ${loc}; using the nominal aperture`); return 0; }
  const nominal = nominalCentre(p, dispaxis, loc.middle, loc.middleWavelength);
  const off = loc.location - nominal;
  info(`Using dithered_ra and dithered_dec to center extraction: source at x = ${loc.location.toFixed(3)} (middle wavelength ${loc.middleWavelength.toFixed(4)} um), nominal ${nominal.toFixed(3)}, offset ${off.toFixed(3)} pixels`);
  return off;
}
