/**
 * AssignMTWcsStep (assign_mtwcs): declared from jwst 3.0, not implemented yet.
 * Source: jwst/assign_mtwcs/assign_mtwcs_step.py: no step-specific parameters.
 */
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'assign_mtwcs',
  className: 'AssignMTWcsStep',
  summary: 'Assign a moving-target WCS to the exposures of a level-3 association',
  usedFor: 'moving targets in calwebb_spec3/image3',
  referenceTypes: [],
  spec: {},
});
