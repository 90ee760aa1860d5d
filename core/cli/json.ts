/**
 * JSON with the encoding `webbdesk info --json` promises: integers beyond
 * 2^53 as decimal strings, NaN and infinities as "NaN", "Infinity",
 * "-Infinity", typed arrays as (nested) arrays, undefined as null.
 */
export function toJsonValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v).toString();
    return v;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>, toJsonValue);
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (typeof v === 'object') {
    if ('re' in v && 'im' in v && Object.keys(v).length === 2) return [toJsonValue((v as { re: unknown }).re), toJsonValue((v as { im: unknown }).im)];
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJsonValue(x);
    return out;
  }
  return v;
}

export function toJson(v: unknown, indent?: number): string {
  return JSON.stringify(toJsonValue(v), null, indent);
}
