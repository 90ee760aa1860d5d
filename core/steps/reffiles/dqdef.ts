/**
 * DQ_DEF translation: a reference file's DQ values are defined by its DQ_DEF
 * table (BIT, VALUE, NAME, DESCRIPTION); the pipeline maps each named bit to
 * the standard JWST flag of the same name (jwst docs, "Data Quality Flags":
 * reference-file DQ arrays are translated through DQ_DEF, "dynamic mask").
 */
import { DQ, type DqFlagName } from '../../datamodels/dq.ts';

export interface DqDefRow { readonly value: number; readonly name: string }

/**
 * Translate reference DQ values to standard flags. Rows whose NAME is not a
 * standard flag are dropped (their bits do not reach the science DQ).
 * Without a table the values are taken as standard flags already.
 * @returns a new Uint32Array; `unknown` lists the names that were dropped.
 */
export function translateDq(dq: ArrayLike<number>, def: readonly DqDefRow[] | undefined): { dq: Uint32Array; unknown: string[] } {
  const out = new Uint32Array(dq.length);
  if (!def || def.length === 0) {
    for (let i = 0; i < dq.length; i++) out[i] = dq[i] >>> 0;
    return { dq: out, unknown: [] };
  }
  const pairs: Array<[number, number]> = [];
  const unknown: string[] = [];
  for (const r of def) {
    const std = (DQ as Record<string, number>)[r.name.trim().toUpperCase() as DqFlagName];
    if (std === undefined) unknown.push(r.name.trim());
    else if (r.value !== 0) pairs.push([r.value >>> 0, std >>> 0]);
  }
  // Fast path: identity mapping (the usual case).
  if (pairs.every(([v, s]) => v === s)) {
    let mask = 0;
    for (const [v] of pairs) mask = (mask | v) >>> 0;
    for (let i = 0; i < dq.length; i++) out[i] = (dq[i] & mask) >>> 0;
    return { dq: out, unknown };
  }
  for (let i = 0; i < dq.length; i++) {
    const v = dq[i] >>> 0;
    if (v === 0) continue;
    let o = 0;
    for (const [rv, s] of pairs) if (((v & rv) >>> 0) === rv) o |= s;
    out[i] = o >>> 0;
  }
  return { dq: out, unknown };
}
