/**
 * A parser for the restricted Python literal syntax CRDS mappings and the
 * cached `server_config` are written in (rmap_syntax.rst: "written in a
 * subset of Python"). Nothing is evaluated: the text becomes plain values.
 *
 * Supported: strings in both quote styles, triple-quoted strings, raw and
 * byte prefixes, escapes, implicit concatenation of adjacent strings, ints,
 * floats, True/False/None, tuples, lists, dicts (keys may be tuples), calls
 * `Name(arg, ...)` (selectors), `name = value` statements and `#` comments.
 */
import { CrdsError } from '../errors/index.ts';

export type PyValue = string | number | boolean | null | PyList | PyTuple | PyDict | PyCall;

export interface PyList { readonly kind: 'list'; readonly items: readonly PyValue[] }
export interface PyTuple { readonly kind: 'tuple'; readonly items: readonly PyValue[] }
/** Dict entries in source order; `line` is the 1-based line of each key. */
export interface PyDict { readonly kind: 'dict'; readonly entries: readonly PyDictEntry[] }
export interface PyDictEntry { readonly key: PyValue; readonly value: PyValue; readonly line: number }
export interface PyCall { readonly kind: 'call'; readonly name: string; readonly args: readonly PyValue[]; readonly line: number }

/** One `name = value` statement at top level. */
export interface PyAssignment { readonly name: string; readonly value: PyValue; readonly line: number }

type Tok =
  | { t: 'str'; v: string; line: number }
  | { t: 'num'; v: number; line: number }
  | { t: 'name'; v: string; line: number }
  | { t: 'op'; v: string; line: number }
  | { t: 'nl'; line: number }
  | { t: 'eof'; line: number };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

