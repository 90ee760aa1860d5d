/**
 * Selector trees of CRDS rmaps (rmap_syntax.rst; crds selectors): Match,
 * UseAfter, VersionAfter, SelectVersion, ClosestTime, GeometricallyNearest
 * and Bracket. `choose(header)` walks the tree with a conditioned header
 * (upper-case string values keyed by parkey) and returns the terminal
 * value: a file name, 'N/A', 'OMIT', or a tuple of names.
 */
import { LookupError } from './lookup-error.ts';
import { esotericKey, globList, makeMatcher, type Matcher } from './matchers.ts';
import { conditionValue } from './condition.ts';
import { pyCompare, pyFloat, pyReprList, pyReprStr, pyReprTuple, pyStr } from './pycompat.ts';
import { DateParseError, dateSeconds, parseDate, reformatDate } from './timestamp.ts';

export type Header = ReadonlyMap<string, string>;
/** A terminal choice: one name, or several (Bracket pairs, equal-weight Match rows). */
export type Terminal = string | readonly string[];
export type Choice = Terminal | Selector;
/** `{parkey: {old: new}}` from the rmap header, plus the crds defaults. */
export type Substitutions = ReadonlyMap<string, ReadonlyMap<string, string | readonly string[]>>;

/** A raw selection as written in the mapping: key (string, number or tuple) and choice. */
export interface RawSelection {
  readonly key: unknown;
  readonly choice: Choice;
}

export type SelectorKind = 'Match' | 'UseAfter' | 'VersionAfter' | 'SelectVersion' | 'ClosestTime' | 'GeometricallyNearest' | 'Bracket';

export abstract class Selector {
  abstract readonly kind: SelectorKind;
  constructor(readonly parameters: readonly string[]) {}

  /** Choose a terminal for `header`; throws LookupError. */
  abstract choose(header: Header): Terminal;

  /** Every terminal value reachable from this selector. */
  abstract terminals(): string[];

  protected resolve(choice: Choice, header: Header): Terminal {
    return choice instanceof Selector ? choice.choose(header) : choice;
  }

  protected value(header: Header, name: string): string {
    return header.get(name) ?? 'UNDEFINED';
  }

  protected number(name: string, value: string): number {
    const v = pyFloat(value);
    if (v === undefined) {
      throw new LookupError('ValidationError', `${this.kind} Invalid number for ${pyReprStr(name)} value = ${pyReprStr(value)}`);
    }
    return v;
  }
}

function terminalsOf(choices: Iterable<Choice>): string[] {
  const out = new Set<string>();
  for (const c of choices) {
    if (c instanceof Selector) for (const t of c.terminals()) out.add(t);
    else if (typeof c === 'string') out.add(c);
    else for (const t of c) out.add(t);
  }
  return [...out].sort();
}

// ---------------------------------------------------------------- Match

