/**
 * MSAFlagOpenStep (msa_flagging): declared from jwst 3.0, not implemented yet.
 * Source: jwst/msaflagopen/msaflagopen_step.py: empty spec.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'msa_flagging',
  className: 'MSAFlagOpenStep',
  summary: 'Flag pixels affected by failed-open NIRSpec MSA shutters',
  usedFor: 'NIRSpec MOS and IFU in calwebb_spec2',
  referenceTypes: ['msaoper'],
  spec: {},
});
