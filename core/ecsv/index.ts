/**
 * ECSV 1.0 (Enhanced Character Separated Values, astropy APE 6) writer and
 * reader for the small tables the pipeline writes (white_light's _whtlt.ecsv).
 * The header is YAML behind '# '; the body is space-delimited with a
 * header row of column names. Floats are written as Python's repr writes them
 * (shortest round-trip digits, exponent when exp < -4 or >= 16), so a file we
 * write is byte-identical to astropy's for the same values.
 */
import { parse as parseYaml } from 'yaml';
import { WebbError } from '../errors/index.ts';

export type EcsvDatatype = 'float64' | 'float32' | 'int64' | 'int32' | 'int16' | 'uint8' | 'bool' | 'string';
export type EcsvScalar = string | number | boolean | null;

export interface EcsvColumn {
  name: string;
  datatype: EcsvDatatype;
  unit?: string;
  /** One value per row. */
  data: ArrayLike<number> | readonly (string | boolean | null)[];
}

export interface EcsvTable {
  columns: EcsvColumn[];
  /** Table meta in order (written as a YAML !!omap). */
  meta: Array<[string, EcsvScalar]>;
}

/** Format a float as Python's repr() does (float64 semantics). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\-/ ]*$/;
const YAML_WORDS = /^(null|true|false|yes|no|on|off|~)$/i;

/** A YAML flow scalar for a meta value (quoted when plain style would change its meaning). */
function yamlScalar(v: EcsvScalar): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (v !== '' && PLAIN.test(v) && !YAML_WORDS.test(v) && !v.endsWith(' ')) return v;
  return `'${v.replace(/'/g, "''")}'`;
}

function cell(c: EcsvColumn, i: number): string {
  const v = (c.data as ArrayLike<unknown>)[i];
  if (c.datatype === 'string') {
    const s = v === null || v === undefined ? '' : String(v);
    return /[\s"]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
  }
  if (c.datatype === 'bool') return v ? 'True' : 'False';
  if (c.datatype === 'float64' || c.datatype === 'float32') return pyFloat(Number(v));
  return String(v);
}

/**
 * Write an ECSV 1.0 file. Columns with a unit are declared as astropy
 * Quantity columns (__serialized_columns__), as a QTable writes them.
 */
export function writeEcsv(t: EcsvTable): string {
  const lines = ['%ECSV 1.0', '---', 'datatype:'];
  for (const c of t.columns) {
    const unit = c.unit !== undefined ? `, unit: ${yamlScalar(c.unit)}` : '';
    lines.push(`- {name: ${yamlScalar(c.name)}${unit}, datatype: ${c.datatype}}`);
  }
  const quantities = t.columns.filter((c) => c.unit !== undefined);
  if (t.meta.length > 0 || quantities.length > 0) {
    lines.push('meta: !!omap');
    for (const [k, v] of t.meta) lines.push(`- {${yamlScalar(k)}: ${yamlScalar(v)}}`);
    if (quantities.length > 0) {
      lines.push('- __serialized_columns__:');
      for (const c of quantities) {
        lines.push(`    ${c.name}:`, '      __class__: astropy.units.quantity.Quantity');
        lines.push(`      unit: !astropy.units.Unit {unit: ${yamlScalar(c.unit ?? '')}}`);
        lines.push(`      value: !astropy.table.SerializedColumn {name: ${yamlScalar(c.name)}}`);
      }
    }
  }
  lines.push('schema: astropy-2.0');
  const out = lines.map((l) => `# ${l}`);
  out.push(t.columns.map((c) => c.name).join(' '));
  const nrows = t.columns.length ? t.columns[0].data.length : 0;
  for (let i = 0; i < nrows; i++) out.push(t.columns.map((c) => cell(c, i)).join(' '));
  return out.join('\n') + '\n';
}

function splitRow(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let s = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { s += '"'; i += 2; continue; }
        if (line[i] === '"') { i++; break; }
        s += line[i++];
      }
      out.push(s);
    } else {
      const j = line.indexOf(' ', i);
      out.push(line.slice(i, j < 0 ? line.length : j));
      i = j < 0 ? line.length : j;
    }
  }
  return out;
}

function parseNumber(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

interface YamlHeader {
  datatype?: Array<{ name: string; datatype?: string; unit?: string }>;
  meta?: unknown;
}

function metaPairs(meta: unknown): Array<[string, EcsvScalar]> {
  const out: Array<[string, EcsvScalar]> = [];
  const push = (k: string, v: unknown): void => {
    if (k !== '__serialized_columns__' && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) out.push([k, v as EcsvScalar]);
  };
  if (meta instanceof Map) for (const [k, v] of meta) push(String(k), v);
  else if (Array.isArray(meta)) for (const e of meta) for (const [k, v] of Object.entries(e as object)) push(k, v);
  else if (meta && typeof meta === 'object') for (const [k, v] of Object.entries(meta)) push(k, v);
  return out;
}

/** Read an ECSV 1.0 file (space delimiter). Throws WebbError('bad-ecsv') naming the line. */
export function readEcsv(text: string, file?: string): EcsvTable {
  const lines = text.split(/\r?\n/);
  if (!lines[0]?.startsWith('# %ECSV')) throw new WebbError('bad-ecsv', 'not an ECSV file: the first line is not "# %ECSV <version>"', { file, line: 1 });
  const hdr: string[] = [];
  let i = 1;
  for (; i < lines.length && lines[i].startsWith('#'); i++) hdr.push(lines[i].replace(/^# ?/, ''));
  let y: YamlHeader;
  try {
    y = parseYaml(hdr.join('\n'), { schema: 'yaml-1.1', logLevel: 'silent', mapAsMap: false }) as YamlHeader;
  } catch (e) {
    throw new WebbError('bad-ecsv', `ECSV header is not valid YAML: ${(e as Error).message}`, { file }, { cause: e });
  }
  if (!y || !Array.isArray(y.datatype)) throw new WebbError('bad-ecsv', 'ECSV header has no datatype list', { file });
  const names = splitRow(lines[i] ?? '');
  const decl = y.datatype;
  if (names.join(' ') !== decl.map((d) => d.name).join(' ')) {
    throw new WebbError('bad-ecsv', `column names row "${names.join(' ')}" does not match the header datatype list`, { file, line: i + 1 });
  }
  const rows = lines.slice(i + 1).filter((l) => l.trim() !== '').map((l, k) => {
    const r = splitRow(l);
    if (r.length !== names.length) throw new WebbError('bad-ecsv', `row has ${r.length} values, expected ${names.length}`, { file, line: i + 2 + k });
    return r;
  });
  const columns: EcsvColumn[] = decl.map((d, c) => {
    const datatype = (d.datatype ?? 'string') as EcsvDatatype;
    const raw = rows.map((r) => r[c]);
    const data = datatype === 'string' ? raw : datatype === 'bool' ? raw.map((s) => s === 'True') : Float64Array.from(raw.map(parseNumber));
    return { name: d.name, datatype, ...(d.unit !== undefined ? { unit: d.unit } : {}), data };
  });
  return { columns, meta: metaPairs(y.meta) };
}
