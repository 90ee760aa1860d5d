/**
 * TargCentroidStep (targ_centroid): declared from jwst 3.0, not implemented yet.
 * Source: jwst/targ_centroid/targ_centroid_step.py; reference types as the jwst 3.0 golden strun overrides them.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'targ_centroid',
  className: 'TargCentroidStep',
  summary: 'Locate the target from the TA verification image',
  usedFor: 'MIRI LRS in calwebb_spec2 (skipped by default)',
  skipByDefault: true,
  referenceTypes: ['filteroffset'],
  spec: {
    ta_file: param.string(null, 'Target acquisition image file name'),
  },
});