interface MatchRow {
  readonly key: readonly string[];
  readonly matchers: readonly Matcher[];
  readonly choice: Choice;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = pyCompare(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

/** Condition one element of a match key (crds MatchSelector.condition_key_element). */
function conditionKeyElement(elem: unknown): string {
  if (typeof elem === 'string') {
    if ((elem.startsWith('{') && elem.endsWith('}')) || (elem.startsWith('(') && elem.endsWith(')'))) return elem;
    if (elem.includes('|')) return globList(elem).map(conditionValue).join('|');
    return conditionValue(globList(elem).join('|'));
  }
  if (Array.isArray(elem)) return elem.map(conditionValue).join('|');
  return conditionValue(elem);
}

export class MatchSelector extends Selector {
  readonly kind = 'Match';
  private readonly rows: readonly MatchRow[];
  /** Values each parameter may take, as crds derives them from the rmap; [] = unchecked. */
  readonly validValues: ReadonlyMap<string, readonly string[]>;

  constructor(
    parameters: readonly string[],
    selections: readonly RawSelection[],
    private readonly substitutions: Substitutions,
    private readonly mergeOverlaps = true,
  ) {
    super(parameters);
    const rows: MatchRow[] = [];
    for (const s of selections) {
      const raw: unknown[] = Array.isArray(s.key) ? [...(s.key as unknown[])] : [s.key];
      if (raw.length !== parameters.length) {
        throw new LookupError('ValidationError', `Match key=${pyReprTuple(raw.map(pyStr))} is wrong length for parameters ${pyReprTuple(parameters)}`);
      }
      parameters.forEach((p, i) => {
        const table = substitutions.get(p);
        const old = raw[i];
        if (table && typeof old === 'string' && table.has(old)) raw[i] = table.get(old);
      });
      const key = raw.map(conditionKeyElement);
      rows.push({ key, matchers: key.map(makeMatcher), choice: s.choice });
    }
    rows.sort((a, b) => compareKeys(a.key, b.key));
    for (let i = 1; i < rows.length; i++) {
      if (compareKeys(rows[i - 1]!.key, rows[i]!.key) === 0) {
        throw new LookupError('ValidationError', `Key ${pyReprTuple(rows[i]!.key)} appears more than once`);
      }
    }
    this.rows = rows;
    const valid = new Map<string, readonly string[]>();
    parameters.forEach((p, i) => {
      const values = new Set<string>();
      let unchecked = false;
      for (const r of rows) {
        if (esotericKey(r.key[i]!)) {
          unchecked = true;
          break;
        }
        for (const v of globList(r.key[i]!)) values.add(v);
      }
      valid.set(p, unchecked ? [] : [...values].sort(pyCompare));
    });
    this.validValues = valid;
  }

  terminals(): string[] {
    return terminalsOf(this.rows.map((r) => r.choice));
  }

  choose(header: Header): Terminal {
    for (const name of this.parameters) {
      if (!header.has(name) && !(this.validValues.get(name) ?? []).includes('N/A')) {
        throw new LookupError('ValidationError', `Match required lookup parameter ${pyReprStr(name)} is undefined.`);
      }
      this.validate(name, this.value(header, name), this.validValues.get(name) ?? []);
    }
    for (const candidate of this.candidates(header)) {
      try {
        return this.resolve(candidate, header);
      } catch (e) {
        if (e instanceof LookupError && e.recoverable) continue;
        throw e;
      }
    }
    throw new LookupError('MatchingError', 'No match found.');
  }

  /** Surviving choices, best weight first; equal-weight rows merged. */
  private candidates(header: Header): Choice[] {
    const values = this.parameters.map((p) => this.value(header, p));
    const byWeight = new Map<number, MatchRow[]>();
    for (const row of this.rows) {
      let weight = 0;
      let alive = true;
      for (let i = 0; i < values.length; i++) {
        const m = row.matchers[i]!.match(values[i]!);
        if (m === -1) {
          alive = false;
          break;
        }
        weight -= m;
      }
      if (!alive) continue;
      const group = byWeight.get(weight);
      if (group) group.push(row);
      else byWeight.set(weight, [row]);
    }
    const out: Choice[] = [];
    for (const weight of [...byWeight.keys()].sort((a, b) => a - b)) {
      const group = byWeight.get(weight)!;
      if (group.length === 1) {
        out.push(group[0]!.choice);
        continue;
      }
      if (!this.mergeOverlaps) throw new LookupError('AmbiguousMatchError', 'More than one match clause matched.');
      const choices = group.map((r) => r.choice);
      const first = choices[0]!;
      if (first instanceof Selector) out.push(mergeSelectors(choices));
      else out.push(choices.flatMap((c) => (typeof c === 'string' ? [c] : c instanceof Selector ? [] : [...c])));
    }
    return out;
  }

  /** crds `_validate_value` at lookup time: is `value` one the rmap knows? */
  private validate(name: string, value: string, valid: readonly string[]): void {
    if (valid.includes(value) || valid.includes(conditionValue(value))) return;
    if (valid.includes('*') || valid.includes('ANY') || valid.includes('N/A')) return;
    if (!valid.length) return;
    if (value.startsWith('NOT')) return this.validate(name, value.slice(3).trim(), valid);
    if (esotericKey(value) || value === '*' || value === 'ANY' || value === 'N/A') return;
    if (value.toLowerCase().startsWith('between')) {
      const parts = value.split(/\s+/).filter((x) => x);
      if (parts.length !== 3) throw new LookupError('CrdsError', 'not enough values to unpack (expected 3)');
      this.validate(name, parts[1]!, valid);
      this.validate(name, parts[2]!, valid);
      return;
    }
    if (valid.length === 1 && valid[0]!.includes(':')) {
      const [lo, hi] = valid[0]!.split(':').map(Number) as [number, number];
      const v = Number(value);
      if (lo <= v && v <= hi) return;
      throw new LookupError('ValidationError', ` parameter=${pyReprStr(name)} value =${pyReprStr(value)} is not in range [${lo} .. ${hi}]`);
    }
    const sub = this.substitutions.get(name)?.get(value);
    if (typeof sub === 'string') return this.validate(name, sub, valid);
    throw new LookupError('ValidationError', ` parameter=${pyReprStr(name)} value=${pyReprStr(value)} is not in ${pyReprList(valid)}`);
  }
}

function mergeSelectors(choices: readonly Choice[]): Selector {
  let combined = choices[0] as Selector;
  for (const c of choices.slice(1)) {
    if (combined instanceof UseAfterSelector && c instanceof UseAfterSelector && combined.kind === c.kind) combined = combined.merge(c);
    else {
      throw new LookupError(
        'AmbiguousMatchError',
        `More than one match was found at the same weight and ${combined.kind} does not support merging.`,
      );
    }
  }
  return combined;
}

// ---------------------------------------------------------------- UseAfter family

interface TimedSelection {
  readonly key: string;
  readonly choice: Choice;
}

export class UseAfterSelector extends Selector {
  readonly kind: SelectorKind = 'UseAfter';
  protected readonly selections: readonly TimedSelection[];

  constructor(parameters: readonly string[], selections: readonly RawSelection[] | readonly TimedSelection[], presorted = false) {
    super(parameters);
    const list = (selections as readonly RawSelection[]).map((s) => ({ key: pyStr(s.key), choice: s.choice }));
    this.selections = presorted ? list : list.sort((a, b) => pyCompare(a.key, b.key));
  }

  terminals(): string[] {
    return terminalsOf(this.selections.map((s) => s.choice));
  }

  /** The date the header asks for, in CRDS standard form. */
  protected lookupDate(header: Header): string {
    let date = '';
    for (const p of this.parameters) {
      if (!header.has(p)) throw new LookupError('ValidationError', `${this.kind} required lookup parameter ${pyReprStr(p)} is undefined.`);
      const v = header.get(p)!.trim();
      if (v === 'UNDEFINED') throw new LookupError('InvalidDatetimeError', `UseAfter parameter ${pyReprStr(p)} is UNDEFINED.`);
      date += v + ' ';
    }
    date = date.trim();
    try {
      return reformatDate(date);
    } catch (e) {
      if (e instanceof LookupError) throw e;
      const msg = e instanceof DateParseError ? e.message : String(e);
      throw new LookupError(
        'ValidationError',
        `${this.kind} Invalid date/time format for ${pyReprTuple(this.parameters)} value = ${pyReprStr(date)} exception is ${pyReprStr(msg)}`,
      );
    }
  }

  choose(header: Header): Terminal {
    const date = this.lookupDate(header);
    let lo = 0;
    let hi = this.selections.length;
    // last selection whose key <= date
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.selections[mid]!.key <= date) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) throw new LookupError('UseAfterError', `No selection <= ${pyReprStr(date)}`);
    return this.resolve(this.selections[lo - 1]!.choice, header);
  }

