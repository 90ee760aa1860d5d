/**
 * Match-key patterns of the CRDS rmap syntax (rmap_syntax.rst, "Match"):
 * literal values, `*` and `|` globs, `N/A` (don't care), `(regex)`,
 * `{literal}`, `#relational expression#`, `between lo hi`, `>n` / `<=n`
 * and `not <pattern>`. `match(value)` returns 1 (match), 0 (don't care)
 * or -1 (no match); a dataset value of `*` matches anything and `N/A` is
 * don't-care for every pattern.
 */
import { pyFloat } from './pycompat.ts';

export interface Matcher {
  match(value: string): 1 | 0 | -1;
}

function base(key: string, value: string): 1 | 0 | -1 {
  if (value === key || value === '*') return 1;
  if (value === 'N/A') return 0;
  return -1;
}

class LiteralMatcher implements Matcher {
  constructor(private readonly key: string) {}
  match(value: string): 1 | 0 | -1 {
    return base(this.key, value);
  }
}

class RegexMatcher implements Matcher {
  private readonly re: RegExp;
  constructor(private readonly key: string, source: string) {
    this.re = new RegExp(source);
  }
  match(value: string): 1 | 0 | -1 {
    const r = base(this.key, value);
    if (r !== -1) return r;
    // Python re.match anchors at the start only.
    const m = this.re.exec(value);
    return m && m.index === 0 ? 1 : -1;
  }
}

class NaMatcher implements Matcher {
  match(): 0 {
    return 0;
  }
}

class InequalityMatcher implements Matcher {
  private readonly op: string;
  private readonly limit: number;
  constructor(private readonly key: string) {
    const m = /^([><]=?)\s*([-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)/.exec(key);
    if (!m) throw new Error(`bad inequality ${key}`);
    this.op = m[1]!;
    this.limit = Number(m[2]);
  }
  match(value: string): 1 | 0 | -1 {
    const r = base(this.key, value);
    if (r !== -1) return r;
    const v = pyFloat(value);
    if (v === undefined) return -1;
    const ok = this.op === '>' ? v > this.limit : this.op === '<' ? v < this.limit : this.op === '>=' ? v >= this.limit : v <= this.limit;
    return ok ? 1 : -1;
  }
}

class BinaryMatcher implements Matcher {
  private readonly a: Matcher;
  private readonly b: Matcher;
  constructor(private readonly key: string, private readonly op: 'AND' | 'OR') {
    let k = key;
    if (k.trim().startsWith('#')) k = k.trim().slice(1, -1);
    const parts = k.split(op).map((x) => x.trim());
    this.a = makeMatcher(parts[0]!);
    this.b = makeMatcher(parts[1]!);
  }
  match(value: string): 1 | 0 | -1 {
    const v = value.toUpperCase();
    const r = base(this.key, v);
    if (r !== -1) return r;
    const a = this.a.match(v) === 1;
    const b = this.b.match(v) === 1;
    return (this.op === 'AND' ? a && b : a || b) ? 1 : -1;
  }
}

class NotMatcher implements Matcher {
  private readonly inner: Matcher;
  constructor(key: string) {
    this.inner = makeMatcher(key.slice(4).trim());
  }
  match(value: string): 1 | 0 | -1 {
    const r = this.inner.match(value);
    return r === 1 ? -1 : r === -1 ? 1 : 0;
  }
}

/** Python fnmatch.translate, anchored. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 2);
      if (j < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^')) body = '\\' + body;
        out += '[' + body + ']';
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return `(?:${out})`;
}

/** `A|B | C` -> sorted stripped alternatives; esoteric keys are left whole. */
export function globList(value: string): string[] {
  if (!esotericKey(value) && value.includes('|')) {
    return value.split('|').map((v) => v.trim()).filter((v) => v).sort();
  }
  return [value];
}

/** Keys whose validation is a tautology or too complicated to check. */
export function esotericKey(key: string): boolean {
  const k = key.toUpperCase();
  return (/^[{(#]/.test(k) && /[})#]$/.test(k)) || k.startsWith('BETWEEN') || k.startsWith('NOT');
}

/** The matcher for one (conditioned) match-key element. */
export function makeMatcher(key: string): Matcher {
  if (key.startsWith('(') && key.endsWith(')')) return new RegexMatcher(key, key.slice(1, -1));
  if (key.startsWith('{') && key.endsWith('}')) return new LiteralMatcher(key.slice(1, -1));
  if (key.startsWith('#') && key.endsWith('#')) {
    const k = key.toUpperCase();
    if (k.includes(' AND ')) return new BinaryMatcher(k, 'AND');
    if (k.includes(' OR ')) return new BinaryMatcher(k, 'OR');
    return makeMatcher(k.slice(1, -1));
  }
  if (key.toUpperCase().startsWith('BETWEEN')) {
    const parts = key.split(/\s+/).filter((x) => x);
    if (parts.length !== 3 || Number(parts[1]) > Number(parts[2])) throw new Error(`Invalid between relation '${key}'`);
    return new BinaryMatcher(`>=${parts[1]} AND <${parts[2]}`, 'AND');
  }
  if (key.toUpperCase().startsWith('NOT ')) return new NotMatcher(key);
  if (key.includes('|') || key.includes('*')) {
    const source = '^(' + globList(key).map(globToRegex).join('|') + ')$';
    return new RegexMatcher(key, source);
  }
  if (key === 'N/A') return new NaMatcher();
  if (key.startsWith('>') || key.startsWith('<')) return new InequalityMatcher(key);
  return new LiteralMatcher(key);
}
