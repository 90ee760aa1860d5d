/**
 * PathLossStep (pathloss): declared from jwst 3.0, not implemented yet.
 * Source: jwst/pathloss/pathloss_step.py.
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'pathloss',
  className: 'PathLossStep',
  summary: 'Correct slit losses for point and extended sources',
  usedFor: 'NIRSpec FS/MOS/IFU, MIRI LRS fixed slit and NIRISS SOSS in calwebb_spec2',
  referenceTypes: ['pathloss'],
  spec: {
    inverse: param.bool(false, 'Invert the operation'),
    source_type: param.string(null, 'Process as specified source type'),
    user_slit_loc: param.float(null, 'User-provided correction to MIRI LRS source location'),
  },
});
