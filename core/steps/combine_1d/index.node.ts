/**
 * Combine1dStep (combine_1d): declared from jwst 3.0, not implemented yet.
 * Source: jwst/combine_1d/combine_1d_step.py.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'combine_1d',
  className: 'Combine1dStep',
  summary: 'Combine 1-D spectra of several exposures (_c1d)',
  usedFor: 'multi-exposure spectra in calwebb_spec3',
  referenceTypes: [],
  spec: {
    exptime_key: param.string('exposure_time', 'Metadata key to use for weighting'),
    sigma_clip: param.float(null, 'Factor for clipping outliers'),
  },
});
