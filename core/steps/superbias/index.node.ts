/**
 * SuperBiasStep (superbias): declared from jwst 3.0, not implemented yet.
 * Source: jwst/superbias/superbias_step.py: empty spec.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'superbias',
  className: 'SuperBiasStep',
  summary: 'Subtract the superbias reference from NIR ramps',
  usedFor: 'NIR detectors (NIRCam, NIRISS, NIRSpec, FGS) in calwebb_detector1',
  referenceTypes: ['superbias'],
  spec: {},
});
