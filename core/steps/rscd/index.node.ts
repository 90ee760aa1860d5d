/** RscdStep: MIRI reset-switch-charge-decay flagging of initial groups from the RSCD reference. */
import { defineStep } from '../../stpipe/types.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { setMeta } from '../../datamodels/meta.ts';
import { DQ } from '../../datamodels/dq.ts';
import type { FitsTable } from '../../fits/index.ts';
import { readRefFile, referencePathOrNA } from '../reffiles/index.node.ts';
import { metaNum, metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { applySkip, capSkip, skipCounts, type RscdSkip } from './rscd.ts';

/** The (group_skip1, group_skip) of the RSCD_GROUP_SKIP row matching subarray and readpatt. */
export function lookupSkip(t: FitsTable, subarray: string, readpatt: string, file: string): RscdSkip | undefined {
  const col = (n: string) => {
    const c = t.columns.find((x) => x.name.toLowerCase() === n);
    if (!c) throw new StepError('ref-table', `RSCD_GROUP_SKIP lacks column ${n}`, { file, extname: 'RSCD_GROUP_SKIP' });
    return c.data as ArrayLike<unknown>;
  };
  const sub = col('subarray'), rp = col('readpatt'), s1 = col('group_skip1'), s = col('group_skip');
  const want = subarray === 'SUBPRISM' ? 'SLITLESSPRISM' : subarray;
  for (let i = 0; i < t.nrows; i++) {
    if (String(sub[i]).trim().toUpperCase() === want && String(rp[i]).trim().toUpperCase() === readpatt) {
      return { int1: Number(s1[i]), int2p: Number(s[i]) };
    }
  }
  return undefined;
}

export const step = defineStep<JwstModel, JwstModel>({
  name: 'rscd',
  className: 'RscdStep',
  spec: {},
  referenceTypes: ['rscd'],
  summary: 'MIRI: flag the RSCD-affected initial groups of each integration DO_NOT_USE',
  async run(input, ctx) {
    const path = await referencePathOrNA(ctx, 'rscd');
    if (path === undefined) {
      ctx.log.warning('No RSCD reference file found');
      ctx.log.warning('RSCD step will be skipped');
      return skippedOutput(input, 'rscd');
    }
    ctx.log.info(`Using RSCD reference file ${path}`);
    const ref = await readRefFile(path);
    const t = ref.tables['RSCD_GROUP_SKIP'];
    if (!t) throw new StepError('ref-missing-ext', 'RSCD reference has no RSCD_GROUP_SKIP table', { file: path, extname: 'RSCD_GROUP_SKIP' });
    const skip = lookupSkip(t, metaStr(input, 'subarray.name'), metaStr(input, 'exposure.readpatt'), path);
    if (!skip) {
      ctx.log.warning('READPATT, SUBARRAY combination not found in ref file: RSCD correction will be skipped');
      return skippedOutput(input, 'rscd');
    }
    const r = rampOf(input, 'rscd');
    if (r.ngroups < 3) {
      ctx.log.warning('Too few groups to apply RSCD correction');
      ctx.log.warning('RSCD step will be skipped');
      return skippedOutput(input, 'rscd');
    }
    ctx.log.info(`# groups from RSCD reference file for int 1 to flag: ${skip.int1}`);
    ctx.log.info(`# groups from RSCD reference file for int 2 and higher to flag: ${skip.int2p}`);
    const npix = r.ny * r.nx;
    const gdq = new Uint8Array(r.groupdq);
    const pdq = new Uint32Array(r.pixeldq);
    const out = rampOutput(input, r, { groupdq: gdq, pixeldq: pdq });
    const intStart = metaNum(input, 'exposure.integration_start', 1);
    const ranges: Array<{ key: 'int1' | 'int2p'; ints: number[]; n: number }> = [];
    if (intStart === 1) ranges.push({ key: 'int1', ints: [0], n: capSkip(skip.int1, r.ngroups) });
    const later = Array.from({ length: r.nints }, (_, i) => i).filter((i) => intStart !== 1 || i > 0);
    if (later.length && (r.nints > 1 || intStart !== 1)) ranges.push({ key: 'int2p', ints: later, n: capSkip(skip.int2p, r.ngroups) });
    for (const rg of ranges) {
      const { counts, lowered, fluxEstimated } = skipCounts(gdq, rg.ints, r.ngroups, npix, rg.n, true);
      ctx.log.info(`There are ${lowered} saturated pixels that require the number of rscd groups flagged to be lowered`);
      applySkip(gdq, rg.ints, r.ngroups, npix, counts);
      for (let p = 0; p < npix; p++) if (fluxEstimated[p]) pdq[p] = (pdq[p] | DQ.FLUX_ESTIMATED) >>> 0;
      ctx.log.info(`Number of usable bright pixels with rscd flag groups not set to DO_NOT_USE: ${lowered}`);
      setMeta(out.meta, `rscd.keep_bright_firstgroup_${rg.key}`, lowered);
      setMeta(out.meta, `rscd.ngroups_skip_${rg.key}`, rg.n);
    }
    return out;
  },
});
