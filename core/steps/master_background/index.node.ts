/**
 * MasterBackgroundStep (master_background): declared from jwst 3.0, not implemented yet.
 * Source: jwst/master_background/master_background_step.py (its output_use_model default True is a common parameter).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'master_background',
  className: 'MasterBackgroundStep',
  summary: 'Compute a master background spectrum and subtract it',
  usedFor: 'nodded/background-member spectroscopy in calwebb_spec3',
  referenceTypes: [],
  spec: {
    median_kernel: param.int(1, 'Moving-median boxcar size to filter the background'),
    user_background: param.string(null, 'Path to user-supplied master background'),
    save_background: param.bool(false, 'Save computed master background'),
    force_subtract: param.bool(false, 'Force subtracting master background'),
  },
});
