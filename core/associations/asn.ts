/**
 * JWST association JSON (jwst docs, "Association Structures" and
 * "asn_from_list"): parse and validate, serialise as jwst's asn.dump() does
 * (json, indent 4, ASCII escapes, key order as written), and build one from
 * a file list with the same defaults as jwst 3.0's asn_from_list
 * (golden: shared/golden/asn/from_list).
 */
import { StepError } from '../errors/index.ts';

export interface AsnMember {
  expname: string;
  exptype: string;
  [key: string]: unknown;
}

export interface AsnProduct {
  name: string;
  members: AsnMember[];
  [key: string]: unknown;
}

export interface Association {
  asn_type: string;
  asn_rule: string;
  version_id: string | null;
  code_version: string;
  degraded_status: string;
  program: string;
  constraints: string;
  asn_id: string;
  /** Level 3 only. */
  target?: string;
  asn_pool: string;
  products: AsnProduct[];
  [key: string]: unknown;
}

/** Member exptypes the jwst pipelines read. */
export const MEMBER_EXPTYPES: readonly string[] = [
  'science', 'background', 'imprint', 'selfcal', 'sourcecat', 'segmap', 'direct_image', 'psf', 'target_acquisition',
];

/** The rules asn_from_list accepts (jwst class names). */
export const ASN_RULES = ['DMSLevel2bBase', 'DMS_Level3_Base'] as const;
export type AsnRule = (typeof ASN_RULES)[number];

/** The jwst version whose asn_from_list output we reproduce (code_version). */
export const CODE_VERSION = '3.0.0';

const REQUIRED_STRINGS = ['asn_rule', 'asn_pool'] as const;

function fail(file: string, msg: string): never {
  throw new StepError('bad-association', `${file}: ${msg}`, { file });
}

function checkMember(m: unknown, where: string, file: string): AsnMember {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(file, `${where} is not an object`);
  const r = m as Record<string, unknown>;
  if (typeof r.expname !== 'string' || r.expname === '') fail(file, `${where} has no expname`);
  if (typeof r.exptype !== 'string') fail(file, `${where} (${String(r.expname)}) has no exptype`);
  if (!MEMBER_EXPTYPES.includes(r.exptype.toLowerCase())) {
    fail(file, `${where} (${r.expname}) has unknown exptype '${r.exptype}' (known: ${MEMBER_EXPTYPES.join(', ')})`);
  }
  return r as AsnMember;
}

/**
 * Validate an association object (from JSON). `file` names it in errors.
 * Throws StepError 'bad-association' naming the product/member at fault.
 */
export function parseAssociation(json: unknown, file = 'association'): Association {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (e) {
      fail(file, `not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'is not a JSON object');
  const a = json as Record<string, unknown>;
  for (const k of REQUIRED_STRINGS) if (typeof a[k] !== 'string') fail(file, `missing '${k}'`);
  if (!Array.isArray(a.products)) fail(file, "missing 'products' list");
  (a.products as unknown[]).forEach((p, i) => {
    if (typeof p !== 'object' || p === null) fail(file, `product ${i + 1} is not an object`);
    const pr = p as Record<string, unknown>;
    const where = `product ${i + 1}${typeof pr.name === 'string' ? ` (${pr.name})` : ''}`;
    if (typeof pr.name !== 'string') fail(file, `${where} has no name`);
    if (!Array.isArray(pr.members) || pr.members.length === 0) fail(file, `${where} has no members`);
    pr.members.forEach((m, j) => checkMember(m, `${where} member ${j + 1}`, file));
  });
  return a as Association;
}

/** Python json.dumps(indent=4) text: ASCII only (non-ASCII as \uXXXX), no trailing newline. */
export function serializeAssociation(asn: Association): string {
  return JSON.stringify(asn, null, 4).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Suffixes stripped from an exposure name to make a level-2b product name (jwst lib/suffix, the usual ones). */
const KNOWN_SUFFIXES = new Set([
  'uncal', 'ramp', 'rate', 'rateints', 'trapsfilled', 'cal', 'calints', 'bsub', 'bsubints', 'crf', 'crfints',
  'i2d', 's2d', 's3d', 'x1d', 'x1dints', 'c1d', 'whtlt', 'phot', 'psfstack', 'psfalign', 'psfsub', 'ami', 'amiavg', 'aminorm', 'dark', 'flat',
]);

/** Product name jwst gives a level-2b product: file name without folder, extension and a known suffix. */
export function productNameFromFile(expname: string): string {
  const base = expname.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const m = /^(.+)[_-]([a-z0-9]+)$/.exec(base);
  return m && KNOWN_SUFFIXES.has(m[2]!) ? m[1]! : base;
}

export interface AsnFromListOptions {
  /** DMS_Level3_Base (default, as jwst's command line) or DMSLevel2bBase. */
  readonly rule?: AsnRule;
  /** Level-3 product name (jwst: --product-name). */
  readonly product_name?: string;
  /** Association candidate id (jwst: -i/--id, default o999); it names the file jwst would propose, not the JSON. */
  readonly id?: string;
  /** Items are [expname, exptype] pairs (jwst: with_exptype=True). */
  readonly with_exptype?: boolean;
}

type Item = string | readonly [string, string];

function header(rule: AsnRule): Association {
  const base = {
    asn_type: 'None', asn_rule: rule, version_id: null, code_version: CODE_VERSION,
    degraded_status: 'No known degraded exposures in association.', program: 'noprogram',
    constraints: 'No constraints', asn_id: 'a3001',
  };
  return (rule === 'DMS_Level3_Base' ? { ...base, target: 'none', asn_pool: 'none', products: [] } : { ...base, asn_pool: 'none', products: [] }) as Association;
}

function toMember(item: Item, withExptype: boolean): AsnMember {
  if (withExptype) {
    if (!Array.isArray(item) || item.length !== 2) throw new StepError('bad-argument', `asn_from_list: with_exptype needs [expname, exptype] pairs, got ${JSON.stringify(item)}`);
    return { expname: item[0] as string, exptype: item[1] as string };
  }
  if (typeof item !== 'string') throw new StepError('bad-argument', `asn_from_list: expected file names, got ${JSON.stringify(item)} (use with_exptype for pairs)`);
  return { expname: item, exptype: 'science' };
}

/**
 * The association jwst 3.0's asn_from_list makes from `items`: level 3, one
 * product holding every member; level 2b, one product per member, named from
 * a science member's file ('undefined' for a product without one).
 */
export function asnFromList(items: readonly Item[], opts: AsnFromListOptions = {}): Association {
  const rule = opts.rule ?? 'DMS_Level3_Base';
  if (!ASN_RULES.includes(rule)) throw new StepError('bad-argument', `asn_from_list: unknown rule '${String(rule)}' (known: ${ASN_RULES.join(', ')})`);
  const members = items.map((it) => toMember(it, opts.with_exptype === true));
  const asn = header(rule);
  if (rule === 'DMS_Level3_Base') {
    asn.products.push({ name: opts.product_name ?? 'undefined', members });
  } else {
    for (const m of members) asn.products.push({ name: m.exptype === 'science' ? productNameFromFile(m.expname) : 'undefined', members: [m] });
  }
  return asn;
}
