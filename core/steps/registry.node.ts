/**
 * Every step WebbDesk knows, by jwst alias: the ones implemented and the
 * declared-only ones (jwst 3.0 parameters and reference types, a run that
 * fails with StepError 'not-implemented'). Pipelines, strun and the UI look
 * steps up here. Aliases whose module is not imported yet fall back to the
 * stand-ins of placeholders.ts.
 */
import type { StepDefinition, StepProduct } from '../stpipe/index.ts';
import { PLACEHOLDERS } from './placeholders.ts';
import { step as assign_wcs } from './assign_wcs/index.node.ts';
import { step as dark_current } from './dark_current/index.node.ts';
import { step as dq_init } from './dq_init/index.node.ts';
import { step as emicorr } from './emicorr/index.node.ts';
import { step as extract_1d } from './extract_1d/index.node.ts';
import { step as firstframe } from './firstframe/index.node.ts';
import { step as gain_scale } from './gain_scale/index.node.ts';
import { step as group_scale } from './group_scale/index.node.ts';
import { step as ipc } from './ipc/index.node.ts';
import { step as jump } from './jump/index.node.ts';
import { step as lastframe } from './lastframe/index.node.ts';
import { step as linearity } from './linearity/index.node.ts';
import { step as outlier_detection } from './outlier_detection/index.node.ts';
import { step as ramp_fit } from './ramp_fit/index.node.ts';
import { step as refpix } from './refpix/index.node.ts';
import { step as reset } from './reset/index.node.ts';
import { step as rscd } from './rscd/index.node.ts';
import { step as saturation } from './saturation/index.node.ts';
import { step as white_light } from './white_light/index.node.ts';
import { step as srctype } from './srctype/index.node.ts';
import { step as background } from './background/index.node.ts';
import { step as pixel_replace } from './pixel_replace/index.node.ts';
import { step as resample_spec } from './resample_spec/index.node.ts';
import { step as tso_photometry } from './tso_photometry/index.node.ts';
import { step as flat_field } from './flat_field/index.node.ts';
import { step as photom } from './photom/index.node.ts';
import { step as adaptive_trace_model } from './adaptive_trace_model/index.node.ts';
import { step as assign_mtwcs } from './assign_mtwcs/index.node.ts';
import { step as badpix_selfcal } from './badpix_selfcal/index.node.ts';
import { step as barshadow } from './barshadow/index.node.ts';
import { step as charge_migration } from './charge_migration/index.node.ts';
import { step as clean_flicker_noise } from './clean_flicker_noise/index.node.ts';
import { step as combine_1d } from './combine_1d/index.node.ts';
import { step as cube_build } from './cube_build/index.node.ts';
import { step as extract_2d } from './extract_2d/index.node.ts';
import { step as fringe } from './fringe/index.node.ts';
import { step as imprint } from './imprint/index.node.ts';
import { step as master_background } from './master_background/index.node.ts';
import { step as master_background_mos } from './master_background_mos/index.node.ts';
import { step as msa_flagging } from './msa_flagging/index.node.ts';
import { step as pathloss } from './pathloss/index.node.ts';
import { step as persistence } from './persistence/index.node.ts';
import { step as picture_frame } from './picture_frame/index.node.ts';
import { step as residual_fringe } from './residual_fringe/index.node.ts';
import { step as spectral_leak } from './spectral_leak/index.node.ts';
import { step as straylight } from './straylight/index.node.ts';
import { step as superbias } from './superbias/index.node.ts';
import { step as targ_centroid } from './targ_centroid/index.node.ts';
import { step as wavecorr } from './wavecorr/index.node.ts';
import { step as wfss_contam } from './wfss_contam/index.node.ts';

/** Any step definition (steps narrow their input type; the registry hands them any StepInput). */
type AnyStep = StepDefinition<never, StepProduct>;

const REGISTERED: readonly AnyStep[] = [
  // implemented in their own modules
  assign_wcs,
  dark_current,
  dq_init,
  emicorr,
  extract_1d,
  firstframe,
  gain_scale,
  group_scale,
  ipc,
  jump,
  lastframe,
  linearity,
  outlier_detection,
  ramp_fit,
  refpix,
  reset,
  rscd,
  saturation,
  white_light,
  srctype,
  background,
  pixel_replace,
  resample_spec,
  tso_photometry,
  flat_field,
  photom,
  // declared-only (this folder's declarations of jwst 3.0 steps)
  adaptive_trace_model,
  assign_mtwcs,
  badpix_selfcal,
  barshadow,
  charge_migration,
  clean_flicker_noise,
  combine_1d,
  cube_build,
  extract_2d,
  fringe,
  imprint,
  master_background,
  master_background_mos,
  msa_flagging,
  pathloss,
  persistence,
  picture_frame,
  residual_fringe,
  spectral_leak,
  straylight,
  superbias,
  targ_centroid,
  wavecorr,
  wfss_contam,
];

/**
 * Registry keys that differ from the step's own name: the folder is
 * `background` (as the jwst package), the step's jwst class_alias is
 * `bkg_subtract` (its name inside Spec2Pipeline).
 */
export const REGISTRY_KEY: Readonly<Record<string, string>> = { bkg_subtract: 'background' };

/** Step definitions by registry key (the jwst alias, or the folder name of REGISTRY_KEY). */
export const STEPS: Readonly<Record<string, StepDefinition>> = Object.freeze({
  ...PLACEHOLDERS,
  ...Object.fromEntries(REGISTERED.map((s) => [REGISTRY_KEY[s.name] ?? s.name, s as unknown as StepDefinition])),
});

/** Aliases still served by a placeholder (their module is not imported above). */
export function placeholderAliases(): string[] {
  return Object.keys(STEPS).filter((a) => STEPS[a] === PLACEHOLDERS[a]);
}

/** A step by alias or jwst class name, or undefined. */
export function findStep(nameOrClass: string): StepDefinition | undefined {
  return STEPS[nameOrClass] ?? Object.values(STEPS).find((s) => s.className === nameOrClass || s.name === nameOrClass);
}
