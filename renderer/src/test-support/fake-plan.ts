/** A small calwebb_spec2-like plan for renderer unit tests (parameter names and defaults as jwst declares them). */
import type { PipelinePlan, StepView } from '../../../core/api/types.ts';

const p = (kind: string, dflt: unknown, doc: string, options?: (string | number | null)[]) => ({ kind, default: dflt, doc, options });

export const FLAT: StepView = {
  name: 'flat_field', className: 'FlatFieldStep', summary: 'Divide by the flat field', applies: true, declaredOnly: false,
  referenceTypes: ['flat', 'fflat'], spec: { save_interpolated_flat: p('boolean', false, 'Save interpolated flat'), user_supplied_flat: p('string', null, 'User flat'), inverse: p('boolean', false, 'Inverse operation') },
};
export const EXTRACT: StepView = {
  name: 'extract_1d', className: 'Extract1dStep', summary: 'Extract a 1-D spectrum', applies: true, declaredOnly: false, referenceTypes: ['extract1d', 'apcorr'],
  spec: {
    subtract_background: p('boolean', null, 'Subtract background?'), apply_apcorr: p('boolean', true, 'Apply aperture corrections'),
    extraction_type: p('option', 'box', 'Extraction type', ['box', 'optimal', null]), use_source_posn: p('boolean', null, 'Use source position'),
    position_offset: p('float', 0, 'Offset in pixels'), smoothing_length: p('integer', null, 'Background smoothing'),
    soss_atoca: p('boolean', true, 'SOSS: use ATOCA'), ifu_autocen: p('boolean', false, 'IFU: autocentroid'), bkg_fit: p('option', null, 'Background fit', ['poly', 'mean', 'median', null]),
  },
};
export const CUBE: StepView = { name: 'cube_build', className: 'CubeBuildStep', summary: 'Build IFU cubes', applies: false, declaredOnly: false, referenceTypes: ['cubepar'], spec: { channel: p('option', 'all', 'Channel', ['all', '1']) } };

export const PLAN: PipelinePlan = {
  path: '/p/jw01_rateints.fits', pipeline: 'calwebb_spec2', className: 'Spec2Pipeline', steps: [FLAT, CUBE, EXTRACT], context: 'jwst_webbdesk_0001.pmap',
  references: { flat: 'jwst_miri_flat_0001.fits', fflat: null, extract1d: 'jwst_miri_extract1d_0001.json', apcorr: null, cubepar: null },
};
