/**
 * JumpStep (jwst 3.0 `jump`): flags cosmic-ray jumps in GROUPDQ with the
 * two-point difference method (twopoint.ts), or by sigma clipping across
 * integrations (sigclip.ts) when there are at least minimum_sigclip_groups
 * integrations (only_use_ints) or usable groups. Parameters and reference
 * types are those of jwst/jump/jump_step.py; snowball expansion
 * (expand_large_events) and MIRI shower flagging (find_showers), both off by
 * default, are not implemented and fail with StepError 'not-implemented'.
 */
import { StepError } from '../../errors/index.ts';
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { ndarray } from '../../ndarray/index.ts';
import { cloneModel, defineStep, param, type JwstModel, type StepContext } from '../../stpipe/index.ts';
import { readRampRefs, rampArrays } from '../ramp_fit/inputs.node.ts';
import { runJump, type JumpParams } from './run.ts';

const spec = {
  rejection_threshold: param.float(4.0, 'CR sigma rejection threshold', { min: 0 }),
  three_group_rejection_threshold: param.float(6.0, 'CR sigma rejection threshold', { min: 0 }),
  four_group_rejection_threshold: param.float(5.0, 'CR sigma rejection threshold', { min: 0 }),
  maximum_cores: param.string('1', "cores for multiprocessing. Can be an integer, 'half', 'quarter', or 'all'"),
  flag_4_neighbors: param.bool(true, 'flag the four perpendicular neighbors of each CR'),
  max_jump_to_flag_neighbors: param.float(1000, 'maximum jump sigma that will trigger neighbor flagging'),
  min_jump_to_flag_neighbors: param.float(10, 'minimum jump sigma that will trigger neighbor flagging'),
  after_jump_flag_dn1: param.float(0, '1st flag groups after jump above DN threshold'),
  after_jump_flag_time1: param.float(0, '1st flag groups after jump groups within specified time'),
  after_jump_flag_dn2: param.float(0, '2nd flag groups after jump above DN threshold'),
  after_jump_flag_time2: param.float(0, '2nd flag groups after jump groups within specified time'),
  expand_large_events: param.bool(false, 'Turns on Snowball detector for NIR detectors'),
  min_sat_area: param.float(1.0, 'minimum required area for the central saturation of snowballs'),
  min_jump_area: param.float(5.0, 'minimum area to trigger large events processing'),
  expand_factor: param.float(2.0, 'The expansion factor for the enclosing circles or ellipses'),
  use_ellipses: param.bool(false, 'deprecated'),
  sat_required_snowball: param.bool(true, 'Require the center of snowballs to be saturated'),
  min_sat_radius_extend: param.float(2.5, 'The min radius of the sat core to trigger the extension of the core'),
  sat_expand: param.int(2, 'Number of pixels to add to the radius of the saturated core of snowballs'),
  edge_size: param.int(25, 'Distance from detector edge where a saturated core is not required for snowball detection'),
  mask_snowball_core_next_int: param.bool(true, 'Flag saturated cores of snowballs in the next integration?'),
  snowball_time_masked_next_int: param.int(4000, 'Time in seconds over which saturated cores are flagged in next integration'),
  find_showers: param.bool(false, 'Apply MIRI shower flagging?'),
  max_shower_amplitude: param.float(4, 'Maximum MIRI shower amplitude in DN/s'),
  extend_snr_threshold: param.float(1.2, 'The SNR minimum for detection of extended showers in MIRI'),
  extend_min_area: param.int(90, 'Min area of emission after convolution for the detection of showers'),
  extend_inner_radius: param.float(1, 'Inner radius of the ring_2D_kernel used for convolution'),
  extend_outer_radius: param.float(2.6, 'Outer radius of the ring_2D_Kernel used for convolution'),
  extend_ellipse_expand_ratio: param.float(1.1, 'Expand the radius of the ellipse fit to the extended emission'),
  time_masked_after_shower: param.float(15, 'Seconds to flag as jump after a detected extended emission'),
  min_diffs_single_pass: param.int(10, 'The minimum number of differences needed to skip the iterative flagging of jumps.'),
  max_extended_radius: param.int(200, 'The maximum radius of an extended snowball or shower'),
  minimum_groups: param.int(3, 'The minimum number of groups to perform jump detection using sigma clipping'),
  minimum_sigclip_groups: param.int(100, 'The minimum number of groups to switch to sigma clipping'),
  only_use_ints: param.bool(true, 'In sigclip only compare the same group across ints, if False compare all groups'),
};

