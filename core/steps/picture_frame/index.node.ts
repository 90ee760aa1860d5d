/**
 * PictureFrameStep (picture_frame): declared from jwst 3.0, not implemented yet.
 * Source: jwst/picture_frame/picture_frame_step.py.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'picture_frame',
  className: 'PictureFrameStep',
  summary: 'Scale and subtract the NIRSpec thermal picture-frame pattern',
  usedFor: 'NIRSpec full-frame ramps in calwebb_detector1 (skipped by default)',
  skipByDefault: true,
  referenceTypes: ['pictureframe'],
  spec: {
    mask_science_regions: param.bool(true, 'Mask known science regions.'),
    n_sigma: param.float(2.0, 'Clipping level for non-background signal.'),
    save_mask: param.bool(false, 'Save the created background mask.'),
    save_correction: param.bool(false, 'Save the thermal correction data.'),
  },
});
