/**
 * PersistenceStep (persistence): declared from jwst 3.0, not implemented yet.
 * Source: jwst/persistence/persistence_step.py (3.0 spec: no reference types).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'persistence',
  className: 'PersistenceStep',
  summary: 'Flag pixels affected by persistence from earlier saturation',
  usedFor: 'NIR detectors in calwebb_detector1 (skipped by default)',
  skipByDefault: true,
  referenceTypes: [],
  spec: {
    save_persistence: param.string(null, 'Name of ASDF output file to save the persistence array'),
    persistence_time: param.int(null, 'Time, in seconds, to use for persistence window', { unit: 's' }),
    persistence_array_file: param.string(null, 'A path to an ASDF file containing a 2-D array of persistence times per pixel'),
    persistence_dnu: param.bool(false, 'If True the set the DO_NOT_USE flag with PERSISTENCE'),
  },
});
