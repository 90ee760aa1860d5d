/**
 * EmiCorrStep: remove MIRI electromagnetic-interference noise from ramps
 * (jwst docs, emicorr). Skips where jwst skips (non-MIRI, read pattern not
 * FAST/FASTR1/SLOW/SLOWR1, EMICORR N/A without on-the-fly frequencies, fewer
 * than 3 groups, no case for the subarray/readpatt/detector). The kernel is
 * in emicorr.ts (joint.ts, sequential.ts). jwst's spec sets skip = True by
 * default (skipByDefault).
 */
import path from 'node:path';
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import type { StepContext } from '../../stpipe/types.ts';
import { outputName } from '../../stpipe/naming.ts';
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { readAsdfFile, writeAsdfFile } from '../../asdf/index.node.ts';
import { referencePathOrNA } from '../reffiles/index.node.ts';
import { metaNum, metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { applyEmiCorrection, planCorrection, readoutFor, type EmiExposure, type EmiParams } from './emicorr.ts';
import { emiReferenceTree, parseEmiReference, type EmiReference } from './reference.ts';

const READPATTS = ['FAST', 'FASTR1', 'SLOW', 'SLOWR1'];

/** Read an EMICORR reference (ASDF, EmiModel layout). */
export async function readEmiReference(file: string): Promise<EmiReference> {
  const f = await readAsdfFile(file);
  return parseEmiReference(f.tree, f.blocks, file);
}

function emiParams(ctx: StepContext): EmiParams {
  const p = ctx.params;
  const alg = p['algorithm'];
  if (alg !== 'joint' && alg !== 'sequential') throw new StepError('bad-parameter', `emicorr: algorithm must be 'sequential' or 'joint', got ${String(alg)}`, { parameter: 'algorithm' });
  const int = (k: string): number | null => (p[k] == null ? null : Number(p[k]));
  const freqs = p['onthefly_corr_freq'];
  return {
    algorithm: alg,
    nintsToPhase: int('nints_to_phase'),
    nbins: int('nbins'),
    scaleReference: p['scale_reference'] !== false,
    ontheflyCorrFreq: Array.isArray(freqs) ? freqs.map(Number) : null,
    useNCycles: int('use_n_cycles'),
    fitIntsSeparately: p['fit_ints_separately'] === true,
  };
}

function exposureOf(input: JwstModel, ctx: StepContext, nx: number): EmiExposure {
  const readpatt = metaStr(input, 'exposure.readpatt');
  let nsamples = metaNum(input, 'exposure.nsamples', NaN);
  if (!Number.isFinite(nsamples)) {
    nsamples = readpatt.startsWith('SLOW') ? 9 : 1;
    ctx.log.warning(`NSAMPLES missing; using ${nsamples} sample(s) per pixel for ${readpatt}`);
  }
  return {
    subarray: metaStr(input, 'subarray.name'), readpatt, detector: metaStr(input, 'instrument.detector'), nsamples,
    xstart: metaNum(input, 'subarray.xstart', 1), xsize: metaNum(input, 'subarray.xsize', nx),
  };
}

/** The EMICORR reference to use, 'skip' when jwst skips, or undefined for on-the-fly frequencies. */
async function chooseReference(ctx: StepContext, p: EmiParams): Promise<EmiReference | 'skip' | undefined> {
  if (p.ontheflyCorrFreq != null) {
    ctx.log.info('Correcting with reference file created on-the-fly.');
    return undefined;
  }
  const user = ctx.params['user_supplied_reffile'];
  if (typeof user === 'string' && user !== '') {
    ctx.log.info(`Using user-supplied reference file: ${user}`);
    return readEmiReference(user);
  }
  const file = await referencePathOrNA(ctx, 'emicorr');
  if (file === undefined) {
    ctx.log.warning('No reference file found.');
    ctx.log.warning('EMICORR step will be skipped');
    return 'skip';
  }
  ctx.log.info(`Using CRDS reference file: ${file}`);
  return readEmiReference(file);
}

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
  summary: 'MIRI: remove electromagnetic-interference (EMI) noise fitted at the known frequencies from the ramps',
  supports(input) {
    const nx = input.arrays['data']?.shape.at(-1) ?? 0;
    if (metaStr(input, 'instrument.name') === 'MIRI' && nx % 4 !== 0) return `emicorr: ${nx} columns is not a multiple of the 4 MIRI output channels; not implemented`;
    return undefined;
  },
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
    const p = emiParams(ctx);
    const ref = await chooseReference(ctx, p);
    if (ref === 'skip') return skippedOutput(input, 'emicorr');
    const r = rampOf(input, 'emicorr');
    const exp = exposureOf(input, ctx, r.nx);
    const planned = planCorrection(ref, exp, r.ngroups, p);
    if ('skip' in planned) {
      ctx.log.warning(planned.skip);
      ctx.log.warning('Step skipped');
      return skippedOutput(input, 'emicorr');
    }
    const plan = planned.plan;
    for (const n of plan.notes) ctx.log.warning(n);
    ctx.log.info(`With configuration: Subarray=${exp.subarray}, Read_pattern=${exp.readpatt}, Detector=${exp.detector}`);
    ctx.log.info(`Will correct data for the following ${plan.freqs.length} frequencies: ${plan.freqs.map((f) => f.name).join(', ')}`);
    ctx.log.info(`Running EMI fit with algorithm = '${plan.algorithm}'.`);
    const data = new Float32Array(r.data);
    const readout = readoutFor(plan, exp, [r.nints, r.ngroups, r.ny, r.nx]);
    const reports = applyEmiCorrection(data, r.pixeldq, readout, plan, p, (done, total) => {
      ctx.signal.throwIfAborted();
      ctx.progress(done, total, 'frequencies');
    });
    for (const rep of reports) {
      if (rep.amplitudes) ctx.log.info(`${rep.name} (${rep.frequency} Hz): fitted amplitude ${Array.from(rep.amplitudes, (a) => a.toPrecision(4)).join(', ')} DN`);
    }
    if (ctx.params['save_intermediate_results'] === true && ref === undefined && plan.algorithm === 'sequential') {
      await saveOnTheFly(input, ctx, exp, plan.rowclocks, plan.frameclocks, reports);
    }
    return rampOutput(input, r, { data });
  },
});

async function saveOnTheFly(input: JwstModel, ctx: StepContext, exp: EmiExposure, rowclocks: number, frameclocks: number, reports: ReturnType<typeof applyEmiCorrection>): Promise<void> {
  const base = input.source ?? String(getMeta(input.meta, 'filename') ?? 'emicorr');
  const file = path.join(ctx.outputDir, outputName({ base, suffix: 'emi_ref_waves', ext: '.asdf', extraSuffixes: ['emicorr', 'emicorrstep'] }));
  const freqs = reports.map((rep) => ({ name: rep.name, frequency: rep.frequency, pa: rep.pa ?? new Float64Array(0) }));
  const tree = emiReferenceTree(freqs, { ...exp, rowclocks, frameclocks, useafter: new Date().toISOString().slice(0, 19) });
  ctx.log.info(`Writing on-the-fly reference file to: ${file}`);
  await writeAsdfFile(file, tree);
}
