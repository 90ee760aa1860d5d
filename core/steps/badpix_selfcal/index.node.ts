/**
 * BadpixSelfcalStep (badpix_selfcal): declared from jwst 3.0, not implemented yet.
 * Source: jwst/badpix_selfcal/badpix_selfcal_step.py.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'badpix_selfcal',
  className: 'BadpixSelfcalStep',
  summary: 'Flag residual bad pixels from the science/background exposures themselves',
  usedFor: 'MIRI MRS and NIRSpec IFU in calwebb_spec2/spec3 (skipped by default)',
  skipByDefault: true,
  referenceTypes: [],
  spec: {
    flagfrac_lower: param.float(0.001, 'fraction of pixels to flag on the low-flux end', { min: 0, max: 0.5 }),
    flagfrac_upper: param.float(0.001, 'fraction of pixels to flag on the high-flux end', { min: 0, max: 0.5 }),
    kernel_size: param.int(15, 'size of kernel for median filter', { min: 1 }),
    force_single: param.bool(false, 'force single input exposure'),
    save_flagged_bkg: param.bool(false, 'save flagged background exposures to file'),
  },
});
