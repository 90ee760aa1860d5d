/**
 * BarShadowStep (barshadow): declared from jwst 3.0, not implemented yet.
 * Source: jwst/barshadow/barshadow_step.py.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'barshadow',
  className: 'BarShadowStep',
  summary: 'Correct NIRSpec MOS data for the shadow of the MSA bars',
  usedFor: 'NIRSpec MOS in calwebb_spec2',
  referenceTypes: ['barshadow'],
  spec: {
    inverse: param.bool(false, 'Invert the operation'),
    source_type: param.string(null, 'Process as specified source type.'),
  },
});
