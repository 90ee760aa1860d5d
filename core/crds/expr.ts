/**
 * A small, safe evaluator for the Python expressions CRDS rmap headers use
 * in `rmap_relevance`, `rmap_omit` and `parkey_relevance`, e.g.
 * `(META.EXPOSURE.TYPE not in ("MIR_IMAGE", "NRC_IMAGE"))` or `always`.
 * Supported: or/and/not, comparisons (== != < > <= >= in, not in, is,
 * is not, chained), parentheses, tuples, lists, string/number literals,
 * True/False/None and header names (dotted or with underscores).
 * Nothing is executed; unknown names are an error (Python's NameError).
 */
import { CrdsError } from '../errors/index.ts';

export type ExprValue = string | number | boolean | null | readonly ExprValue[];

type Node =
  | { k: 'lit'; v: ExprValue }
  | { k: 'name'; name: string }
  | { k: 'seq'; items: Node[] }
  | { k: 'not'; a: Node }
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'cmp'; first: Node; ops: string[]; rest: Node[] };

type Tok = { t: 'str' | 'num' | 'name' | 'op'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) { s += src[j + 1]; j += 2; continue; }
        s += src[j++];
      }
      if (j >= src.length) throw new CrdsError('crds-expr', `unterminated string in expression ${JSON.stringify(src)}`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const name = /^[A-Za-z_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|^[A-Za-z_]/.exec(src.slice(i));
    if (name) { out.push({ t: 'name', v: name[0] }); i += name[0].length; continue; }
    const op = /^(==|!=|<=|>=|<|>|\(|\)|\[|\]|,)/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new CrdsError('crds-expr', `unsupported character ${JSON.stringify(c)} in expression ${JSON.stringify(src)}`);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly src: string) {}
  fail(msg: string): never {
    throw new CrdsError('crds-expr', `${msg} in expression ${JSON.stringify(this.src)}`);
  }
  peek(): Tok | undefined { return this.toks[this.i]; }
  isWord(w: string, off = 0): boolean { const t = this.toks[this.i + off]; return !!t && t.t === 'name' && t.v === w; }
  isOp(o: string): boolean { const t = this.peek(); return !!t && t.t === 'op' && t.v === o; }
  parse(): Node {
    const n = this.or();
    if (this.peek()) this.fail(`unexpected '${this.peek()!.v}'`);
    return n;
  }
  or(): Node {
    let a = this.and();
    while (this.isWord('or')) { this.i++; a = { k: 'or', a, b: this.and() }; }
    return a;
  }
  and(): Node {
    let a = this.not();
    while (this.isWord('and')) { this.i++; a = { k: 'and', a, b: this.not() }; }
    return a;
  }
  not(): Node {
    if (this.isWord('not')) { this.i++; return { k: 'not', a: this.not() }; }
    return this.cmp();
  }
  cmp(): Node {
    const first = this.atom();
    const ops: string[] = [];
    const rest: Node[] = [];
    for (;;) {
      const t = this.peek();
      let op: string | undefined;
      if (t?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v)) { op = t.v; this.i++; }
      else if (this.isWord('in')) { op = 'in'; this.i++; }
      else if (this.isWord('not') && this.isWord('in', 1)) { op = 'not in'; this.i += 2; }
      else if (this.isWord('is') && this.isWord('not', 1)) { op = 'is not'; this.i += 2; }
      else if (this.isWord('is')) { op = 'is'; this.i++; }
      if (!op) break;
      ops.push(op);
      rest.push(this.atom());
    }
    return ops.length ? { k: 'cmp', first, ops, rest } : first;
  }
  atom(): Node {
    const t = this.toks[this.i++];
    if (!t) return this.fail('unexpected end');
    if (t.t === 'str') {
      let v = t.v;
      while (this.peek()?.t === 'str') v += this.toks[this.i++]!.v;
      return { k: 'lit', v };
    }
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.t === 'name') {
      if (t.v === 'True') return { k: 'lit', v: true };
      if (t.v === 'False') return { k: 'lit', v: false };
      if (t.v === 'None') return { k: 'lit', v: null };
      return { k: 'name', name: t.v };
    }
    if (t.v === '(' || t.v === '[') {
      const close = t.v === '(' ? ')' : ']';
      const items: Node[] = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.or());
        if (this.isOp(',')) { this.i++; comma = true; } else if (!this.isOp(close)) this.fail(`expected ',' or '${close}'`);
      }
      this.i++;
      if (t.v === '(' && items.length === 1 && !comma) return items[0]!;
      return { k: 'seq', items };
    }
    return this.fail(`unexpected '${t.v}'`);
  }
}

function truthy(v: ExprValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return !!v;
}

function equal(a: ExprValue, b: ExprValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]!));
  return a === b;
}

function compare(op: string, a: ExprValue, b: ExprValue): boolean {
  switch (op) {
    case '==': case 'is': return equal(a, b);
    case '!=': case 'is not': return !equal(a, b);
    case 'in': case 'not in': {
      let r: boolean;
      if (typeof b === 'string') {
        if (typeof a !== 'string') throw new CrdsError('crds-expr', "'in <string>' requires string as left operand");
        r = b.includes(a);
      } else if (Array.isArray(b)) r = b.some((x) => equal(x, a));
      else throw new CrdsError('crds-expr', 'argument of type is not iterable');
      return op === 'in' ? r : !r;
    }
    default: {
      if (typeof a !== typeof b || (typeof a !== 'string' && typeof a !== 'number')) {
        throw new CrdsError('crds-expr', `'${op}' not supported between these operand types`);
      }
      const x = a as string | number;
      const y = b as string | number;
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
}

/** A compiled expression; evaluate against a conditioned header. */
export interface CompiledExpr {
  readonly source: string;
  evaluate(names: ReadonlyMap<string, string>): ExprValue;
}

/** Compile a relevance expression; `always` means True. */
export function compileExpr(source: string): CompiledExpr {
  const text = source.replace(/\balways\b/g, 'True');
  const ast = new Parser(lex(text), source).parse();
  const lookup = (names: ReadonlyMap<string, string>, name: string): ExprValue => {
    const v = names.get(name) ?? names.get(name.replace(/\./g, '_')) ?? names.get(name.replace(/_/g, '.'));
    if (v === undefined) throw new CrdsError('crds-expr', `name '${name}' is not defined`);
    return v;
  };
  const ev = (n: Node, names: ReadonlyMap<string, string>): ExprValue => {
    switch (n.k) {
      case 'lit': return n.v;
      case 'name': return lookup(names, n.name);
      case 'seq': return n.items.map((x) => ev(x, names));
      case 'not': return !truthy(ev(n.a, names));
      case 'and': { const a = ev(n.a, names); return truthy(a) ? ev(n.b, names) : a; }
      case 'or': { const a = ev(n.a, names); return truthy(a) ? a : ev(n.b, names); }
      case 'cmp': {
        let left = ev(n.first, names);
        for (let i = 0; i < n.ops.length; i++) {
          const right = ev(n.rest[i]!, names);
          if (!compare(n.ops[i]!, left, right)) return false;
          left = right;
        }
        return true;
      }
    }
  };
  return { source, evaluate: (names) => ev(ast, names) };
}

export { truthy as exprTruthy };
