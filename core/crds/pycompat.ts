/**
 * The few Python value semantics CRDS results depend on: `str()` of a
 * float (shortest repr, scientific outside 1e-4..1e16), `str()` of header
 * values, `repr()` of strings and string lists (used in CRDS messages), and
 * `float()` / `int()` parsing of text.
 */

/** Python's `repr(float)`, e.g. 12 -> '12.0', 1e16 -> '1e+16', 1.5e-5 -> '1.5e-05'. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Python `str(value)` for JSON-like header values. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : pyFloatRepr(v);
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

/** Python `repr(str)`. */
export function pyReprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const c of s) {
    if (c === '\\') out += '\\\\';
    else if (c === q) out += '\\' + q;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c < ' ' || c === '\x7f') out += '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
    else out += c;
  }
  return out + q;
}

/** Python `repr(list_of_str)`. */
export function pyReprList(items: readonly string[]): string {
  return '[' + items.map(pyReprStr).join(', ') + ']';
}

/** Python `repr(tuple_of_str)`. */
export function pyReprTuple(items: readonly string[]): string {
  return '(' + items.map(pyReprStr).join(', ') + (items.length === 1 ? ',)' : ')');
}

const FLOAT_TEXT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** Python `float(text)`; undefined where Python raises ValueError. */
export function pyFloat(text: string): number | undefined {
  const t = text.trim();
  if (FLOAT_TEXT.test(t)) return Number(t.replace(/_/g, ''));
  const l = t.toLowerCase().replace(/^[+]/, '');
  if (l === 'inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (l === 'nan' || l === '-nan') return NaN;
  return undefined;
}

/** Python `int(text)` (base 10); undefined where Python raises ValueError. */
export function pyInt(text: string): number | undefined {
  const t = text.trim();
  return /^[+-]?\d(?:_?\d)*$/.test(t) ? Number(t.replace(/_/g, '')) : undefined;
}

/** Python's default string ordering (code points). */
export function pyCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
