/**
 * CRDS mapping files (.pmap, .imap, .rmap): `header = {...}`, an optional
 * `comment = """..."""`, and `selector = ...` (a dict for contexts, a
 * selector tree such as `Match({...: UseAfter({...})})` for rmaps). Parsing
 * is pure: text in, objects out. The `sha1sum` header field is checked the
 * crds way: SHA-1 of the text with every line containing "sha1sum" removed.
 */
import { CrdsError } from '../errors/index.ts';
import { compileExpr, type CompiledExpr } from './expr.ts';
import { isDict, isSeq, parsePyAssignments, pyRepr, type PyDict, type PyValue } from './pyliteral.ts';
import { makeSelector, type Choice, type RawSelection, type Selector, type Substitutions } from './selectors.ts';
import { sha1Hex } from './sha1.ts';

export type MappingKind = 'pipeline' | 'instrument' | 'reference';

/** Values of context selections that are not mapping names. */
export const NA_VALUES: ReadonlySet<string> = new Set(['N/A', 'TEMP_N/A', 'n/a', 'temp_n/a']);
export const OMIT_VALUES: ReadonlySet<string> = new Set(['OMIT', 'TEMP_OMIT', 'omit']);
export const isSpecialValue = (v: string): boolean => NA_VALUES.has(v) || OMIT_VALUES.has(v);

interface MappingCommon {
  readonly name: string;
  /** Header fields as written (plain data). */
  readonly header: Readonly<Record<string, unknown>>;
  readonly sha1sum: string | undefined;
  readonly comment: string | undefined;
}

export interface PipelineMapping extends MappingCommon {
  readonly kind: 'pipeline';
  /** The parkey naming the instrument, e.g. META.INSTRUMENT.NAME. */
  readonly instrumentKey: string;
  /** lower-case instrument -> .imap name (or N/A / OMIT). */
  readonly selections: ReadonlyMap<string, string>;
}

export interface InstrumentMapping extends MappingCommon {
  readonly kind: 'instrument';
  readonly instrument: string;
  /** lower-case reftype -> .rmap name (or N/A / OMIT). */
  readonly selections: ReadonlyMap<string, string>;
}

export interface ReferenceMapping extends MappingCommon {
  readonly kind: 'reference';
  readonly instrument: string;
  /** lower-case reference type, e.g. 'flat', 'pars-spec2pipeline'. */
  readonly filekind: string;
  /** Parkeys per selector level. */
  readonly parkey: readonly (readonly string[])[];
  /** Every parkey needed to select from this rmap (parkeys + extra_keys). */
  readonly requiredParkeys: readonly string[];
  readonly selector: Selector;
  readonly rmapRelevance: CompiledExpr | undefined;
  readonly rmapOmit: CompiledExpr | undefined;
  /** lower-case parkey -> expression; when false the parkey is matched as N/A. */
  readonly parkeyRelevance: ReadonlyMap<string, CompiledExpr>;
  /** reference keyword -> dataset parkey (reference_to_dataset). */
  readonly referenceToDataset: ReadonlyMap<string, string>;
}

export type Mapping = PipelineMapping | InstrumentMapping | ReferenceMapping;

export interface ParseOptions {
  /** Skip the sha1sum check (CRDS_IGNORE_MAPPING_CHECKSUM). */
  readonly ignoreChecksum?: boolean;
}

/** The checksum crds stores in a mapping header for `text`. */
export function mappingChecksum(text: string): string {
  // Python str.splitlines(keepends=True) boundaries
  const lines = text.split(/(?<=\r\n|\r(?!\n)|[\n\v\f\x1c\x1d\x1e\x85\u2028\u2029])/);
  return sha1Hex(lines.filter((l) => !l.includes('sha1sum')).join(''));
}

/** Does the `sha1sum` header field match the text? */
export function verifyMappingChecksum(text: string, file = '<text>'): { ok: boolean; expected: string | undefined; actual: string } {
  const m = /'sha1sum'\s*:\s*'([0-9a-fA-F]*)'/.exec(text);
  const actual = mappingChecksum(text);
  void file;
  return { ok: !!m && m[1]!.toLowerCase() === actual, expected: m?.[1], actual };
}

function plain(v: PyValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.map(plain);
  if (v.kind === 'dict') {
    const o: Record<string, unknown> = {};
    for (const e of v.entries) o[typeof e.key === 'string' ? e.key : pyRepr(e.key)] = plain(e.value);
    return o;
  }
  return { call: v.name };
}

