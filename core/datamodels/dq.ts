/**
 * The JWST data-quality flags (pixel DQ and group DQ share the bit table),
 * as defined for the jwst pipeline ("Data Quality Flags" in the jwst docs,
 * stdatamodels dqflags). Bit n has value 2**n.
 */
import type { NDArray } from '../ndarray/index.ts';

export const DQ_FLAG_NAMES = [
  'DO_NOT_USE', 'SATURATED', 'JUMP_DET', 'DROPOUT', 'OUTLIER', 'PERSISTENCE', 'AD_FLOOR', 'CHARGELOSS',
  'UNRELIABLE_ERROR', 'NON_SCIENCE', 'DEAD', 'HOT', 'WARM', 'LOW_QE', 'RC', 'TELEGRAPH',
  'NONLINEAR', 'BAD_REF_PIXEL', 'NO_FLAT_FIELD', 'NO_GAIN_VALUE', 'NO_LIN_CORR', 'NO_SAT_CHECK', 'UNRELIABLE_BIAS', 'UNRELIABLE_DARK',
  'UNRELIABLE_SLOPE', 'UNRELIABLE_FLAT', 'OPEN', 'ADJ_OPEN', 'FLUX_ESTIMATED', 'MSA_FAILED_OPEN', 'OTHER_BAD_PIXEL', 'REFERENCE_PIXEL',
] as const;

export type DqFlagName = (typeof DQ_FLAG_NAMES)[number];

/** Flag name -> value (2**bit), e.g. DQ.SATURATED === 2. */
export const DQ: Readonly<Record<DqFlagName, number>> = Object.freeze(
  Object.fromEntries(DQ_FLAG_NAMES.map((n, bit) => [n, 2 ** bit])) as Record<DqFlagName, number>,
);

/** Names of the flags set in `value`, lowest bit first. */
export function decodeDq(value: number): DqFlagName[] {
  const out: DqFlagName[] = [];
  const v = value >>> 0;
  for (let bit = 0; bit < 32; bit++) if (v & (1 << bit)) out.push(DQ_FLAG_NAMES[bit]);
  return out;
}

/** OR of the named flags; throws on an unknown name. */
export function encodeDq(names: readonly string[]): number {
  let v = 0;
  for (const n of names) {
    const bit = (DQ_FLAG_NAMES as readonly string[]).indexOf(n.toUpperCase());
    if (bit < 0) throw new RangeError(`unknown DQ flag name '${n}'`);
    v = (v | (1 << bit)) >>> 0;
  }
  return v;
}

/** For each flag set anywhere in the array, the number of elements carrying it. */
export function dqFlagCounts(a: NDArray): Partial<Record<DqFlagName, number>> {
  const counts = new Float64Array(32);
  const d = a.data;
  if (typeof d[0] === 'bigint') {
    for (let i = 0; i < d.length; i++) {
      const v = Number(BigInt.asUintN(32, d[i] as bigint));
      for (let b = 0; b < 32; b++) if ((v >>> b) & 1) counts[b]++;
    }
  } else {
    const nd = d as Exclude<typeof d, BigInt64Array | BigUint64Array>;
    for (let i = 0; i < nd.length; i++) {
      let v = nd[i] >>> 0;
      for (let b = 0; v !== 0; b++, v >>>= 1) if (v & 1) counts[b]++;
    }
  }
  const out: Partial<Record<DqFlagName, number>> = {};
  for (let b = 0; b < 32; b++) if (counts[b] > 0) out[DQ_FLAG_NAMES[b]] = counts[b];
  return out;
}
