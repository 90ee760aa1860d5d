/**
 * MasterBackgroundMosStep (master_background_mos): declared from jwst 3.0, not implemented yet.
 * Source: jwst/master_background/master_background_mos_step.py (a pipeline in jwst with sub-steps flat_field, pathloss, barshadow, photom, pixel_replace, resample_spec, extract_1d; its output_use_model default True is a common parameter).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'master_background_mos',
  className: 'MasterBackgroundMosStep',
  summary: 'Master background subtraction for NIRSpec MOS from background slitlets',
  usedFor: 'NIRSpec MOS in calwebb_spec2',
  referenceTypes: [],
  spec: {
    sigma_clip: param.float(3, 'Factor for clipping outliers when combining spectra'),
    median_kernel: param.int(1, 'Moving-median boxcar size to filter background spec'),
    force_subtract: param.bool(false, 'Force subtracting master background'),
    save_background: param.bool(false, 'Save computed master background'),
    user_background: param.string(null, 'Path to user-supplied master background'),
    inverse: param.bool(false, 'Invert the operation'),
  },
});
