/**
 * ResampleSpecStep (jwst 3.0 resample_spec): drizzle a MIRI LRS fixed-slit
 * _cal image (or an association's members) onto a rectified
 * (slit position, wavelength) grid, the _s2d product. The algorithm lives in
 * core/resample (drizzle with exact polygon overlaps; the grid from the WCS);
 * run.ts maps models to it. Slitless LRS, NIRSpec, WFSS and 3-D inputs fail
 * with a clear not-implemented error.
 */
import { getMeta } from '../../datamodels/meta.ts';
import { defineStep, param, type JwstModel } from '../../stpipe/index.ts';
import { resampleSpec, unsupportedReason } from './run.ts';

export const step = defineStep<JwstModel | readonly JwstModel[], JwstModel>({
  name: 'resample_spec',
  className: 'ResampleSpecStep',
  summary: 'Resample 2-D spectra onto a rectified grid (drizzle); MIRI LRS fixed slit',
  suffix: 's2d',
  referenceTypes: [],
  supports: (i) => {
    const list = Array.isArray(i) ? (i as readonly JwstModel[]) : [i as JwstModel];
    for (const m of list) { const why = unsupportedReason(m); if (why) return why; }
    return undefined;
  },
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
  async run(input, ctx) {
    const first = Array.isArray(input) ? (input as readonly JwstModel[])[0] : (input as JwstModel);
    ctx.log.info(`resample_spec: EXP_TYPE ${String(first ? getMeta(first.meta, 'exposure.type') : '')}, pixfrac=${String(ctx.params.pixfrac)}, kernel=${String(ctx.params.kernel)}, weight_type=${String(ctx.params.weight_type)}`);
    return resampleSpec(input, ctx.params, { log: ctx.log, signal: ctx.signal, progress: (d, t) => ctx.progress(d, t, 'inputs') });
  },
});
