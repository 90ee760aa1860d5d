/**
 * CleanFlickerNoiseStep (clean_flicker_noise): declared from jwst 3.0, not implemented yet.
 * Source: jwst/clean_flicker_noise/clean_flicker_noise_step.py; reference types flat + pastasoss as the jwst 3.0 golden strun overrides them.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'clean_flicker_noise',
  className: 'CleanFlickerNoiseStep',
  summary: 'Fit and remove 1/f (flicker) noise',
  usedFor: 'ramps in calwebb_detector1 and rates in calwebb_spec2/image2 (skipped by default)',
  skipByDefault: true,
  referenceTypes: ['flat', 'pastasoss'],
  spec: {
    autoparam: param.bool(false, 'Automatically select some fit and background parameters for the input data.'),
    fit_method: param.option(['fft', 'median'], 'median', 'Noise fitting algorithm.'),
    fit_by_channel: param.bool(false, 'Fit noise separately by amplifier (NIR only).'),
    background_method: param.option(['median', 'model', null], 'median', 'Background fit.'),
    background_box_size: { ...param.intList(null, 'Background box size.'), min: 2, max: 2 },
    mask_science_regions: param.bool(false, 'Mask known science regions.'),
    apply_flat_field: param.bool(false, 'Apply a flat correction before fitting.'),
    n_sigma: param.float(2.0, 'Clipping level for non-background signal.'),
    fit_histogram: param.bool(false, 'Fit a value histogram to derive sigma.'),
    single_mask: param.bool(true, 'Make a single mask for all integrations.'),
    user_mask: param.string(null, 'Path to user-supplied mask'),
    save_mask: param.bool(false, 'Save the created mask'),
    save_background: param.bool(false, 'Save the fit background'),
    save_noise: param.bool(false, 'Save the fit noise'),
  },
});