  /** Combine equal-weight UseAfters; on equal dates the greater file name wins. */
  merge(other: UseAfterSelector): UseAfterSelector {
    const a = [...this.selections];
    const b = [...other.selections];
    const out: TimedSelection[] = [];
    while (a.length && b.length) {
      const x = a[0]!;
      const y = b[0]!;
      if (x.key < y.key) out.push(a.shift()!);
      else if (y.key < x.key) out.push(b.shift()!);
      else {
        a.shift();
        b.shift();
        out.push(pyStr(x.choice) >= pyStr(y.choice) ? x : y);
      }
    }
    out.push(...a, ...b);
    return new UseAfterSelector(this.parameters, out.map((s) => ({ key: s.key, choice: s.choice })), true);
  }
}

export class ClosestTimeSelector extends UseAfterSelector {
  override readonly kind: SelectorKind = 'ClosestTime';
  override choose(header: Header): Terminal {
    const t = dateSeconds(parseDate(this.lookupDate(header)));
    let best = -1;
    let bestDiff = Infinity;
    this.selections.forEach((s, i) => {
      const d = Math.fround(Math.abs(t - dateSeconds(parseDate(s.key))));
      if (d < bestDiff) {
        bestDiff = d;
        best = i;
      }
    });
    if (best < 0) throw new LookupError('UseAfterError', 'No selection for ClosestTime');
    return this.resolve(this.selections[best]!.choice, header);
  }
}

