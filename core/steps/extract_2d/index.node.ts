/**
 * Extract2dStep (extract_2d): declared from jwst 3.0, not implemented yet.
 * Source: jwst/extract_2d/extract_2d_step.py (force_list parameters are lists of strings).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'extract_2d',
  className: 'Extract2dStep',
  summary: 'Extract 2-D cutouts of slits or grism traces',
  usedFor: 'NIRSpec FS/MOS, WFSS and TSO grism in calwebb_spec2',
  referenceTypes: ['wavelengthrange'],
  spec: {
    slit_names: param.stringList(null, 'slits to be extracted'),
    source_ids: param.stringList(null, 'source ids to be extracted'),
    source_ra: param.stringList(null, 'source RAs to be extracted, WFSS only'),
    source_dec: param.stringList(null, 'source DECs to be extracted, WFSS only'),
    source_max_sep: param.float(2.0, 'maximum separation in arcseconds around source_ra, source_dec, WFSS only', { unit: 'arcsec' }),
    extract_orders: param.intList(null, 'list of orders to extract'),
    grism_objects: param.any(null, 'list of grism objects to use'),
    tsgrism_extract_height: param.int(null, 'extraction height in pixels, TSGRISM mode', { unit: 'pixel' }),
    wfss_extract_half_height: param.int(5, 'extraction half height in pixels, WFSS mode', { unit: 'pixel' }),
    wfss_mmag_extract: param.float(null, 'minimum abmag to extract, WFSS mode'),
    wfss_nbright: param.int(1000, 'number of brightest objects to extract, WFSS mode'),
  },
});
