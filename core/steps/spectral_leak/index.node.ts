/**
 * SpectralLeakStep (spectral_leak): declared from jwst 3.0, not implemented yet.
 * Source: jwst/spectral_leak/spectral_leak_step.py: no parameters.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'spectral_leak',
  className: 'SpectralLeakStep',
  summary: 'Correct the MIRI MRS 12.2 um spectral leak',
  usedFor: 'MIRI MRS in calwebb_spec3',
  referenceTypes: ['mrsptcorr'],
  spec: {},
});