function kindOf(name: string, header: Readonly<Record<string, unknown>>, file: string): MappingKind {
  if (name.endsWith('.pmap')) return 'pipeline';
  if (name.endsWith('.imap')) return 'instrument';
  if (name.endsWith('.rmap')) return 'reference';
  const m = String(header.mapping ?? '').toLowerCase();
  if (m === 'pipeline' || m === 'instrument' || m === 'reference') return m;
  throw new CrdsError('crds-mapping', `unknown mapping type ${JSON.stringify(header.mapping)}`, { file });
}

/** Parse a mapping's text. `name` is its file name (used for the type and in messages). */
export function parseMapping(text: string, name: string, options: ParseOptions = {}): Mapping {
  const file = name;
  const stmts = parsePyAssignments(text, file);
  const get = (n: string): { value: PyValue; line: number } | undefined => {
    const found = stmts.filter((s) => s.name === n);
    if (found.length > 1) throw new CrdsError('crds-syntax', `'${n}' is assigned more than once`, { file, line: found[1]!.line });
    return found[0];
  };
  for (const s of stmts) {
    if (!['header', 'selector', 'comment'].includes(s.name)) {
      throw new CrdsError('crds-syntax', `unexpected statement '${s.name} = ...' (only header, comment and selector are allowed)`, { file, line: s.line });
    }
  }
  const h = get('header');
  if (!h) throw new CrdsError('crds-syntax', "missing 'header = {...}'", { file, line: 1 });
  if (!isDict(h.value)) throw new CrdsError('crds-syntax', "'header' must be a dict", { file, line: h.line });
  checkDuplicates(h.value, file);
  const sel = get('selector');
  if (!sel) throw new CrdsError('crds-syntax', "missing 'selector = ...'", { file, line: stmts.at(-1)?.line ?? 1 });
  const c = get('comment');
  const header = plain(h.value) as Record<string, unknown>;
  for (const req of ['mapping', 'parkey', 'name', 'derived_from']) {
    if (!(req in header)) throw new CrdsError('crds-mapping', `required header key '${req}' is missing`, { file, line: h.line });
  }
  if (!options.ignoreChecksum) {
    const expected = header.sha1sum;
    if (typeof expected !== 'string') throw new CrdsError('crds-checksum', `sha1sum is missing in '${name}'`, { file, line: h.line });
    if (mappingChecksum(text) !== expected.toLowerCase()) throw new CrdsError('crds-checksum', `sha1sum mismatch in '${name}'`, { file });
  }
  const common = {
    name,
    header,
    sha1sum: typeof header.sha1sum === 'string' ? header.sha1sum : undefined,
    comment: typeof c?.value === 'string' ? c.value : undefined,
  };
  const kind = kindOf(name, header, file);
  if (kind !== 'reference') {
    if (!isDict(sel.value)) throw new CrdsError('crds-syntax', 'a context selector must be a dict', { file, line: sel.line });
    checkDuplicates(sel.value, file);
    const selections = new Map<string, string>();
    for (const e of sel.value.entries) {
      if (typeof e.key !== 'string' || typeof e.value !== 'string') {
        throw new CrdsError('crds-syntax', `context selections must map names to file names, not ${pyRepr(e.key)}: ${pyRepr(e.value)}`, { file, line: e.line });
      }
      selections.set(e.key.toLowerCase(), e.value);
    }
    if (kind === 'pipeline') {
      const pk = header.parkey as unknown[];
      return { ...common, kind, instrumentKey: String(pk?.[0] ?? 'META.INSTRUMENT.NAME').toUpperCase(), selections };
    }
    return { ...common, kind, instrument: String(header.instrument ?? '').toUpperCase(), selections };
  }
  return parseReferenceMapping(common, header, sel.value, sel.line, file);
}

function checkDuplicates(d: PyDict, file: string): void {
  const seen = new Set<string>();
  for (const e of d.entries) {
    const k = pyRepr(e.key);
    if (seen.has(k)) throw new CrdsError('crds-syntax', `duplicate key ${k}`, { file, line: e.line });
    seen.add(k);
  }
}

function parkeyLevels(v: unknown): string[][] {
  if (!Array.isArray(v)) return [];
  if (v.every((x) => typeof x === 'string')) return [v as string[]];
  return v.map((level) => (Array.isArray(level) ? level.map(String) : [String(level)]));
}

