/**
 * `webbdesk simulate miri-ramp|miri-lrs-tso|miri-lrs-fs [options]`: simulated MIRI
 * exposures with their truth and a matching CRDS reference set installed
 * under a local context (core/simulate).
 */
import path from 'node:path';
import type { Command } from './main.ts';

const USAGE = `usage:
  webbdesk simulate miri-ramp [--out DIR] [--subarray FULL|BRIGHTSKY|SUB256|SUB128|SUB64|SLITLESSPRISM|MASK1065|MASK1140|MASK1550|MASKLYOT]
                              [--nints N] [--ngroups N] [--readpatt FASTR1|SLOWR1] [--seed S] [--jumps RATE]
                              [--exp-type MIR_IMAGE] [--filter F770W] [--start ISO-UTC] [--crds-path DIR]
  webbdesk simulate miri-lrs-tso [--out DIR] [--nints 200] [--ngroups 10] [--teff 5500] [--kmag 9]
                              [--depth 0.01 | --rp-rs 0.1] [--t-mid MJD] [--t14 DAYS] [--b 0] [--u1 0.1] [--u2 0.1]
                              [--seed S] [--jumps RATE] [--ra DEG] [--dec DEG] [--start ISO-UTC] [--crds-path DIR]
  webbdesk simulate miri-lrs-fs [--out DIR] [--nod-offset 1.1] [--teff 5500] [--kmag 9] [--seed S]
                              [--nints 2] [--ngroups 20] [--ra DEG] [--dec DEG] [--start ISO-UTC] [--crds-path DIR]
      two nodded MIR_LRS-FIXEDSLIT _rate files (star at -/+ nod-offset arcsec along the slit),
      for calwebb_spec2 with one as science and the other as background in an association.

Writes the uncal, truth.json and truth.fits in DIR (default ./webbdesk-sim), and the reference
files into DIR/crds_cache (or --crds-path) under the local context jwst_webbdesk_0001.pmap.
--jumps is the cosmic-ray rate per pixel per second (default 3e-5). Run the pipeline on it with
  CRDS_PATH=DIR/crds_cache CRDS_CONTEXT=jwst_webbdesk_0001.pmap CRDS_MODE=local webbdesk strun calwebb_detector1 <uncal>
`;

type Opts = Map<string, string>;

/** Parse `--x value` and `--x=value` (flags without a value get 'true'). */
export function parseOptions(argv: readonly string[]): { positional: string[]; opts: Opts } {
  const opts: Opts = new Map(), positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    if (eq > 0) opts.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) opts.set(a.slice(2), argv[++i]!);
    else opts.set(a.slice(2), 'true');
  }
  return { positional, opts };
}

function num(opts: Opts, key: string): number | undefined {
  const v = opts.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RangeError(`--${key} needs a number, got '${v}'`);
  return n;
}

function checkKnown(opts: Opts, known: readonly string[]): void {
  for (const k of opts.keys()) if (!known.includes(k)) throw new RangeError(`unknown option --${k}`);
}

const COMMON = ['out', 'seed', 'jumps', 'nints', 'ngroups', 'start', 'crds-path', 'help'];

export const simulateCommand: Command = async (argv, io) => {
  const { positional, opts } = parseOptions(argv);
  const kind = positional[0];
  if (!kind || opts.has('help') || kind === 'help') {
    io.stdout(USAGE);
    return kind ? 0 : 2;
  }
  const progress = (done: number, total: number) => {
    if (done === total || done % Math.max(1, Math.round(total / 10)) === 0) io.stderr(`  integration ${done}/${total}\n`);
  };
  try {
    const out = path.resolve(opts.get('out') ?? 'webbdesk-sim');
    const crdsPath = opts.has('crds-path') ? path.resolve(opts.get('crds-path')!) : undefined;
    const common = { out, crdsPath, seed: num(opts, 'seed'), jumps: num(opts, 'jumps'), nints: num(opts, 'nints'), ngroups: num(opts, 'ngroups'), start: opts.get('start'), onProgress: progress };
    let r;
    if (kind === 'miri-ramp') {
      checkKnown(opts, [...COMMON, 'subarray', 'readpatt', 'exp-type', 'filter']);
      const readpatt = (opts.get('readpatt') ?? 'FASTR1').toUpperCase();
      if (readpatt !== 'FASTR1' && readpatt !== 'SLOWR1') throw new RangeError(`--readpatt must be FASTR1 or SLOWR1, got '${readpatt}'`);
      const { simulateMiriRamp } = await import('../simulate/miri-ramp.node.ts');
      r = await simulateMiriRamp({ ...common, subarray: opts.get('subarray'), readpatt, expType: opts.get('exp-type'), filter: opts.get('filter') });
    } else if (kind === 'miri-lrs-tso') {
      checkKnown(opts, [...COMMON, 'teff', 'kmag', 'depth', 'rp-rs', 't-mid', 't14', 'b', 'u1', 'u2', 'ra', 'dec']);
      const { simulateLrsTso } = await import('../simulate/lrs-tso.node.ts');
      r = await simulateLrsTso({
        ...common, teff: num(opts, 'teff'), kmag: num(opts, 'kmag'), depth: num(opts, 'depth'), rpRs: num(opts, 'rp-rs'), tMid: num(opts, 't-mid'),
        t14: num(opts, 't14'), b: num(opts, 'b'), u1: num(opts, 'u1'), u2: num(opts, 'u2'), ra: num(opts, 'ra'), dec: num(opts, 'dec'),
      });
    } else if (kind === 'miri-lrs-fs') {
      checkKnown(opts, [...COMMON, 'nod-offset', 'teff', 'kmag', 'ra', 'dec']);
      const { simulateLrsFs } = await import('../simulate/lrs-fs.node.ts');
      const f = await simulateLrsFs({ ...common, nodOffset: num(opts, 'nod-offset'), teff: num(opts, 'teff'), kmag: num(opts, 'kmag'), ra: num(opts, 'ra'), dec: num(opts, 'dec') });
      io.stdout([`rate (nod A): ${f.rates[0]}`, `rate (nod B): ${f.rates[1]}`, `truth:      ${f.truthJson}`, `CRDS cache: ${f.crdsPath}`,
        `context:    ${f.context} (${f.mappings.length} mappings)`, ...f.references.map((p) => `reference:  ${p}`),
        `run:        asn_from_list nod A as science, nod B as background; CRDS_PATH=${f.crdsPath} CRDS_CONTEXT=${f.context} CRDS_MODE=local webbdesk strun calwebb_spec2 <asn>`, ''].join('\n'));
      return 0;
    } else {
      io.stderr(`webbdesk simulate: unknown simulation '${kind}'\n${USAGE}`);
      return 2;
    }
    io.stdout([
      `uncal:      ${r.uncal}`, `truth:      ${r.truthJson}`, `            ${r.truthFits}`, `jumps:      ${r.jumps.length} injected (listed in truth.json)`,
      `CRDS cache: ${r.crdsPath}`, `context:    ${r.context} (${r.mappings.length} mappings)`,
      ...r.references.map((p) => `reference:  ${p}`),
      `run:        CRDS_PATH=${r.crdsPath} CRDS_CONTEXT=${r.context} CRDS_MODE=local webbdesk strun calwebb_detector1 ${r.uncal}`, '',
    ].join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof RangeError) {
      io.stderr(`webbdesk simulate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};
