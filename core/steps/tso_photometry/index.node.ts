/**
 * TSOPhotometryStep (jwst 3.0 tso_photometry, imaging TSO): declared with
 * jwst's parameters and reference types; the aperture photometry itself is
 * not implemented yet and fails with a clear not-implemented error.
 */
import { StepError } from '../../errors/index.ts';
import { defineStep, param, type JwstModel, type TableProduct } from '../../stpipe/index.ts';

const WHY = 'tso_photometry (circular-aperture photometry of imaging TSOs) is not implemented in WebbDesk yet';

export const step = defineStep<JwstModel | readonly JwstModel[], TableProduct>({
  name: 'tso_photometry',
  className: 'TSOPhotometryStep',
  summary: 'Aperture photometry per integration for imaging TSOs — not implemented',
  suffix: 'phot',
  referenceTypes: ['gain'],
  declaredOnly: true,
  supports: () => WHY,
  spec: {
    save_catalog: param.bool(false, 'Save exposure-level catalog'),
    radius: param.float(3.0, 'Aperture radius in pixels', { unit: 'pixel' }),
    radius_inner: param.float(4.0, 'Background annulus inner radius in pixels', { unit: 'pixel' }),
    radius_outer: param.float(5.0, 'Background annulus outer radius in pixels', { unit: 'pixel' }),
    centroid_source: param.bool(true, 'Centroid source before photometry'),
    search_box_width: param.int(41, 'Box width for initial source search; must be odd.', { unit: 'pixel' }),
    fit_box_width: param.int(11, 'Box width for centroid fit; must be odd.', { unit: 'pixel' }),
    moving_centroid: param.bool(false, 'Fit centroid values for each integration'),
  },
  run: async () => { throw new StepError('not-implemented', WHY); },
});
