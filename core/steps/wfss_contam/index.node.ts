/**
 * WfssContamStep (wfss_contam): declared from jwst 3.0, not implemented yet.
 * Source: jwst/wfss_contam/wfss_contam_step.py; names and defaults of jwst 3.0 from the golden pipeline.log (the last four spec comments were not available: docs are ours).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'wfss_contam',
  className: 'WfssContamStep',
  summary: 'Model and remove contamination from overlapping WFSS spectra',
  usedFor: 'NIRISS and NIRCam WFSS in calwebb_spec2 (skipped by default)',
  skipByDefault: true,
  referenceTypes: ['photom', 'wavelengthrange'],
  spec: {
    save_simulated_image: param.bool(false, 'Save full-frame simulated image'),
    save_contam_images: param.bool(false, 'Save source contam estimates'),
    maximum_cores: param.string('1', 'Number of cores for multiprocessing: an integer or none, quarter, half, all'),
    orders: param.any(null, 'Spectral orders to process, e.g. 1, or 1,2,3'),
    magnitude_limit: param.float(null, 'Isophotal AB magnitude limit for sources to be included in the contamination correction'),
    wl_oversample: param.int(2, 'oversampling factor for wavelength grid'),
    max_pixels_per_chunk: param.int(5000, 'max number of pixels to disperse at once'),
    polyfit_degree: param.int(null, 'Degree of the polynomial fitted to source spectra (None: the step default)'),
    n_iterations: param.int(1, 'Number of contamination-fit iterations'),
    l2_alpha: param.float(0.1, 'L2 regularisation strength of the spectral fit'),
    rejection_threshold: param.float(0.1, 'Threshold for rejecting pixels from the fit'),
  },
});
