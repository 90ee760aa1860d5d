import { describe, expect, it } from 'vitest';
import { KEYWORD_TABLE, SLIT_KEYWORD_TABLE, type KeywordEntry } from './keyword-table.ts';

const byPath = new Map(KEYWORD_TABLE.map((e) => [e.path, e]));
const lookup = (path: string): Pick<KeywordEntry, 'hdu' | 'keyword' | 'type'> | undefined => {
  const e = byPath.get(path);
  return e && { hdu: e.hdu, keyword: e.keyword, type: e.type };
};

describe('KEYWORD_TABLE', () => {
  it('agrees with keywords seen in real JWST files', () => {
    expect(lookup('meta.target.source_type')).toEqual({ hdu: 'SCI', keyword: 'SRCTYPE', type: 'string' });
    expect(lookup('meta.bunit_data')).toEqual({ hdu: 'SCI', keyword: 'BUNIT', type: 'string' });
    expect(lookup('meta.bunit_err')).toEqual({ hdu: 'ERR', keyword: 'BUNIT', type: 'string' });
    expect(lookup('meta.photometry.conversion_megajanskys')).toEqual({ hdu: 'SCI', keyword: 'PHOTMJSR', type: 'number' });
    expect(lookup('meta.wcsinfo.crval1')).toEqual({ hdu: 'SCI', keyword: 'CRVAL1', type: 'number' });
    expect(lookup('meta.cal_step.ramp_fit')?.keyword).toBe('S_RAMP');
    expect(lookup('meta.cal_step.extract_1d')?.keyword).toBe('S_EXTR1D');
    expect(lookup('meta.cal_step.cube_build')?.keyword).toBe('S_IFUCUB');
    expect(lookup('meta.exposure.integration_time')).toEqual({ hdu: 'PRIMARY', keyword: 'EFFINTTM', type: 'number' });
    expect(lookup('meta.observation.program_number')).toEqual({ hdu: 'PRIMARY', keyword: 'PROGRAM', type: 'string' });
    expect(lookup('meta.visit.tsovisit')).toEqual({ hdu: 'PRIMARY', keyword: 'TSOVISIT', type: 'boolean' });
    expect(lookup('meta.subarray.xstart')).toEqual({ hdu: 'PRIMARY', keyword: 'SUBSTRT1', type: 'integer' });
    expect(lookup('meta.model_type')).toEqual({ hdu: 'PRIMARY', keyword: 'DATAMODL', type: 'string' });
    expect(lookup('meta.instrument.name')?.keyword).toBe('INSTRUME');
    expect(lookup('meta.ref_file.gain.name')?.keyword).toBe('R_GAIN');
    expect(lookup('meta.ref_file.crds.context_used')?.keyword).toBe('CRDS_CTX');
    expect(lookup('meta.ref_file.crds.sw_version')?.keyword).toBe('CRDS_VER');
  });

  it('has at least 300 entries (core.schema.yaml alone has 409 fits_keyword properties)', () => {
    expect(KEYWORD_TABLE.length).toBeGreaterThanOrEqual(300);
  });

  it('has no duplicate paths', () => {
    expect(byPath.size).toBe(KEYWORD_TABLE.length);
  });

  it('has no duplicate (hdu, keyword) pairs', () => {
    // BUNIT appears twice, but in different HDUs (SCI for bunit_data, ERR for bunit_err), so it is not a clash.
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const e of KEYWORD_TABLE) {
      const k = `${e.hdu}/${e.keyword}`;
      const prev = seen.get(k);
      if (prev !== undefined) dups.push(`${k}: ${prev} & ${e.path}`);
      else seen.set(k, e.path);
    }
    expect(dups).toEqual([]);
  });

  it('uses only standard 8-character FITS keyword names', () => {
    for (const e of [...KEYWORD_TABLE, ...SLIT_KEYWORD_TABLE]) {
      expect(e.keyword, e.path).toMatch(/^[A-Z0-9_-]{1,8}$/);
    }
  });

  it('uses meta.* paths, S_* keywords exactly for cal_step and R_* exactly for ref_file names', () => {
    for (const e of KEYWORD_TABLE) {
      expect(e.path.startsWith('meta.'), e.path).toBe(true);
      expect(e.keyword.startsWith('S_') && e.keyword !== 'S_REGION', e.path).toBe(e.path.startsWith('meta.cal_step.'));
      expect(e.keyword.startsWith('R_'), e.path).toBe(/^meta\.ref_file\.\w+\.name$/.test(e.path));
    }
  });
});

describe('SLIT_KEYWORD_TABLE', () => {
  it('maps slit paths to SCI-header keywords', () => {
    const m = new Map(SLIT_KEYWORD_TABLE.map((e) => [e.path, e]));
    expect(m.size).toBe(SLIT_KEYWORD_TABLE.length);
    expect(m.get('slit.name')?.keyword).toBe('SLTNAME');
    expect(m.get('slit.xstart')).toMatchObject({ keyword: 'SLTSTRT1', type: 'integer' });
    expect(m.get('slit.source_id')).toMatchObject({ keyword: 'SOURCEID', type: 'integer' });
    expect(m.get('slit.source_name')?.keyword).toBe('SRCNAME');
    expect(m.get('slit.shutter_state')?.keyword).toBe('SHUTSTA');
    expect(m.get('slit.slitlet_id')?.keyword).toBe('SLITID');
    for (const e of SLIT_KEYWORD_TABLE) {
      expect(e.hdu).toBe('SCI');
      expect(e.path.startsWith('slit.')).toBe(true);
    }
    expect(new Set(SLIT_KEYWORD_TABLE.map((e) => e.keyword)).size).toBe(SLIT_KEYWORD_TABLE.length);
  });
});