function substitutionsOf(header: Readonly<Record<string, unknown>>): Substitutions {
  const subs = new Map<string, Map<string, string | readonly string[]>>([
    ['META.SUBARRAY.NAME', new Map([['GENERIC', 'N/A']])],
    ['SUBARRAY', new Map([['GENERIC', 'N/A']])],
  ]);
  const given = header.substitutions;
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    for (const [parkey, table] of Object.entries(given as Record<string, unknown>)) {
      const m = new Map<string, string | readonly string[]>();
      for (const [from, to] of Object.entries((table ?? {}) as Record<string, unknown>)) {
        m.set(from, Array.isArray(to) ? to.map(String) : String(to));
      }
      subs.set(parkey, m);
    }
  }
  return subs;
}

function keyOf(v: PyValue): unknown {
  if (isSeq(v)) return v.items.map(keyOf);
  if (v !== null && typeof v === 'object') return pyRepr(v);
  return v;
}

function parseReferenceMapping(
  common: MappingCommon,
  header: Readonly<Record<string, unknown>>,
  selectorValue: PyValue,
  selectorLine: number,
  file: string,
): ReferenceMapping {
  for (const req of ['observatory', 'instrument', 'filekind']) {
    if (!(req in header)) throw new CrdsError('crds-mapping', `required header key '${req}' is missing`, { file });
  }
  const levels = parkeyLevels(header.parkey);
  const subs = substitutionsOf(header);
  const merge = 'merge_overlaps' in header ? ['TRUE', '1'].includes(String(header.merge_overlaps).toUpperCase()) : true;
  const build = (v: PyValue, depth: number, line: number): Choice => {
    if (typeof v === 'string') return v;
    if (isSeq(v) && v.items.every((x) => typeof x === 'string')) return v.items as string[];
    if (v !== null && typeof v === 'object' && v.kind === 'call') {
      const arg = v.args[0];
      if (v.args.length !== 1 || arg === undefined || !isDict(arg)) {
        throw new CrdsError('crds-syntax', `${v.name}(...) takes one dict`, { file, line: v.line });
      }
      checkDuplicates(arg, file);
      const params = levels[depth];
      if (!params) throw new CrdsError('crds-mapping', `selector nesting is deeper than the parkey levels in the header`, { file, line: v.line });
      const selections: RawSelection[] = arg.entries.map((e) => ({ key: keyOf(e.key), choice: build(e.value, depth + 1, e.line) }));
      try {
        const s = makeSelector(v.name, params, selections, subs, merge);
        if (!s) throw new CrdsError('crds-syntax', `unknown selector '${v.name}'`, { file, line: v.line });
        return s;
      } catch (e) {
        if (e instanceof CrdsError && e.where.file) throw e;
        throw new CrdsError('crds-mapping', e instanceof Error ? e.message : String(e), { file, line: v.line });
      }
    }
    throw new CrdsError('crds-syntax', `unsupported selection value ${pyRepr(v)}`, { file, line });
  };
  const selector = build(selectorValue, 0, selectorLine);
  if (typeof selector === 'string' || Array.isArray(selector)) {
    throw new CrdsError('crds-syntax', 'an rmap selector must be a selector such as Match({...})', { file, line: selectorLine });
  }
  const extra = Array.isArray(header.extra_keys) ? header.extra_keys.map(String) : [];
  const required = [...levels.flat(), ...extra];
  const expr = (field: string): CompiledExpr | undefined => {
    const src = header[field];
    if (typeof src !== 'string') return undefined;
    try {
      return compileExpr(src);
    } catch (e) {
      throw new CrdsError('crds-mapping', `bad ${field} expression: ${(e as Error).message}`, { file });
    }
  };
  const parkeyRelevance = new Map<string, CompiledExpr>();
  const pr = header.parkey_relevance;
  if (pr && typeof pr === 'object') {
    for (const [k, src] of Object.entries(pr as Record<string, unknown>)) parkeyRelevance.set(k.toLowerCase(), compileExpr(String(src)));
  }
  const r2d = new Map<string, string>();
  const rd = header.reference_to_dataset;
  if (rd && typeof rd === 'object') for (const [k, v] of Object.entries(rd as Record<string, unknown>)) r2d.set(k, String(v));
  return {
    ...common,
    kind: 'reference',
    instrument: String(header.instrument).toUpperCase(),
    filekind: String(header.filekind).toLowerCase(),
    parkey: levels,
    requiredParkeys: required,
    selector: selector as Selector,
    rmapRelevance: expr('rmap_relevance'),
    rmapOmit: expr('rmap_omit'),
    parkeyRelevance,
    referenceToDataset: r2d,
  };
}
