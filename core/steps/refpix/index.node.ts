/**
 * RefPixStep. Implemented: MIRI subarrays, which jwst skips ("Refpix
 * correction skipped for MIRI subarrays"). The MIRI full-frame correction
 * and every NIR mode (including IRS2 and SIRS) fail with 'not-implemented'.
 */
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { metaNum, metaStr, skippedOutput } from '../reffiles/ramp.ts';

/** True for MIRI data smaller than the 1032x1024 full frame. */
export function isMiriSubarray(input: JwstModel): boolean {
  const miri = metaStr(input, 'instrument.name') === 'MIRI' || metaStr(input, 'instrument.detector').startsWith('MIR');
  if (!miri) return false;
  const sci = input.arrays['data'];
  const nx = metaNum(input, 'subarray.xsize', sci ? sci.shape[sci.shape.length - 1] : 1032);
  const ny = metaNum(input, 'subarray.ysize', sci ? sci.shape[sci.shape.length - 2] : 1024);
  return nx < 1032 || ny < 1024;
}

export const step = defineStep<JwstModel, JwstModel>({
  name: 'refpix',
  className: 'RefPixStep',
  spec: {
    odd_even_columns: param.bool(true, 'Compute reference signal separately for even/odd columns'),
    use_side_ref_pixels: param.bool(true, 'Use side reference pixels for reference signal for each row'),
    side_smoothing_length: param.int(11, 'Median window smoothing height for side reference signal'),
    side_gain: param.float(1.0, 'Multiplicative factor for side reference signal before subtracting from rows'),
    odd_even_rows: param.bool(true, 'Compute reference signal separately for even- and odd-numbered rows'),
    ovr_corr_mitigation_ftr: param.float(3.0, 'Factor to avoid overcorrection of bad reference pixels for IRS2'),
    preserve_irs2_refpix: param.bool(false, 'Preserve reference pixels in output'),
    irs2_mean_subtraction: param.bool(false, 'Apply a mean offset subtraction before IRS2 correction'),
    refpix_algorithm: param.option(['median', 'sirs'], 'median', 'NIR full-frame side pixel algorithm'),
    sigreject: param.float(4.0, 'Number of sigmas to reject as outliers'),
    gaussmooth: param.float(1.0, 'Width of Gaussian smoothing kernel to use as a low-pass filter'),
    halfwidth: param.int(30, 'Half-width of convolution kernel to build'),
    siglimit: param.float(3.0, 'Sigma clipping limit for the reference pixel statistics'),
  },
  referenceTypes: ['refpix', 'sirskernel'],
  summary: 'Correct bias drifts with the reference pixels (MIRI subarrays: skipped, as jwst does)',
  supports(input) {
    if (isMiriSubarray(input)) return undefined;
    return metaStr(input, 'instrument.name') === 'MIRI'
      ? 'refpix for MIRI full-frame data is not implemented'
      : 'refpix for NIR detectors (including IRS2 and SIRS) is not implemented';
  },
  async run(input, ctx) {
    if (isMiriSubarray(input)) {
      ctx.log.warning('Refpix correction skipped for MIRI subarrays');
      return skippedOutput(input, 'refpix');
    }
    throw new StepError('not-implemented', 'refpix: only MIRI subarrays (which are skipped) are supported; this exposure needs the full reference-pixel correction, not implemented');
  },
});
