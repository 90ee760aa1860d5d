/**
 * StraylightStep (straylight): declared from jwst 3.0, not implemented yet.
 * Source: jwst/straylight/straylight_step.py.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'straylight',
  className: 'StraylightStep',
  summary: 'MIRI MRS cross-artifact and cosmic-ray shower straylight correction',
  usedFor: 'MIRI MRS in calwebb_spec2',
  referenceTypes: ['mrsxartcorr', 'regions'],
  spec: {
    clean_showers: param.bool(false, 'Clean up straylight from residual cosmic ray showers'),
    shower_plane: param.int(3, 'Throughput plane for identifying inter-slice regions'),
    shower_x_stddev: param.float(18, 'X standard deviation for shower model'),
    shower_y_stddev: param.float(5, 'Y standard deviation for shower model'),
    shower_low_reject: param.float(0.1, 'Low percentile of pixels to reject'),
    shower_high_reject: param.float(99.9, 'High percentile of pixels to reject'),
    save_shower_model: param.bool(false, 'Save the shower model'),
  },
});
