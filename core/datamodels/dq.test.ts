import { describe, expect, it } from 'vitest';
import { DQ, decodeDq, dqFlagCounts, encodeDq } from './dq.ts';
import { ndarray } from '../ndarray/index.ts';

describe('DQ flags', () => {
  it('matches the jwst bit table at known values', () => {
    expect(DQ.DO_NOT_USE).toBe(1);
    expect(DQ.SATURATED).toBe(2);
    expect(DQ.JUMP_DET).toBe(4);
    expect(DQ.DEAD).toBe(1024);
    expect(DQ.NO_SAT_CHECK).toBe(2097152);
    expect(DQ.REFERENCE_PIXEL).toBe(2147483648);
  });
  it('decodes and encodes', () => {
    // 2147483649 is the max PIXELDQ of the zoo ramp written by stdatamodels: REFERENCE_PIXEL | DO_NOT_USE.
    expect(decodeDq(2147483649)).toEqual(['DO_NOT_USE', 'REFERENCE_PIXEL']);
    expect(encodeDq(['do_not_use', 'REFERENCE_PIXEL'])).toBe(2147483649);
    expect(() => encodeDq(['NOPE'])).toThrow(/NOPE/);
  });
  it('counts flags', () => {
    const a = ndarray(new Uint32Array([0, 1, 5, 2147483649]), [4]);
    expect(dqFlagCounts(a)).toEqual({ DO_NOT_USE: 3, JUMP_DET: 1, REFERENCE_PIXEL: 1 });
  });
});
