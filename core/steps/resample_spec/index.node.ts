/**
 * ResampleSpecStep (jwst 3.0 resample_spec): declared with jwst's parameters.
 * The drizzle resampling onto a rectified (s2d) grid is not implemented yet:
 * running it fails with a clear not-implemented error rather than writing an
 * approximate s2d.
 */
import { StepError } from '../../errors/index.ts';
import { defineStep, param, type JwstModel } from '../../stpipe/index.ts';

const WHY = 'resample_spec (drizzle onto a rectified s2d grid through the WCS) is not implemented in WebbDesk yet; skip it (--steps.resample_spec.skip=True) and extract from the _cal product';

export const step = defineStep<JwstModel | readonly JwstModel[], JwstModel>({
  name: 'resample_spec',
  className: 'ResampleSpecStep',
  summary: 'Resample 2-D spectra onto a rectified grid (drizzle) — not implemented',
  suffix: 's2d',
  referenceTypes: [],
  declaredOnly: true,
  supports: () => WHY,
  spec: {
    pixfrac: param.float(1.0, 'Pixel shrinkage factor', { min: 0, max: 1 }),
    kernel: param.option(['square', 'point'], 'square', 'Flux distribution kernel'),
    fillval: param.string('NAN', 'Output value for pixels with no weight or flux'),
    weight_type: param.option(['ivm', 'exptime', null], 'ivm', 'Input image weighting type'),
    output_shape: param.intList(null, '[x, y] order'),
    pixel_scale_ratio: param.float(1.0, 'Ratio of input to output spatial pixel scale'),
    pixel_scale: param.float(null, 'Spatial pixel scale in arcsec', { unit: 'arcsec' }),
    output_wcs: param.string('', 'Custom output WCS'),
    single: param.bool(false, 'Resample each input to its own output grid'),
    blendheaders: param.bool(true, 'Blend metadata from inputs into output'),
    in_memory: param.bool(true, 'Keep images in memory'),
  },
  run: async () => { throw new StepError('not-implemented', WHY); },
});
