import { describe, expect, it } from 'vitest';
import { readEcsv, writeEcsv, type EcsvTable } from '../ecsv/index.ts';
import { transitFlux } from '../simulate/transit.ts';
import { fitWhiteLight } from './white-light.ts';

const TP = { rpRs: 0.12, tMid: 61000.0105, t14: 0.01, b: 0.2, u1: 0.1, u2: 0.1 };
const N = 60;
const mjd = Array.from({ length: N }, (_, i) => 61000 + (0.02 * i) / (N - 1));
// Deterministic +-1e-4 "noise" (alternating) so the chi2-scaled errors are finite.
const flux = mjd.map((t, i) => 2.5 * transitFlux(t, TP) * (1 + (i % 2 ? 1e-4 : -1e-4)));

function table(cols: EcsvTable['columns']): EcsvTable {
  // Through the ECSV writer and reader, as calwebb_tso3 writes _whtlt.ecsv.
  return readEcsv(writeEcsv({ columns: cols, meta: [['number_of_integrations', N]] }), 'x_whtlt.ecsv');
}

describe('fitWhiteLight', () => {
  it('fits the transit in a _whtlt.ecsv table (MJD_UTC, whitelight_flux), skipping leading rows on request', () => {
    const t = table([
      { name: 'MJD_UTC', datatype: 'float64', data: mjd },
      { name: 'BJD_TDB', datatype: 'float64', data: mjd.map((x) => x + 0.0004) },
      { name: 'whitelight_flux', datatype: 'float64', unit: 'Jy', data: flux },
    ]);
    const o = { t14: TP.t14, b: TP.b, u1: TP.u1, u2: TP.u2 };
    const r = fitWhiteLight(t, o);
    expect(r.rows).toBe(N);
    expect(r.npoints).toBe(N);
    expect(Math.abs(r.depth - 0.0144) / r.depthErr).toBeLessThan(3);
    expect(Math.abs(r.depth - 0.0144)).toBeLessThan(2e-4);
    expect(Math.abs(r.tMid - TP.tMid) * 86400).toBeLessThan(5);
    const s = fitWhiteLight(t, { ...o, skip: 2, timeColumn: 'BJD_TDB' });
    expect(s.npoints).toBe(N - 2);
    expect(Math.abs(s.tMid - TP.tMid - 0.0004) * 86400).toBeLessThan(5);
  });

  it('names a missing column', () => {
    const t = table([{ name: 'MJD_UTC', datatype: 'float64', data: mjd }]);
    expect(() => fitWhiteLight(t, { t14: 0.01, u1: 0, u2: 0, file: 'x_whtlt.ecsv' })).toThrow(/no whitelight_flux column \(columns: MJD_UTC\)/);
  });
});
