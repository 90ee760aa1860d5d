/**
 * WavecorrStep (wavecorr): declared from jwst 3.0, not implemented yet.
 * Source: jwst/wavecorr/wavecorr_step.py: empty spec.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'wavecorr',
  className: 'WavecorrStep',
  summary: 'NIRSpec wavelength zero-point correction for off-center point sources',
  usedFor: 'NIRSpec FS and MOS in calwebb_spec2',
  referenceTypes: ['wavecorr'],
  spec: {},
});
