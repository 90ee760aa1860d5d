/**
 * `webbdesk asn_from_list -o asn.json [--product-name NAME] [-r RULE] [-i ID] [-f json] FILES...`
 * with jwst's asn_from_list arguments; writes the same JSON as jwst 3.0.
 */
import { StepError } from '../errors/index.ts';
import { ASN_RULES, asnFromList, type AsnRule } from '../associations/asn.ts';
import { writeAssociation } from '../associations/io.node.ts';
import type { Command } from './main.ts';

const USAGE = `usage: webbdesk asn_from_list -o OUTPUT_FILE [-f {json}] [--product-name PRODUCT_NAME] [-r RULE] [-i ID] FILELIST...

Create an association from a list of files (jwst's asn_from_list).

  -o, --output-file   file name of the association to write (required)
  -f, --format        json (default; jwst's yaml is not supported)
  --product-name      name of the level-3 product
  -r, --rule          ${ASN_RULES.join(' | ')} (default DMS_Level3_Base)
  -i, --id            association candidate id (default o999)
`;

const OPTS: Readonly<Record<string, string>> = {
  '-o': 'output', '--output-file': 'output', '-f': 'format', '--format': 'format',
  '--product-name': 'product_name', '-r': 'rule', '--rule': 'rule', '-i': 'id', '--id': 'id',
};

interface Args { output?: string; format?: string; product_name?: string; rule?: string; id?: string; files: string[]; help: boolean }

/** Parse asn_from_list arguments (`--x value` and `--x=value`). */
export function parseAsnFromListArgs(argv: readonly string[]): Args {
  const out: Args = { files: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') { out.help = true; continue; }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const key = OPTS[flag];
    if (key) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new StepError('bad-argument', `asn_from_list: ${flag} needs a value`);
      (out as unknown as Record<string, string>)[key] = v;
    } else if (a.startsWith('-') && a.length > 1) {
      throw new StepError('bad-argument', `asn_from_list: unknown option ${a}`);
    } else {
      out.files.push(a);
    }
  }
  return out;
}

export const asnFromListCommand: Command = async (argv, io) => {
  const args = parseAsnFromListArgs(argv);
  if (args.help) { io.stdout(USAGE); return 0; }
  if (!args.output) { io.stderr(`asn_from_list: -o/--output-file is required\n${USAGE}`); return 2; }
  if (args.files.length === 0) { io.stderr(`asn_from_list: no files given\n${USAGE}`); return 2; }
  if ((args.format ?? 'json') !== 'json') throw new StepError('not-implemented', `asn_from_list: format '${args.format}' is not supported (json only)`);
  const rule = (args.rule ?? 'DMS_Level3_Base') as AsnRule;
  const asn = asnFromList(args.files, { rule, product_name: args.product_name, id: args.id });
  await writeAssociation(args.output, asn);
  io.stdout(`${args.output}\n`);
  return 0;
};
