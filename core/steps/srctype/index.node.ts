/**
 * SourceTypeStep (jwst 3.0 srctype): set SRCTYPE (meta.target.source_type) to
 * POINT, EXTENDED or UNKNOWN for single-target exposures (srctype.ts). Multi-
 * source modes (NIRSpec MOS stellarity, NIRSpec fixed-slit secondary slits)
 * are not implemented; WFSS gets UNKNOWN as documented.
 */
import { getMeta, setMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { cloneModel, defineStep, param, type JwstModel } from '../../stpipe/index.ts';
import { decideSourceType } from './srctype.ts';

const str = (m: JwstModel, p: string): string | undefined => {
  const v = getMeta(m.meta, p);
  return typeof v === 'string' ? v : undefined;
};

function notImplemented(m: JwstModel): string | undefined {
  const et = str(m, 'exposure.type') ?? '';
  if (et === 'NRS_MSASPEC') return 'srctype for NRS_MSASPEC (per-source stellarity from the MSA metadata) is not implemented';
  if (et === 'NRS_FIXEDSLIT' && (m.parts?.length ?? 0) > 1) return 'srctype for multi-slit NRS_FIXEDSLIT products is not implemented';
  return undefined;
}

export const step = defineStep<JwstModel, JwstModel>({
  name: 'srctype',
  className: 'SourceTypeStep',
  spec: {
    source_type: param.option(['POINT', 'EXTENDED', null], null, 'Source type: POINT or EXTENDED to override the default (single-target modes only)'),
  },
  referenceTypes: [],
  summary: 'Decide whether the source is a point or extended (SRCTYPE)',
  supports: notImplemented,
  async run(input, ctx) {
    const msg = notImplemented(input);
    if (msg) throw new StepError('not-implemented', msg);
    const et = str(input, 'exposure.type') ?? '';
    ctx.log.info(`Input EXP_TYPE is ${et}`);
    const out = cloneModel(input);
    if (et === 'NIS_WFSS' || et === 'NRC_WFSS') {
      setMeta(out.meta, 'target.source_type', 'UNKNOWN');
      return out;
    }
    const apt = str(input, 'target.source_type_apt');
    if (apt !== undefined) ctx.log.info(`Input SRCTYAPT = ${apt}`);
    const { type, reason } = decideSourceType({
      expType: et, apt,
      bkgdtarg: getMeta(input.meta, 'observation.bkgdtarg') === true,
      tsovisit: getMeta(input.meta, 'visit.tsovisit') === true,
      patttype: str(input, 'dither.primary_type'),
      dithopfr: str(input, 'dither.optimized_for'),
      user: (ctx.params['source_type'] as string | null) ?? null,
    });
    ctx.log.info(reason);
    setMeta(out.meta, 'target.source_type', type);
    return out;
  },
});
