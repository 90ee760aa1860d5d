/**
 * World coordinate systems (gwcs-like): frames and transforms, JSON
 * serialisation, the MIRI LRS WCS, pointing transforms, and the smoothing
 * spline the LRS trace uses.
 */
export { Wcs, wcsFromGwcs, type WcsFrame, type WcsStep, type WcsJson } from './wcs.ts';
export { v23ToSkySpec, dvaCorrSpec, type Pointing } from './pointing.ts';
export {
  buildLrsWcs, wavelengthMap, lrsZeroPoint, lrsTrace, subarrayToFull, LRS_SPLINE_S,
  type LrsSpecwcs, type LrsExposure,
} from './lrs.ts';
export { smoothingSpline, evalSpline, type Spline } from './spline.ts';
export { modelWcs, setModelWcs } from './attach.ts';
