/** Pure helpers for the API: NDArray -> transport payload, a small ECSV reader. */
import { WebbError } from '../errors/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import type { ArrayDtype, ArrayPayload } from './types.ts';

/** Copy an NDArray into a fresh ArrayBuffer (64-bit integers become float64). */
export function toPayload(a: NDArray): ArrayPayload {
  if (a.dtype === 'int64' || a.dtype === 'uint64') {
    const src = a.data as BigInt64Array | BigUint64Array;
    return { buffer: Float64Array.from(src, Number).buffer, dtype: 'float64', shape: [...a.shape] };
  }
  const d = a.data as Exclude<typeof a.data, BigInt64Array | BigUint64Array>;
  const copy = d.slice();
  return { buffer: copy.buffer as ArrayBuffer, dtype: a.dtype as ArrayDtype, shape: [...a.shape] };
}

/** Typed view of a payload (renderer and tests). */
export function payloadView(p: ArrayPayload): Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array {
  switch (p.dtype) {
    case 'float32': return new Float32Array(p.buffer);
    case 'float64': return new Float64Array(p.buffer);
    case 'int8': return new Int8Array(p.buffer);
    case 'uint8': return new Uint8Array(p.buffer);
    case 'int16': return new Int16Array(p.buffer);
    case 'uint16': return new Uint16Array(p.buffer);
    case 'int32': return new Int32Array(p.buffer);
    case 'uint32': return new Uint32Array(p.buffer);
  }
}

export interface EcsvTable {
  readonly columns: Map<string, number[]>;
  readonly units: Map<string, string>;
}

/**
 * Numeric columns of an astropy ECSV file (ECSV 1.0: '# ' header with a YAML
 * `datatype` list, then a space-separated header row and data rows).
 */
export function parseEcsv(text: string, file: string): EcsvTable {
  const lines = text.split(/\r?\n/);
  if (!lines[0]?.startsWith('# %ECSV')) throw new WebbError('format', 'not an ECSV file (no "# %ECSV" first line)', { file });
  const units = new Map<string, string>();
  for (const l of lines) {
    const m = /^#\s+-\s+\{name:\s*([^,}]+),(?:.*?unit:\s*([^,}]+))?/.exec(l);
    if (m && m[2]) units.set(m[1].trim(), m[2].trim());
  }
  const body = lines.filter((l) => l.trim() && !l.startsWith('#'));
  if (!body.length) throw new WebbError('format', 'ECSV file has no header row', { file });
  const names = body[0].trim().split(/\s+/);
  const cols = names.map(() => [] as number[]);
  for (let r = 1; r < body.length; r++) {
    const cells = body[r].trim().split(/\s+/);
    if (cells.length !== names.length) throw new WebbError('format', `row ${r} has ${cells.length} values for ${names.length} columns`, { file, line: r + 1 });
    cells.forEach((c, i) => cols[i].push(c === 'nan' || c === '""' ? NaN : Number(c)));
  }
  return { columns: new Map(names.map((n, i) => [n, cols[i]])), units };
}
