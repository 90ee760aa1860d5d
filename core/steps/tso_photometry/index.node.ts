/**
 * TSOPhotometryStep (jwst 3.0 tso_photometry, imaging TSO): circular-aperture
 * photometry with an annulus background per integration, optional centroiding,
 * written as the `_phot.ecsv` catalog (run.ts). The GAIN reference is read
 * only when the data are in DN/s (conversion to electrons). Not implemented:
 * jwst's Gaussian PSF fit columns (psf_width_x/y, psf_flux) and the
 * SUB64P/WLP8 whole-subarray sum.
 */
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { defineStep, isModel, param, type JwstModel, type StepContext, type TableProduct } from '../../stpipe/index.ts';
import { extractWindow, readRefFile, refFloat, refWindow, referencePathOrNA, scienceWindow } from '../reffiles/index.node.ts';
import { tsoPhotometry } from './run.ts';

async function gainPlane(m: JwstModel, ctx: StepContext): Promise<Float32Array | undefined> {
  if (String(getMeta(m.meta, 'bunit_data') ?? '') !== 'DN/s') return undefined;
  const path = await referencePathOrNA(ctx, 'gain');
  if (!path) { ctx.log.warning('GAIN reference is N/A: photometry stays in DN/s'); return undefined; }
  const ref = await readRefFile(path);
  const g = refFloat(ref, 'SCI');
  const [, ny, nx] = m.arrays.data!.shape as [number, number, number];
  const cut = extractWindow(g, refWindow(ref, g), scienceWindow(m.meta, ny, nx), `GAIN ${path}`);
  if (cut !== g) ctx.log.info('Extracting gain subarray to match science data');
  return cut.data as Float32Array;
}

export const step = defineStep<JwstModel | readonly JwstModel[], TableProduct>({
  name: 'tso_photometry',
  className: 'TSOPhotometryStep',
  summary: 'Aperture photometry per integration for imaging TSOs (_phot.ecsv)',
  suffix: 'phot',
  referenceTypes: ['gain'],
  supports: (i) => (isModel(i) ? ((i.arrays.data?.shape.length ?? 0) === 3 ? undefined : 'tso_photometry needs a 3-D CubeModel (calints)') : 'tso_photometry on a list of models is not implemented'),
  spec: {
    save_catalog: param.bool(false, 'Save exposure-level catalog'),
    radius: param.float(3.0, 'Aperture radius in pixels', { unit: 'pixel' }),
    radius_inner: param.float(4.0, 'Background annulus inner radius in pixels', { unit: 'pixel' }),
    radius_outer: param.float(5.0, 'Background annulus outer radius in pixels', { unit: 'pixel' }),
    centroid_source: param.bool(true, 'Centroid source before photometry'),
    search_box_width: param.int(41, 'Box width for initial source search; must be odd.', { unit: 'pixel' }),
    fit_box_width: param.int(11, 'Box width for centroid fit; must be odd.', { unit: 'pixel' }),
    moving_centroid: param.bool(false, 'Fit centroid values for each integration'),
  },
  async run(input, ctx) {
    if (!isModel(input)) throw new StepError('not-implemented', 'tso_photometry on a list of models is not implemented');
    const gain = await gainPlane(input, ctx);
    return tsoPhotometry(input, ctx.params, gain, {
      warn: (s) => ctx.log.warning(s), info: (s) => ctx.log.info(s), signal: ctx.signal,
      progress: (d, t) => ctx.progress(d, t, 'integrations'),
    });
  },
});
