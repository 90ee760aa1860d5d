/**
 * A tiny argument validator: one schema per API method, checked on the
 * serving side of every transport before the service sees the arguments.
 * Unknown keys are refused; strings and arrays have length limits; numbers
 * must be finite. Failure throws WebbError('invalid-argument') naming the
 * method and the path of the bad value.
 */
import { WebbError } from '../errors/index.ts';

export type Schema =
  | { readonly t: 'string'; readonly max: number; readonly pattern?: RegExp; readonly oneOf?: readonly string[] }
  | { readonly t: 'number'; readonly int: boolean; readonly min: number; readonly max: number }
  | { readonly t: 'boolean' }
  | { readonly t: 'null' }
  | { readonly t: 'array'; readonly item: Schema; readonly max: number }
  | { readonly t: 'object'; readonly props: Readonly<Record<string, Schema>>; readonly optional: readonly string[] }
  | { readonly t: 'record'; readonly value: Schema; readonly max: number; readonly key: RegExp }
  | { readonly t: 'union'; readonly of: readonly Schema[] };

const MAX_PATH = 4096;

/** Builders. */
export const s = {
  string: (o: { max?: number; pattern?: RegExp; oneOf?: readonly string[] } = {}): Schema => ({ t: 'string', max: o.max ?? 1024, pattern: o.pattern, oneOf: o.oneOf }),
  path: (): Schema => ({ t: 'string', max: MAX_PATH, pattern: /^[^\0]+$/ }),
  int: (min = 0, max = 2 ** 31): Schema => ({ t: 'number', int: true, min, max }),
  number: (min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Schema => ({ t: 'number', int: false, min, max }),
  boolean: (): Schema => ({ t: 'boolean' }),
  null: (): Schema => ({ t: 'null' }),
  array: (item: Schema, max = 10_000): Schema => ({ t: 'array', item, max }),
  /** Keys ending in '?' are optional. */
  object: (props: Record<string, Schema>): Schema => {
    const out: Record<string, Schema> = {};
    const optional: string[] = [];
    for (const [k, v] of Object.entries(props)) {
      const name = k.endsWith('?') ? k.slice(0, -1) : k;
      if (k.endsWith('?')) optional.push(name);
      out[name] = v;
    }
    return { t: 'object', props: out, optional };
  },
  record: (value: Schema, max = 1000, key = /^[A-Za-z_][A-Za-z0-9_.]{0,127}$/): Schema => ({ t: 'record', value, max, key }),
  union: (...of: Schema[]): Schema => ({ t: 'union', of }),
};

/** Why `v` does not match `schema`, or null. `at` is the path for messages. */
export function check(schema: Schema, v: unknown, at: string): string | null {
  switch (schema.t) {
    case 'string':
      if (typeof v !== 'string') return `${at} must be a string`;
      if (v.length > schema.max) return `${at} is longer than ${schema.max} characters`;
      if (schema.pattern && !schema.pattern.test(v)) return `${at} ${JSON.stringify(v.slice(0, 80))} is not allowed`;
      if (schema.oneOf && !schema.oneOf.includes(v)) return `${at} must be one of ${schema.oneOf.join(', ')}, not ${JSON.stringify(v.slice(0, 80))}`;
      return null;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${at} must be a finite number`;
      if (schema.int && !Number.isInteger(v)) return `${at} must be an integer, not ${v}`;
      if (v < schema.min || v > schema.max) return `${at} must be in [${schema.min}, ${schema.max}], not ${v}`;
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? null : `${at} must be true or false`;
    case 'null':
      return v === null ? null : `${at} must be null`;
    case 'array': {
      if (!Array.isArray(v)) return `${at} must be a list`;
      if (v.length > schema.max) return `${at} has more than ${schema.max} items`;
      for (let i = 0; i < v.length; i++) {
        const e = check(schema.item, v[i], `${at}[${i}]`);
        if (e) return e;
      }
      return null;
    }
    case 'object': {
      if (!isPlainObject(v)) return `${at} must be an object`;
      for (const k of Object.keys(v)) if (!(k in schema.props)) return `${at} has an unknown field '${k.slice(0, 64)}'`;
      for (const [k, sub] of Object.entries(schema.props)) {
        if (!(k in v) || v[k] === undefined) {
          if (schema.optional.includes(k)) continue;
          return `${at}.${k} is required`;
        }
        const e = check(sub, v[k], `${at}.${k}`);
        if (e) return e;
      }
      return null;
    }
    case 'record': {
      if (!isPlainObject(v)) return `${at} must be an object`;
      const keys = Object.keys(v);
      if (keys.length > schema.max) return `${at} has more than ${schema.max} entries`;
      for (const k of keys) {
        if (!schema.key.test(k)) return `${at} has a bad key ${JSON.stringify(k.slice(0, 64))}`;
        const e = check(schema.value, v[k], `${at}.${k}`);
        if (e) return e;
      }
      return null;
    }
    case 'union': {
      let first: string | null = null;
      for (const alt of schema.of) {
        const e = check(alt, v, at);
        if (!e) return null;
        first ??= e;
      }
      return first;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/** Throw WebbError('invalid-argument') unless `v` matches. */
export function validate(method: string, schema: Schema, v: unknown): void {
  const e = check(schema, v, 'args');
  if (e) throw new WebbError('invalid-argument', `${method}: ${e}`, { parameter: method });
}
