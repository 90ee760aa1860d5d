import { describe, expect, it } from 'vitest';
import { decideSourceType } from './srctype.ts';

describe('srctype rules', () => {
  it('applies user > background > TSO > APT > nod > default', () => {
    expect(decideSourceType({ expType: 'MIR_LRS-SLITLESS', apt: 'EXTENDED', tsovisit: true, user: 'extended' }).type).toBe('EXTENDED');
    expect(decideSourceType({ expType: 'MIR_LRS-SLITLESS', apt: 'EXTENDED', tsovisit: true }).type).toBe('POINT');
    expect(decideSourceType({ expType: 'MIR_LRS-FIXEDSLIT', apt: 'POINT', bkgdtarg: true }).type).toBe('EXTENDED');
    expect(decideSourceType({ expType: 'MIR_LRS-FIXEDSLIT', apt: 'EXTENDED' }).type).toBe('EXTENDED');
    expect(decideSourceType({ expType: 'MIR_MRS', apt: 'UNKNOWN', dithopfr: 'POINT-SOURCE' }).type).toBe('POINT');
    expect(decideSourceType({ expType: 'MIR_MRS' }).type).toBe('EXTENDED');
    expect(decideSourceType({ expType: 'MIR_LRS-FIXEDSLIT', patttype: 'ALONG-SLIT-NOD' }).type).toBe('POINT');
    expect(decideSourceType({ expType: 'MIR_IMAGE', user: 'POINT' }).type).toBe('UNKNOWN'); // user value ignored for multi-target modes
  });
});
