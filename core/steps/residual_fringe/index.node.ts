/**
 * ResidualFringeStep (residual_fringe): declared from jwst 3.0, not implemented yet.
 * Source: jwst/residual_fringe/residual_fringe_step.py (spec lines have no comments; its search_output_file=False and suffix=residual_fringe are common parameters).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'residual_fringe',
  className: 'ResidualFringeStep',
  summary: 'Fit and remove residual fringes from MIRI MRS detector images',
  usedFor: 'MIRI MRS in calwebb_spec2 (skipped by default)',
  skipByDefault: true,
  referenceTypes: ['fringefreq', 'regions'],
  spec: {
    save_intermediate_results: param.bool(false, 'Save intermediate results'),
    ignore_region_min: param.any(null, 'Minimum wavelengths of regions to ignore'),
    ignore_region_max: param.any(null, 'Maximum wavelengths of regions to ignore'),
  },
});
