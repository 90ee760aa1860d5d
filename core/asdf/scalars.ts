/**
 * YAML 1.1 scalars as ASDF readers resolve them.
 *
 * ASDF trees are YAML 1.1 (ASDF Standard, "The tree"). The implicit types of
 * plain scalars follow the YAML 1.1 type repository (yaml.org/type: bool, int,
 * float, null, timestamp), which is what the reference implementation's YAML
 * loader applies. Notably `09005` is a string (not octal, not decimal), `1e5`
 * is a string (a 1.1 float needs a dot), and `yes`/`off` are booleans.
 */

export const YAML_TAG = 'tag:yaml.org,2002:';
export const TIMESTAMP_TAG = `${YAML_TAG}timestamp`;

/** A node whose tag we keep but do not interpret; survives read -> write unchanged. */
export class Tagged {
  constructor(public tag: string, public value: unknown) {}
}

/** The value inside a Tagged node (or the value itself). */
export function untag(v: unknown): unknown {
  return v instanceof Tagged ? v.value : v;
}

// yaml.org/type/bool.html
const BOOL_TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
// The reference loader does not resolve single-letter y/n; accept them as strings on read but quote them on write.
const BOOL_READ_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_READ_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
// yaml.org/type/null.html
const NULL = /^(?:~|null|Null|NULL|)$/;
// yaml.org/type/int.html
const INT = /^(?:[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
// yaml.org/type/float.html (as the reference loader reads it: a dot is required, exponent sign required)
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
// Looser float forms a YAML 1.2 reader would take as numbers: quote such strings on write.
const FLOAT_LOOSE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// yaml.org/type/timestamp.html
const TIMESTAMP = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** A resolved plain scalar: the JS value, and whether it was a float (so 1.0 stays 1.0). */
export interface Resolved {
  value: unknown;
  isFloat: boolean;
}

function sexagesimal(body: string): number {
  let v = 0;
  for (const part of body.split(':')) v = v * 60 + Number(part);
  return v;
}

/** Parse a YAML 1.1 int; bigint when it does not fit a double exactly. */
export function parseInt11(text: string): number | bigint {
  let s = text.replace(/_/g, '');
  let sign = 1n;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  let big: bigint;
  if (s.includes(':')) return Number(sign) * sexagesimal(s);
  if (s.startsWith('0b')) big = BigInt(s);
  else if (s.startsWith('0x')) big = BigInt(s);
  else if (s.length > 1 && s[0] === '0') big = BigInt('0o' + s.slice(1));
  else big = BigInt(s);
  big *= sign;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big;
}

export function parseFloat11(text: string): number {
  const s = text.replace(/_/g, '');
  const low = s.toLowerCase();
  if (low === '.nan') return NaN;
  if (low === '.inf' || low === '+.inf') return Infinity;
  if (low === '-.inf') return -Infinity;
  if (s.includes(':')) {
    const neg = s[0] === '-';
    const v = sexagesimal(s.replace(/^[-+]/, ''));
    return neg ? -v : v;
  }
  return Number(s);
}

/** Resolve a plain (unquoted, untagged) scalar the way a YAML 1.1 ASDF reader does. */
export function resolvePlain(text: string): Resolved {
  if (NULL.test(text)) return { value: null, isFloat: false };
  if (BOOL_READ_TRUE.test(text)) return { value: true, isFloat: false };
  if (BOOL_READ_FALSE.test(text)) return { value: false, isFloat: false };
  if (INT.test(text)) return { value: parseInt11(text), isFloat: false };
  if (FLOAT.test(text)) return { value: parseFloat11(text), isFloat: true };
  if (TIMESTAMP.test(text)) return { value: new Tagged(TIMESTAMP_TAG, text), isFloat: false };
  return { value: text, isFloat: false };
}

/** Whether a string must be quoted so that no YAML 1.1 or 1.2 reader takes it for another type. */
export function needsQuotes(s: string): boolean {
  if (resolvePlain(s).value !== s) return true;
  return BOOL_TRUE.test(s) || BOOL_FALSE.test(s) || FLOAT_LOOSE.test(s) || /^[-+]?0o[0-7]+$/.test(s)
    || s === '<<' || s === '=' || /^[-+]?\.(?:inf|Inf|INF)$/.test(s) || /^\.(?:nan|NaN|NAN)$/.test(s);
}

/** Format a number as a YAML 1.1 float: always with a dot, signed exponent (so it reads back as a float). */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  const e = s.indexOf('e');
  if (e < 0) return s.includes('.') ? s : s + '.0';
  const mant = s.slice(0, e);
  return (mant.includes('.') ? mant : mant + '.0') + s.slice(e);
}

// Integral floats (1.0) cannot be told from ints (1) once they are JS numbers, so the
// container remembers which of its slots held floats. The mark is a non-enumerable
// symbol property: invisible to JSON, Object.keys and deep-equality.
const FLOAT_SLOTS: unique symbol = Symbol('asdf.floatSlots');
type Marked = { [FLOAT_SLOTS]?: Set<string | number> };

/** Remember that `container[key]` is a float even if its value is integral. */
export function markFloat(container: object, key: string | number): void {
  const c = container as Marked;
  let set = c[FLOAT_SLOTS];
  if (!set) {
    set = new Set();
    Object.defineProperty(container, FLOAT_SLOTS, { value: set, enumerable: false, configurable: true });
  }
  set.add(key);
}

/** Whether `container[key]` was read as (or marked as) a float. */
export function isMarkedFloat(container: object, key: string | number): boolean {
  return (container as Marked)[FLOAT_SLOTS]?.has(key) ?? false;
}