function jumpParams(p: Readonly<Record<string, unknown>>): JumpParams {
  for (const k of ['expand_large_events', 'find_showers'] as const) {
    if (p[k] === true) throw new StepError('not-implemented', `jump: ${k}=True (snowball/shower flagging) is not implemented in WebbDesk`, { parameter: k });
  }
  const n = (k: string): number => Number(p[k]);
  return {
    rejection_threshold: n('rejection_threshold'), three_group_rejection_threshold: n('three_group_rejection_threshold'),
    four_group_rejection_threshold: n('four_group_rejection_threshold'), flag_4_neighbors: p.flag_4_neighbors === true,
    max_jump_to_flag_neighbors: n('max_jump_to_flag_neighbors'), min_jump_to_flag_neighbors: n('min_jump_to_flag_neighbors'),
    after_jump_flag_dn1: n('after_jump_flag_dn1'), after_jump_flag_time1: n('after_jump_flag_time1'),
    after_jump_flag_dn2: n('after_jump_flag_dn2'), after_jump_flag_time2: n('after_jump_flag_time2'),
    minimum_groups: n('minimum_groups'), minimum_sigclip_groups: n('minimum_sigclip_groups'),
    only_use_ints: p.only_use_ints === true, min_diffs_single_pass: n('min_diffs_single_pass'),
  };
}

/** Detect jumps in a RampModel; returns a new model (input untouched). */
export async function runJumpStep(input: JwstModel, ctx: StepContext): Promise<JwstModel> {
  const prm = jumpParams(ctx.params);
  const ramp = rampArrays(input, 'jump');
  const [nints, ngroups, ny, nx] = ramp.shape;
  if (ngroups <= 2) {
    ctx.log.warning('Cannot apply jump detection when NGROUPS<=2; Jump step will be skipped');
    return cloneModel(input);
  }
  ctx.log.info(`CR rejection threshold = ${prm.rejection_threshold} sigma`);
  const refs = await readRampRefs(input, ctx);
  const groupTime = Number(getMeta(input.meta, 'meta.exposure.group_time'));
  const nframes = Number(getMeta(input.meta, 'meta.exposure.nframes') ?? 1);
  ctx.log.info('Executing two-point difference method (sigma clipping across integrations when there are enough)');
  const res = await runJump({ ...ramp, ...refs, groupTime, nframes }, prm, {
    pool: ctx.pool, signal: ctx.signal, progress: (d, t) => ctx.progress(d, t, 'row blocks'),
  });
  if (res.skipped) ctx.log.info(`Jump Step was skipped: ${res.skipped}`);
  const out = cloneModel(input);
  out.arrays.groupdq = ndarray(res.groupdq, [nints, ngroups, ny, nx]);
  out.arrays.pixeldq = ndarray(res.pixeldq, [ny, nx]);
  // jwst: primary cosmic rays per thousand pixels per second over the usable groups.
  const usable = nints * ngroups - ramp.allDnuGroups - nints;
  if (usable >= 1) {
    const t = groupTime * usable;
    setMeta(out.meta, 'meta.exposure.primary_cosmic_rays', (1000 * res.primaryJumps) / (t * ny * nx));
    setMeta(out.meta, 'meta.exposure.extended_emission_events', 0);
  }
  ctx.log.info(`${res.primaryJumps} primary jumps (${res.mode})`);
  return out;
}

export const step = defineStep<JwstModel, JwstModel>({
  name: 'jump',
  className: 'JumpStep',
  spec,
  referenceTypes: ['gain', 'readnoise'],
  summary: 'Flag cosmic-ray jumps in GROUPDQ (two-point difference method)',
  supports: (m) => (m.type === 'RampModel' ? undefined : `jump needs a RampModel, not a ${m.type}`),
  run: runJumpStep,
});
