/**
 * AssignWcsStep (jwst 3.0 assign_wcs): attach the WCS of the exposure. MIRI
 * LRS fixed slit and slitless are implemented (core/wcs/lrs.ts) using the
 * SPECWCS and DISTORTION references; the per-pixel wavelength map (um, NaN
 * outside the bounding box) goes to the `wavelength` array so later steps and
 * the viewers can use it. Other modes fail with a clear not-implemented error.
 */
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import { cloneModel, defineStep, param, type JwstModel } from '../../stpipe/index.ts';
import { buildLrsWcs, setModelWcs, wavelengthMap, type LrsExposure } from '../../wcs/index.ts';
import { referencePathOrNA } from '../reffiles/index.node.ts';
import { readDistortion, readLrsSpecwcs } from './reference.node.ts';

const LRS = ['MIR_LRS-FIXEDSLIT', 'MIR_LRS-SLITLESS'] as const;

function num(m: JwstModel, path: string): number | undefined {
  const v = getMeta(m.meta, path);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

function need(m: JwstModel, path: string, keyword: string): number {
  const v = num(m, path);
  if (v === undefined) throw new StepError('missing-keyword', `assign_wcs needs ${keyword} (meta.${path}) in the input`, { keyword, file: m.source });
  return v;
}

/** The exposure description the LRS WCS needs, from the input meta. */
export function lrsExposure(m: JwstModel): LrsExposure {
  const shape = m.arrays.data?.shape ?? [];
  const nx = shape[shape.length - 1] ?? 0, ny = shape[shape.length - 2] ?? 0;
  return {
    expType: String(getMeta(m.meta, 'exposure.type')) as LrsExposure['expType'],
    xstart: num(m, 'subarray.xstart') ?? 1,
    ystart: num(m, 'subarray.ystart') ?? 1,
    xsize: num(m, 'subarray.xsize') ?? nx,
    ysize: num(m, 'subarray.ysize') ?? ny,
    pointing: {
      v2_ref: need(m, 'wcsinfo.v2_ref', 'V2_REF'), v3_ref: need(m, 'wcsinfo.v3_ref', 'V3_REF'),
      roll_ref: need(m, 'wcsinfo.roll_ref', 'ROLL_REF'), ra_ref: need(m, 'wcsinfo.ra_ref', 'RA_REF'), dec_ref: need(m, 'wcsinfo.dec_ref', 'DEC_REF'),
    },
    vaScale: num(m, 'velocity_aberration.scale_factor'),
    velosys: num(m, 'wcsinfo.velosys'),
  };
}

const REFTYPES = [
  'distortion', 'filteroffset', 'specwcs', 'regions', 'wavelengthrange', 'camera', 'chromcorr', 'collimator',
  'disperser', 'fore', 'fpa', 'msa', 'ote', 'ifupost', 'ifufore', 'ifuslicer',
];

export const step = defineStep<JwstModel, JwstModel>({
  name: 'assign_wcs',
  className: 'AssignWcsStep',
  spec: {
    sip_approx: param.bool(true, 'enables SIP approximation for imaging modes.'),
    sip_max_pix_error: param.float(0.01, 'max err for SIP fit, forward.'),
    sip_degree: param.int(null, 'degree for forward SIP fit, None to use best fit.', { max: 6 }),
    sip_max_inv_pix_error: param.float(0.01, 'max err for SIP fit, inverse.'),
    sip_inv_degree: param.int(null, 'degree for inverse SIP fit, None to use best fit.', { max: 6 }),
    sip_npoints: param.int(12, 'number of points for SIP'),
    slit_y_low: param.float(-0.55, 'The lower edge of a slit.'),
    slit_y_high: param.float(0.55, 'The upper edge of a slit.'),
    nrs_ifu_slice_wcs: param.bool(false, 'For NIRSpec IFU: store the full slice-based WCS instead of the coordinate-based one.'),
  },
  referenceTypes: REFTYPES,
  summary: 'Create the WCS (detector -> v2v3 -> world) of an exposure; MIRI LRS fixed slit and slitless',
  supports(input) {
    const et = String(getMeta(input.meta, 'exposure.type') ?? '');
    if (!(LRS as readonly string[]).includes(et)) return `assign_wcs is implemented for MIR_LRS-FIXEDSLIT and MIR_LRS-SLITLESS only, not EXP_TYPE ${et || '(missing)'}`;
    return undefined;
  },
  async run(input, ctx) {
    const et = String(getMeta(input.meta, 'exposure.type') ?? '');
    if (!(LRS as readonly string[]).includes(et)) throw new StepError('not-implemented', `assign_wcs: EXP_TYPE ${et || '(missing)'} is not implemented (MIRI LRS only)`);
    // jwst asks for every reference type of the step (R_* keywords: N/A for the other modes' types).
    for (const rt of REFTYPES) await ctx.reference(rt).catch(() => undefined);
    const specPath = await referencePathOrNA(ctx, 'specwcs');
    const distPath = await referencePathOrNA(ctx, 'distortion');
    if (!specPath) throw new StepError('ref-missing', `assign_wcs for ${et} needs a SPECWCS reference (got N/A)`, { parameter: 'override_specwcs' });
    if (!distPath) throw new StepError('ref-missing', `assign_wcs for ${et} needs a DISTORTION reference (got N/A)`, { parameter: 'override_distortion' });
    const data = input.arrays.data;
    if (!data || data.shape.length < 2) throw new StepError('bad-input', 'assign_wcs: the input has no 2-D or 3-D SCI array', { file: input.source });
    const ref = await readLrsSpecwcs(specPath);
    const distortion = await readDistortion(distPath);
    const wcs = buildLrsWcs(lrsExposure(input), ref, distortion);
    const ny = data.shape[data.shape.length - 2]!, nx = data.shape[data.shape.length - 1]!;
    ctx.log.info(`Created a MIRI ${et.toLowerCase()} WCS: frames ${wcs.frames.join(' -> ')}, bounding box ${JSON.stringify(wcs.boundingBox)}`);
    const out = cloneModel(input);
    out.arrays.wavelength = ndarray(wavelengthMap(wcs, ny, nx), [ny, nx]);
    setModelWcs(out, wcs);
    setMeta(out.meta, 'wcsinfo.specsys', 'BARYCENT');
    ctx.log.info('COMPLETED assign_wcs');
    return out;
  },
});
