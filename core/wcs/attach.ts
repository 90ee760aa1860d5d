/**
 * Where a model keeps its WCS in memory: a symbol-keyed property holding the
 * JSON form (copied by cloneModel's spread, invisible to meta listings and to
 * the FITS keywords). The file form (gwcs in the ASDF extension) is not written.
 */
import type { JwstModel } from '../stpipe/model.ts';
import { Wcs, type WcsJson } from './wcs.ts';

const WCS_KEY = Symbol.for('webbdesk.wcs');

type WithWcs = JwstModel & { [WCS_KEY]?: WcsJson };

/** Attach a WCS (stored as JSON) to a model. */
export function setModelWcs(model: JwstModel, wcs: Wcs | WcsJson): void {
  (model as WithWcs)[WCS_KEY] = wcs instanceof Wcs ? wcs.toJSON() : wcs;
}

/** The model's WCS, if assign_wcs attached one in this session. */
export function modelWcs(model: JwstModel): Wcs | undefined {
  const j = (model as WithWcs)[WCS_KEY];
  return j ? Wcs.fromJSON(j) : undefined;
}
