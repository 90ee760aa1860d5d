/**
 * ImprintStep (imprint): declared from jwst 3.0, not implemented yet.
 * Source: jwst/imprint/imprint_step.py: empty spec, no reference types.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'imprint',
  className: 'ImprintStep',
  summary: 'Subtract the NIRSpec MSA imprint (leakcal) exposure',
  usedFor: 'NIRSpec MOS and IFU with imprint members in calwebb_spec2 (pipeline alias imprint_subtract)',
  referenceTypes: [],
  spec: {},
});
