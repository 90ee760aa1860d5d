import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { pyFloat, readEcsv, writeEcsv } from './index.ts';

describe('pyFloat', () => {
  it('formats like Python repr', () => {
    expect(pyFloat(6.71427952432007e-05)).toBe('6.71427952432007e-05');
    expect(pyFloat(60383.40004773518)).toBe('60383.40004773518');
    expect(pyFloat(1)).toBe('1.0');
    expect(pyFloat(0.0001)).toBe('0.0001');
    expect(pyFloat(1e16)).toBe('1e+16');
    expect(pyFloat(123456789012345680)).toBe('1.2345678901234568e+17');
    expect(pyFloat(-2.5e-7)).toBe('-2.5e-07');
    expect(pyFloat(NaN)).toBe('nan');
  });
});

describe.skipIf(!HAVE_SHARED)('ECSV round trip on the golden white-light file', () => {
  const p = sharedPath('golden/lrs_spec2_tso3/p01_lrs_slitless_transit/jw09003003011-o001_t001_miri_p750l-slitlessprism_whtlt.ecsv');
  it('reads and rewrites byte-identically', () => {
    const text = readFileSync(p, 'utf8');
    const t = readEcsv(text, p);
    expect(t.columns.map((c) => c.name)).toEqual(['MJD_UTC', 'BJD_TDB', 'whitelight_flux']);
    expect(t.columns[2].unit).toBe('Jy');
    expect(t.columns[0].data[0]).toBe(60383.40004773518);
    expect(t.meta).toContainEqual(['number_of_integrations', 8]);
    expect(t.meta).toContainEqual(['pupil', null]);
    expect(writeEcsv(t)).toBe(text);
  });
  it('rejects a file without the ECSV signature', () => {
    expect(() => readEcsv('a b\n1 2\n', 'x.ecsv')).toThrow(/not an ECSV file/);
  });
});