/** Version keys ('0.7.0rc6|0.7.1', '1.2') compared as integer triples. */
export class VersionAfterSelector extends Selector {
  readonly kind = 'VersionAfter';
  private readonly selections: readonly { key: number[]; choice: Choice }[];
  constructor(parameters: readonly string[], selections: readonly RawSelection[]) {
    super(parameters);
    this.selections = selections
      .map((s) => ({ key: versionKey(pyStr(s.key)), choice: s.choice }))
      .sort((a, b) => compareNums(a.key, b.key));
  }
  terminals(): string[] {
    return terminalsOf(this.selections.map((s) => s.choice));
  }
  choose(header: Header): Terminal {
    const text = globList(this.parameters.map((p) => this.value(header, p)).join('.')).join('|');
    const v = versionKey(text);
    let found: Choice | undefined;
    for (const s of this.selections) if (compareNums(s.key, v) <= 0) found = s.choice;
    if (found === undefined) throw new LookupError('VersionAfterError', `No selection <= ${pyReprStr(text)}`);
    return this.resolve(found, header);
  }
}

function versionKey(text: string): number[] {
  const parts = text.split('.').slice(0, 3).map((p) => Number(/^\d*/.exec(p)![0] || '0'));
  while (parts.length < 3) parts.push(0);
  return parts;
}

