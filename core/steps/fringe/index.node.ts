/**
 * FringeStep (fringe): declared from jwst 3.0, not implemented yet.
 * Source: jwst/fringe/fringe_step.py: empty spec.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'fringe',
  className: 'FringeStep',
  summary: 'Divide MIRI MRS data by the fringe flat',
  usedFor: 'MIRI MRS in calwebb_spec2',
  referenceTypes: ['fringe'],
  spec: {},
});
