/**
 * AdaptiveTraceModelStep (adaptive_trace_model): declared from jwst 3.0, not implemented yet.
 * Source: jwst/adaptive_trace_model/adaptive_trace_model_step.py; maximum_cores from the jwst 3.0 golden pipeline.log.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'adaptive_trace_model',
  className: 'AdaptiveTraceModelStep',
  summary: 'Fit a spline model of the spectral trace and optionally oversample',
  usedFor: 'spectral modes in calwebb_spec2/spec3/tso3 (skipped by default)',
  skipByDefault: true,
  referenceTypes: [],
  spec: {
    fit_threshold: param.float(10.0, 'Limiting sigma for fitting splines'),
    oversample: param.float(1.0, 'Use the trace model to oversample the data by this factor'),
    slope_limit: param.float(0.1, 'Slope limit for using splines in oversample'),
    psf_optimal: param.bool(false, 'Model the target as a simple point source; ignore slope_limit and fit_threshold.'),
    save_intermediate_results: param.bool(false, 'Save the full spline model and residuals.'),
    maximum_cores: param.string('none', 'Number of cores for multiprocessing: an integer or none, quarter, half, all'),
  },
});
