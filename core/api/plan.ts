/** Which pipeline a file goes to, from its stage and EXP_TYPE (jwst docs, "Pipeline stages"). */

const SPEC_TYPES = /^(MIR_LRS|MIR_MRS|NRS_|NIS_SOSS|NIS_WFSS|NRC_WFSS|NRC_TSGRISM|NIS_SOSS)/;

/** calwebb_* alias for a file of `stage` (uncal, rate, rateints, calints, ...). */
export function choosePipeline(stage: string, expType: string | null, tso: boolean): string {
  const spec = !!expType && SPEC_TYPES.test(expType);
  switch (stage) {
    case 'uncal':
      return 'calwebb_detector1';
    case 'rate':
    case 'rateints':
      return spec ? 'calwebb_spec2' : 'calwebb_image2';
    case 'cal':
    case 'calints':
    case 'x1dints':
      return tso ? 'calwebb_tso3' : spec ? 'calwebb_spec3' : 'calwebb_image3';
    default:
      return 'calwebb_detector1';
  }
}
