/**
 * EmiCorrStep: declared with jwst 3.0's parameters and reference type. The
 * EMI fit/subtraction itself is not implemented: run() skips exactly where
 * jwst skips (non-MIRI, unsupported read pattern, no EMICORR reference and no
 * on-the-fly frequencies) and otherwise fails with 'not-implemented'.
 * jwst's spec sets skip = True by default (skipByDefault).
 */
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { referencePathOrNA } from '../reffiles/index.node.ts';
import { metaStr, skippedOutput } from '../reffiles/ramp.ts';

const READPATTS = ['FAST', 'FASTR1', 'SLOW', 'SLOWR1'];

export const step = defineStep<JwstModel, JwstModel>({
  name: 'emicorr',
  className: 'EmiCorrStep',
  spec: {
    algorithm: param.option(['sequential', 'joint'], 'joint', 'EMI fitting algorithm'),
    nints_to_phase: param.int(null, 'Number of integrations to phase'),
    nbins: param.int(null, 'Number of bins in one phased wave'),
    scale_reference: param.bool(true, "If True, the reference wavelength will be scaled to the data's phase amplitude"),
    onthefly_corr_freq: param.floatList(null, 'Frequencies to use for correction'),
    use_n_cycles: param.int(3, 'Use N cycles to calculate the phase, to use all integrations set to None'),
    fit_ints_separately: param.bool(false, "If True and algorithm is 'joint', each integration is separately fit."),
    user_supplied_reffile: param.string(null, "Deprecated; use 'override_emicorr' instead"),
    save_intermediate_results: param.bool(false, 'If True and a reference file is created on the fly, save it to disk'),
  },
  referenceTypes: ['emicorr'],
  skipByDefault: true,
  summary: 'MIRI: remove electromagnetic-interference noise (declared; the correction is not implemented)',
  async run(input, ctx) {
    const inst = metaStr(input, 'instrument.name');
    if (inst !== 'MIRI') {
      ctx.log.warning(`EMI correction not implemented for instrument: ${inst}`);
      return skippedOutput(input, 'emicorr');
    }
    const rp = metaStr(input, 'exposure.readpatt');
    if (!READPATTS.includes(rp)) {
      ctx.log.warning(`EMI correction not implemented for read pattern: ${rp}`);
      return skippedOutput(input, 'emicorr');
    }
    if (ctx.params['onthefly_corr_freq'] == null && ctx.params['user_supplied_reffile'] == null) {
      const path = await referencePathOrNA(ctx, 'emicorr');
      if (path === undefined) {
        ctx.log.warning('No reference file found.');
        ctx.log.warning('EMICORR step will be skipped');
        return skippedOutput(input, 'emicorr');
      }
    }
    throw new StepError('not-implemented', 'emicorr: the EMI correction algorithm (phase-binned amplitude fit and subtraction) is not implemented in WebbDesk; skip the step (it is skipped by default in calwebb_detector1)');
  },
});