function compareNums(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

// ---------------------------------------------------------------- SelectVersion

type Version = number | readonly number[];
interface Relation { readonly relation: string; readonly version: Version }

function parseRelation(text: string): Relation {
  if (text.replace(/=/g, '').trim() === 'default') return { relation: '=', version: Number.MAX_SAFE_INTEGER };
  const s = /^[<=]/.test(text) ? text : '=' + text;
  const m = /^([<=]=?|default)(.*)$/s.exec(s);
  if (!m) throw new LookupError('ValidationError', `Illegal version expression in: ${pyReprStr(text)}`);
  const body = m[2]!.trim();
  const tuple = /^\(\s*([^()]*)\s*\)$/.exec(body);
  let version: Version;
  if (tuple) {
    version = tuple[1]!.split(',').map((x) => x.trim()).filter((x) => x).map(Number);
    if (version.some((x) => Number.isNaN(x))) throw new LookupError('ValidationError', `Invalid version expression in: ${pyReprStr(s)}`);
  } else {
    const v = pyFloat(body);
    if (v === undefined) throw new LookupError('ValidationError', `Invalid version expression in: ${pyReprStr(s)}`);
    version = v;
  }
  return { relation: m[1]!.replace('==', '='), version };
}

function compareRelations(a: Relation, b: Relation): number {
  const av = typeof a.version === 'number' ? [a.version] : a.version;
  const bv = typeof b.version === 'number' ? [b.version] : b.version;
  if (typeof a.version !== typeof b.version && a.version !== Number.MAX_SAFE_INTEGER && b.version !== Number.MAX_SAFE_INTEGER) {
    throw new LookupError('ValidationError', 'Incompatible version expression types');
  }
  return compareNums(av, bv) || pyCompare(a.relation, b.relation);
}

export class SelectVersionSelector extends Selector {
  readonly kind = 'SelectVersion';
  private readonly selections: readonly { rel: Relation; choice: Choice }[];
  constructor(parameters: readonly string[], selections: readonly RawSelection[]) {
    super(parameters);
    this.selections = selections
      .map((s) => ({ rel: parseRelation(pyStr(s.key)), choice: s.choice }))
      .sort((a, b) => compareRelations(a.rel, b.rel));
  }
  terminals(): string[] {
    return terminalsOf(this.selections.map((s) => s.choice));
  }
  choose(header: Header): Terminal {
    const name = this.parameters[0]!;
    const value = this.value(header, name);
    if (value.replace(/=/g, '').trim() !== 'default') this.number(name, value);
    const wanted = parseRelation(value);
    let i = 0;
    while (i < this.selections.length && compareRelations(this.selections[i]!.rel, wanted) < 0) i++;
    if (i === this.selections.length) throw new LookupError('MatchingError', `No version selection for ${pyReprStr(value)}`);
    return this.resolve(this.selections[i]!.choice, header);
  }
}

// ---------------------------------------------------------------- numeric nearest / bracket

export class GeometricallyNearestSelector extends Selector {
  readonly kind = 'GeometricallyNearest';
  private readonly selections: readonly { key: string; choice: Choice }[];
  constructor(parameters: readonly string[], selections: readonly RawSelection[]) {
    super(parameters);
    this.selections = selections.map((s) => ({ key: conditionValue(s.key), choice: s.choice })).sort((a, b) => pyCompare(a.key, b.key));
  }
  terminals(): string[] {
    return terminalsOf(this.selections.map((s) => s.choice));
  }
  choose(header: Header): Terminal {
    const name = this.parameters[0]!;
    const x = this.number(name, this.value(header, name));
    let best = -1;
    let bestDiff = Infinity;
    this.selections.forEach((s, i) => {
      // crds compares in float32 (numpy 'f' arrays)
      const d = Math.fround(Math.abs(Math.fround(Number(s.key)) - x));
      if (d < bestDiff) {
        bestDiff = d;
        best = i;
      }
    });
    if (best < 0) throw new LookupError('MatchingError', 'No match found.');
    return this.resolve(this.selections[best]!.choice, header);
  }
}

export class BracketSelector extends Selector {
  readonly kind = 'Bracket';
  private readonly selections: readonly { key: number; text: string; choice: Choice }[];
  constructor(parameters: readonly string[], selections: readonly RawSelection[]) {
    super(parameters);
    // crds sorts selections by str(key)
    this.selections = selections
      .map((s) => ({ key: Number(s.key), text: pyStr(s.key), choice: s.choice }))
      .sort((a, b) => pyCompare(a.text, b.text));
  }
  terminals(): string[] {
    return terminalsOf(this.selections.map((s) => s.choice));
  }
  choose(header: Header): Terminal {
    const name = this.parameters[0]!;
    const x = this.number(name, this.value(header, name));
    const sel = this.selections;
    if (!sel.length) throw new LookupError('MatchingError', 'No match found.');
    let i = 0;
    while (i < sel.length && x > sel[i]!.key) i++;
    const [less, greater] = i === sel.length ? [sel[i - 1]!, sel[i - 1]!] : i === 0 || x === sel[i]!.key ? [sel[i]!, sel[i]!] : [sel[i - 1]!, sel[i]!];
    const a = this.resolve(less.choice, header);
    const b = less === greater ? a : this.resolve(greater.choice, header);
    return [...(typeof a === 'string' ? [a] : a), ...(typeof b === 'string' ? [b] : b)];
  }
}

/** Build a selector of `kind` (the name written in the mapping). */
export function makeSelector(
  kind: string,
  parameters: readonly string[],
  selections: readonly RawSelection[],
  substitutions: Substitutions,
  mergeOverlaps: boolean,
): Selector | undefined {
  switch (kind) {
    case 'Match': return new MatchSelector(parameters, selections, substitutions, mergeOverlaps);
    case 'UseAfter': return new UseAfterSelector(parameters, selections);
    case 'VersionAfter': return new VersionAfterSelector(parameters, selections);
    case 'SelectVersion': return new SelectVersionSelector(parameters, selections);
    case 'ClosestTime': return new ClosestTimeSelector(parameters, selections);
    case 'GeometricallyNearest': return new GeometricallyNearestSelector(parameters, selections);
    case 'Bracket': return new BracketSelector(parameters, selections);
    default: return undefined;
  }
}
