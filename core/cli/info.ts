/**
 * `webbdesk info FILE...`: what a data file holds — model, HDUs, key meta,
 * cal_step statuses; --json for programs (see README for the options).
 */
import { describeFile, type DescribeOptions, type FileDescription } from '../datamodels/describe.node.ts';
import { getMeta, type Meta } from '../datamodels/meta.ts';
import { toJson } from './json.ts';
import type { Command } from './main.ts';

const HELP = `usage: webbdesk info [--json] [--header] [--stats] [--rows N] [--checksum] FILE...

Describe FITS and ASDF files: the datamodel type, every HDU (EXTNAME/EXTVER,
kind, shape slowest axis first, numpy dtype after scaling), key metadata and
cal_step statuses.
  --json       machine-readable output
  --header     all header cards of every HDU
  --stats      min/max/mean over finite values, NaN and infinity counts per image
  --rows N     table columns and the first N rows of every table
  --checksum   verify CHECKSUM/DATASUM of every HDU
Exit status 0 when every file opened, 1 otherwise.
`;

interface InfoArgs extends DescribeOptions { json: boolean; files: string[] }

function parseArgs(argv: readonly string[]): InfoArgs | string {
  const a: { json: boolean; files: string[]; header?: boolean; stats?: boolean; rows?: number; checksum?: boolean } = { json: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') a.json = true;
    else if (arg === '--header') a.header = true;
    else if (arg === '--stats') a.stats = true;
    else if (arg === '--checksum') a.checksum = true;
    else if (arg === '--rows' || arg.startsWith('--rows=')) {
      const v = arg.includes('=') ? arg.slice(7) : argv[++i];
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 0) return `--rows needs a whole number >= 0, got '${v ?? ''}'`;
      a.rows = n;
    } else if (arg === '--help' || arg === '-h') return 'help';
    else if (arg.startsWith('--')) return `unknown option '${arg}'`;
    else a.files.push(arg);
  }
  if (a.files.length === 0) return 'no FILE given';
  return a;
}

export const infoCommand: Command = async (argv, io) => {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout(HELP);
    return 0;
  }
  if (typeof args === 'string') {
    io.stderr(`webbdesk info: ${args}\n${HELP}`);
    return 2;
  }
  const out: FileDescription[] = [];
  for (const f of args.files) out.push(await describeFile(f, args));
  for (const d of out) if (d.error) io.stderr(`webbdesk info: ${d.error}\n`);
  if (args.json) io.stdout(toJson({ files: out }) + '\n');
  else for (const d of out) if (!d.error) io.stdout(formatText(d, args) + '\n');
  return out.some((d) => d.error) ? 1 : 0;
};

const KEY_META: Array<[string, string]> = [
  ['instrument', 'meta.instrument.name'], ['detector', 'meta.instrument.detector'], ['exp_type', 'meta.exposure.type'],
  ['subarray', 'meta.subarray.name'], ['nints', 'meta.exposure.nints'], ['ngroups', 'meta.exposure.ngroups'],
  ['tsovisit', 'meta.visit.tsovisit'], ['filter', 'meta.instrument.filter'], ['grating', 'meta.instrument.grating'],
  ['pupil', 'meta.instrument.pupil'], ['channel', 'meta.instrument.channel'], ['band', 'meta.instrument.band'],
  ['source_type', 'meta.target.source_type'], ['date', 'meta.observation.date'],
];

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The text form, laid out like astropy's HDU list info. */
export function formatText(d: FileDescription, opts: DescribeOptions): string {
  const lines = [`${d.file}: ${d.model ?? 'unknown model'}`];
  if (d.hdus.length) {
    const rows = d.hdus.map((h) => [
      String(h.index), h.extname ?? '', String(h.extver), h.type,
      h.type === 'BINTABLE' || h.type === 'TABLE' ? `${h.shape[0]} row${h.shape[0] === 1 ? "" : "s"}` : h.shape.length ? shapeText(h.shape) : '',
      h.dtype ?? '',
    ]);
    const head = ['No.', 'Name', 'Ver', 'Type', 'Shape', 'Dtype'];
    const w = head.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => '  ' + r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
    lines.push(fmt(head), ...rows.map(fmt));
    for (const h of d.hdus) {
      const s = h.stats;
      if (s) lines.push(`  [${h.index}] ${h.extname ?? ''}: min ${s.min} max ${s.max} mean ${s.mean} finite ${s.finite_count} nan ${s.nan_count} +inf ${s.posinf_count} -inf ${s.neginf_count}`);
      if (s?.flag_counts) lines.push(`  [${h.index}] ${h.extname ?? ''} flags: ${Object.entries(s.flag_counts).map(([k, v]) => `${k}=${v}`).join('  ') || 'none'}`);
      if (h.checksum) lines.push(`  [${h.index}] checksum: ${h.checksum.present ? (h.checksum.valid ? 'valid' : 'INVALID') : 'absent'}`);
      if (h.columns) {
        lines.push(`  [${h.index}] ${h.extname ?? ''}: ${h.nrows} rows; columns ${h.columns.map((c) => `${c.name}(${c.tform}${c.unit ? ` ${c.unit}` : ''})`).join(', ')}`);
        for (const r of h.rows ?? []) lines.push('    ' + toJson(r));
      }
      if (h.cards && opts.header) {
        lines.push(`  [${h.index}] header:`);
        for (const [k, v, c] of h.cards) lines.push(`    ${k.padEnd(8)} = ${toJson(v)}${c ? ` / ${c}` : ''}`);
      }
    }
  }
  for (const a of d.arrays ?? []) lines.push(`  ${a.name}: ${shapeText(a.shape)} ${a.dtype}`);
  const kv = KEY_META.map(([label, path]) => [label, getMeta(d.meta, path)] as const).filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object');
  if (kv.length) lines.push('  ' + kv.map(([k, v]) => `${k}=${String(v)}`).join('  '));
  const steps = getMeta(d.meta, 'meta.cal_step');
  if (steps && typeof steps === 'object') {
    lines.push('  cal_step: ' + Object.entries(steps as Meta).map(([k, v]) => `${k}=${String(v)}`).join('  '));
  }
  return lines.join('\n');
}
