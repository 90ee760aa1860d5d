import { describe, it, expect } from 'vitest';
import { subtractResetInt } from './reset.ts';

describe('reset kernel', () => {
  it('subtracts the first ngroups_ref groups, using the last reference integration beyond its end', () => {
    // reference (2 ints, 2 groups, 1 px): int0 = [30, 15], int1 = [3, NaN]
    const ref = new Float32Array([30, 15, 3, NaN]);
    const mk = () => new Float32Array([100, 100, 100, 100]);
    const i0 = mk(); subtractResetInt(i0, 0, 4, 1, ref, 2, 2);
    const i3 = mk(); subtractResetInt(i3, 3, 4, 1, ref, 2, 2);
    expect(Array.from(i0)).toEqual([70, 85, 100, 100]);
    expect(Array.from(i3)).toEqual([97, 100, 100, 100]);
  });
});