const NAME_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
/** A run of string characters needing no attention (no quote, backslash or newline). */
const PLAIN_RE = /[^'"\\\n]*/y;

class Lexer {
  private pos = 0;
  private line = 1;
  private depth = 0;
  constructor(private readonly src: string, private readonly file: string) {}

  fail(message: string, line = this.line): never {
    throw new CrdsError('crds-syntax', message, { file: this.file, line });
  }

  tokens(): Tok[] {
    const out: Tok[] = [];
    for (;;) {
      const tok = this.next();
      out.push(tok);
      if (tok.t === 'eof') return out;
    }
  }

  private next(): Tok {
    const s = this.src;
    for (;;) {
      if (this.pos >= s.length) return { t: 'eof', line: this.line };
      const c = s[this.pos]!;
      if (c === '\n') {
        this.pos++;
        this.line++;
        if (this.depth === 0) return { t: 'nl', line: this.line - 1 };
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f') { this.pos++; continue; }
      if (c === '\\' && s[this.pos + 1] === '\n') { this.pos += 2; this.line++; continue; }
      if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
        continue;
      }
      break;
    }
    const line = this.line;
    const c = s[this.pos]!;
    if (c === "'" || c === '"') return { t: 'str', v: this.string(false), line };
    const PREFIX = 'rRbBuU';
    if (PREFIX.includes(c)) {
      const d = s[this.pos + 1] ?? '';
      const e = s[this.pos + 2] ?? '';
      const n = d === "'" || d === '"' ? 1 : PREFIX.includes(d) && d !== '' && (e === "'" || e === '"') ? 2 : 0;
      if (n) {
        const raw = /[rR]/.test(s.slice(this.pos, this.pos + n));
        this.pos += n;
        return { t: 'str', v: this.string(raw), line };
      }
    }
    const code = c.charCodeAt(0);
    if ((code >= 48 && code <= 57) || (c === '.' && /[0-9]/.test(s[this.pos + 1] ?? ''))) return { t: 'num', v: this.number(), line };
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || c === '_') {
      NAME_RE.lastIndex = this.pos;
      const m = NAME_RE.exec(s)!;
      this.pos += m[0].length;
      return { t: 'name', v: m[0], line };
    }
    if ('([{'.includes(c)) this.depth++;
    if (')]}'.includes(c)) this.depth = Math.max(0, this.depth - 1);
    if ('()[]{},:=-+'.includes(c)) { this.pos++; return { t: 'op', v: c, line }; }
    this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private number(): number {
    const m = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)[jJlL]?/.exec(
      this.src.slice(this.pos, this.pos + 64),
    );
    const text = m?.[0] ?? '';
    if (!text) this.fail('bad number');
    this.pos += text.length;
    const clean = text.replace(/_/g, '').replace(/[lL]$/, '');
    if (/[jJ]$/.test(clean)) this.fail(`complex numbers are not supported: ${text}`);
    const v = /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : Number(clean);
    if (Number.isNaN(v)) this.fail(`bad number ${JSON.stringify(text)}`);
    return v;
  }

  private string(raw: boolean): string {
    const s = this.src;
    const q = s[this.pos]!;
    const triple = s.startsWith(q.repeat(3), this.pos);
    const startLine = this.line;
    this.pos += triple ? 3 : 1;
    let out = '';
    for (;;) {
      PLAIN_RE.lastIndex = this.pos;
      const run = PLAIN_RE.exec(s)![0];
      out += run;
      this.pos += run.length;
      if (this.pos >= s.length) this.fail('unterminated string', startLine);
      const c = s[this.pos]!;
      if (triple ? s.startsWith(q.repeat(3), this.pos) : c === q) {
        this.pos += triple ? 3 : 1;
        return out;
      }
      if (c === '\n') {
        if (!triple) this.fail('unterminated string', startLine);
        this.line++;
      }
      if (c === '\\') {
        const d = s[this.pos + 1];
        if (d === undefined) this.fail('unterminated string', startLine);
        if (raw) { out += c + d; this.pos += 2; if (d === '\n') this.line++; continue; }
        out += this.escape();
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  private escape(): string {
    const s = this.src;
    const d = s[this.pos + 1]!;
    if (d in SIMPLE_ESCAPES) {
      if (d === '\n') this.line++;
      this.pos += 2;
      return SIMPLE_ESCAPES[d]!;
    }
    const hex = (n: number): string => {
      const h = s.slice(this.pos + 2, this.pos + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) this.fail(`bad \\${d} escape`);
      this.pos += 2 + n;
      return String.fromCodePoint(parseInt(h, 16));
    };
    if (d === 'x') return hex(2);
    if (d === 'u') return hex(4);
    if (d === 'U') return hex(8);
    const oct = /^[0-7]{1,3}/.exec(s.slice(this.pos + 1, this.pos + 4));
    if (oct) {
      this.pos += 1 + oct[0].length;
      return String.fromCharCode(parseInt(oct[0], 8));
    }
    // Python keeps unknown escapes as written.
    this.pos += 2;
    return '\\' + d;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly file: string) {}

  fail(message: string, tok: Tok = this.peek()): never {
    throw new CrdsError('crds-syntax', message, { file: this.file, line: tok.line });
  }
  peek(): Tok { return this.toks[this.i]!; }
  take(): Tok { return this.toks[this.i++]!; }
  isOp(v: string): boolean { const t = this.peek(); return t.t === 'op' && t.v === v; }
  expectOp(v: string): void {
    const t = this.take();
    if (t.t !== 'op' || t.v !== v) this.fail(`expected '${v}' but found ${describe(t)}`, t);
  }

  statements(): PyAssignment[] {
    const out: PyAssignment[] = [];
    for (;;) {
      const t = this.take();
      if (t.t === 'eof') return out;
      if (t.t === 'nl') continue;
      if (t.t !== 'name') this.fail(`expected an assignment 'name = ...' but found ${describe(t)}`, t);
      this.expectOp('=');
      const value = this.value();
      const end = this.take();
      if (end.t !== 'nl' && end.t !== 'eof') this.fail(`unexpected ${describe(end)} after the value of '${t.v}'`, end);
      out.push({ name: t.v, value, line: t.line });
      if (end.t === 'eof') return out;
    }
  }

  value(): PyValue {
    const t = this.take();
    switch (t.t) {
      case 'str': {
        let v = t.v;
        while (this.peek().t === 'str') v += (this.take() as { v: string }).v;
        return v;
      }
      case 'num': return t.v;
      case 'name': {
        if (t.v === 'True') return true;
        if (t.v === 'False') return false;
        if (t.v === 'None') return null;
        if (this.isOp('(')) {
          this.take();
          const args = this.sequence(')');
          return { kind: 'call', name: t.v, args, line: t.line };
        }
        return this.fail(`unknown name '${t.v}'`, t);
      }
      case 'op': {
        if (t.v === '-' || t.v === '+') {
          const n = this.take();
          if (n.t !== 'num') this.fail(`expected a number after '${t.v}'`, n);
          return t.v === '-' ? -n.v : n.v;
        }
        if (t.v === '(') {
          if (this.isOp(')')) { this.take(); return { kind: 'tuple', items: [] }; }
          const first = this.value();
          if (this.isOp(')')) { this.take(); return first; } // parenthesised value
          this.expectOp(',');
          return { kind: 'tuple', items: [first, ...this.sequence(')')] };
        }
        if (t.v === '[') return { kind: 'list', items: this.sequence(']') };
        if (t.v === '{') return this.dict();
        return this.fail(`unexpected ${describe(t)}`, t);
      }
      default:
        return this.fail(`unexpected ${describe(t)}`, t);
    }
  }

  /** Comma-separated values up to `close`, trailing comma allowed. */
  private sequence(close: string): PyValue[] {
    const items: PyValue[] = [];
    while (!this.isOp(close)) {
      items.push(this.value());
      if (this.isOp(',')) this.take();
      else if (!this.isOp(close)) this.fail(`expected ',' or '${close}' but found ${describe(this.peek())}`);
    }
    this.take();
    return items;
  }

  private dict(): PyDict {
    const entries: PyDictEntry[] = [];
    while (!this.isOp('}')) {
      const line = this.peek().line;
      const key = this.value();
      this.expectOp(':');
      const value = this.value();
      entries.push({ key, value, line });
      if (this.isOp(',')) this.take();
      else if (!this.isOp('}')) this.fail(`expected ',' or '}' but found ${describe(this.peek())}`);
    }
    this.take();
    return { kind: 'dict', entries };
  }
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'eof': return 'end of file';
    case 'nl': return 'end of line';
    case 'str': return `string ${JSON.stringify(t.v.length > 40 ? t.v.slice(0, 40) + '...' : t.v)}`;
    case 'num': return `number ${t.v}`;
    default: return `'${t.v}'`;
  }
}

/** Parse a file of `name = literal` statements. Errors carry file and line. */
export function parsePyAssignments(text: string, file = '<text>'): PyAssignment[] {
  return new Parser(new Lexer(text, file).tokens(), file).statements();
}

/** Parse one literal expression (e.g. the whole of `server_config`). */
export function parsePyLiteral(text: string, file = '<text>'): PyValue {
  const p = new Parser(new Lexer(text, file).tokens().filter((t) => t.t !== 'nl'), file);
  const v = p.value();
  if (p.peek().t !== 'eof') p.fail(`unexpected ${describe(p.peek())} after the value`);
  return v;
}

export function isDict(v: PyValue): v is PyDict { return typeof v === 'object' && v !== null && v.kind === 'dict'; }
export function isSeq(v: PyValue): v is PyList | PyTuple {
  return typeof v === 'object' && v !== null && (v.kind === 'list' || v.kind === 'tuple');
}

/** Convert to plain JSON-like data (dicts with non-string keys use `String(key)`). */
export function toPlain(v: PyValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.map(toPlain);
  if (v.kind === 'dict') {
    const o: Record<string, unknown> = {};
    for (const e of v.entries) o[typeof e.key === 'string' ? e.key : pyRepr(e.key)] = toPlain(e.value);
    return o;
  }
  return { call: v.name, args: v.args.map(toPlain) };
}

/** Python-style repr, used in messages. */
export function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return quote(v);
  if (v.kind === 'list') return '[' + v.items.map(pyRepr).join(', ') + ']';
  if (v.kind === 'tuple') return '(' + v.items.map(pyRepr).join(', ') + (v.items.length === 1 ? ',)' : ')');
  if (v.kind === 'dict') return '{' + v.entries.map((e) => pyRepr(e.key) + ': ' + pyRepr(e.value)).join(', ') + '}';
  return v.name + '(' + v.args.map(pyRepr).join(', ') + ')';
}

/** Python's str repr: single quotes unless the text contains one and no double quote. */
export function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q).replace(/\n/g, '\\n') + q;
}
