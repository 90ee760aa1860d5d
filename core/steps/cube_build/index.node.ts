/**
 * CubeBuildStep (cube_build): declared from jwst 3.0, not implemented yet.
 * Source: jwst/cube_build/cube_build_step.py; names and defaults as the jwst 3.0 golden pipeline.log lists them (single was removed; output_type defaults to band).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'cube_build',
  className: 'CubeBuildStep',
  summary: 'Build IFU spectral cubes (_s3d)',
  usedFor: 'MIRI MRS and NIRSpec IFU in calwebb_spec2/spec3',
  referenceTypes: ['cubepar'],
  spec: {
    channel: param.option(['1', '2', '3', '4', 'all'], 'all', 'Channel'),
    band: param.option(['short', 'medium', 'long', 'short-medium', 'short-long', 'medium-short', 'medium-long', 'long-short', 'long-medium', 'all'], 'all', 'Band'),
    grating: param.option(['prism', 'g140m', 'g140h', 'g235m', 'g235h', 'g395m', 'g395h', 'all'], 'all', 'Grating'),
    filter: param.option(['clear', 'f100lp', 'f070lp', 'f170lp', 'f290lp', 'all'], 'all', 'Filter'),
    output_type: param.option(['band', 'channel', 'grating', 'multi'], 'band', 'Type IFUcube to create.'),
    linear_wave: param.bool(true, 'Toggle between linear (True) and nonlinear (False) wavelength dimensions'),
    scalexy: param.float(0.0, 'cube sample size to use for axis 1 and axis2, arc seconds', { unit: 'arcsec' }),
    scalew: param.float(0.0, 'cube sample size to use for axis 3, microns', { unit: 'um' }),
    weighting: param.option(['emsm', 'msm', 'drizzle'], 'drizzle', 'Type of weighting function'),
    coord_system: param.option(['skyalign', 'world', 'internal_cal', 'ifualign'], 'skyalign', 'Output Coordinate system.'),
    ra_center: param.float(null, 'RA center of the IFU cube', { unit: 'deg' }),
    dec_center: param.float(null, 'Declination center of the IFU cube', { unit: 'deg' }),
    cube_pa: param.float(null, 'The position angle of the desired cube in decimal degrees E from N', { unit: 'deg' }),
    nspax_x: param.int(null, 'The odd integer number of spaxels to use in the x dimension of cube tangent plane.'),
    nspax_y: param.int(null, 'The odd integer number of spaxels to use in the y dimension of cube tangent plane.'),
    rois: param.float(0.0, 'region of interest spatial size, arc seconds', { unit: 'arcsec' }),
    roiw: param.float(0.0, 'region of interest wavelength size, microns', { unit: 'um' }),
    weight_power: param.float(2.0, 'Weighting option to use for Modified Shepard Method'),
    wavemin: param.float(null, 'Minimum wavelength to be used in the IFUCube', { unit: 'um' }),
    wavemax: param.float(null, 'Maximum wavelength to be used in the IFUCube', { unit: 'um' }),
    skip_dqflagging: param.bool(false, 'skip setting the DQ plane of the IFU'),
    offset_file: param.string(null, 'Filename containing a list of ra and dec offsets to apply to files.'),
    debug_spaxel: param.string('-1 -1 -1', 'Default not used'),
  },
});
