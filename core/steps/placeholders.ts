/**
 * Stand-ins for the steps other engineers implement in core/steps/<alias>/
 * (their jwst class name and reference types, no parameters), so the
 * registry and the pipelines are complete while those modules land.
 * registry.node.ts replaces each stand-in by the real module as soon as it
 * is imported there; a stand-in that is reached fails with a clear message.
 */
import { StepError } from '../errors/index.ts';
import { defineStep, type StepDefinition } from '../stpipe/index.ts';

interface Stub { readonly className: string; readonly referenceTypes: readonly string[]; readonly skipByDefault?: boolean }

/** Class names and reference types as jwst 3.0 declares them (reference types: the golden strun overrides). */
const STUBS: Readonly<Record<string, Stub>> = {
  group_scale: { className: 'GroupScaleStep', referenceTypes: [] },
  dq_init: { className: 'DQInitStep', referenceTypes: ['mask'] },
  emicorr: { className: 'EmiCorrStep', referenceTypes: ['emicorr'], skipByDefault: true },
  saturation: { className: 'SaturationStep', referenceTypes: ['saturation', 'superbias'] },
  ipc: { className: 'IPCStep', referenceTypes: ['ipc'] },
  firstframe: { className: 'FirstFrameStep', referenceTypes: [], skipByDefault: true },
  lastframe: { className: 'LastFrameStep', referenceTypes: [] },
  reset: { className: 'ResetStep', referenceTypes: ['reset'] },
  linearity: { className: 'LinearityStep', referenceTypes: ['linearity'] },
  rscd: { className: 'RscdStep', referenceTypes: ['rscd'] },
  dark_current: { className: 'DarkCurrentStep', referenceTypes: ['dark'] },
  refpix: { className: 'RefPixStep', referenceTypes: ['refpix', 'sirskernel'] },
  gain_scale: { className: 'GainScaleStep', referenceTypes: ['gain'] },
  jump: { className: 'JumpStep', referenceTypes: ['gain', 'readnoise'] },
  ramp_fit: { className: 'RampFitStep', referenceTypes: ['readnoise', 'gain'] },
  assign_wcs: {
    className: 'AssignWcsStep',
    referenceTypes: ['distortion', 'filteroffset', 'specwcs', 'regions', 'wavelengthrange', 'camera', 'chromcorr', 'collimator', 'disperser', 'fore', 'fpa', 'msa', 'ote', 'ifupost', 'ifufore', 'ifuslicer'],
  },
  srctype: { className: 'SourceTypeStep', referenceTypes: [] },
  flat_field: { className: 'FlatFieldStep', referenceTypes: ['flat', 'fflat', 'sflat', 'dflat'] },
  photom: { className: 'PhotomStep', referenceTypes: ['photom', 'area'] },
  extract_1d: { className: 'Extract1dStep', referenceTypes: ['extract1d', 'apcorr', 'psf', 'specprofile', 'speckernel', 'pastasoss'] },
  background: { className: 'BackgroundStep', referenceTypes: ['bkg', 'wavelengthrange'] },
  pixel_replace: { className: 'PixelReplaceStep', referenceTypes: [], skipByDefault: true },
  resample_spec: { className: 'ResampleSpecStep', referenceTypes: [] },
  outlier_detection: { className: 'OutlierDetectionStep', referenceTypes: [] },
  white_light: { className: 'WhiteLightStep', referenceTypes: ['wavelengthrange'] },
  tso_photometry: { className: 'TSOPhotometryStep', referenceTypes: ['gain'] },
};

/** The aliases implemented outside this folder's declared-only set. */
export const OTHER_ALIASES: readonly string[] = Object.keys(STUBS);

function placeholder(alias: string, s: Stub): StepDefinition {
  return defineStep({
    name: alias,
    className: s.className,
    spec: {},
    referenceTypes: s.referenceTypes,
    skipByDefault: s.skipByDefault,
    summary: `${s.className} (module core/steps/${alias} not registered yet)`,
    declaredOnly: true,
    run: async () => {
      throw new StepError('not-implemented', `${s.className} is not available: core/steps/${alias}/index.node.ts is not registered in core/steps/registry.node.ts yet`);
    },
  });
}

/** Stand-in definitions by alias. */
export const PLACEHOLDERS: Readonly<Record<string, StepDefinition>> = Object.fromEntries(
  Object.entries(STUBS).map(([alias, s]) => [alias, placeholder(alias, s)]),
);
