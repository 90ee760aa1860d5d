import { describe, expect, it } from 'vitest';
import { BASIC_COUNT, paramRows, paramsDiff, parseParam, sameValue, stepReferences } from './pipeline-steps.ts';
import { EXTRACT, FLAT, PLAN } from '../test-support/fake-plan.ts';

describe('pipeline panel: parameters and references per step', () => {
  it('the first parameters that are not for other modes are basic, the rest advanced', () => {
    const r = paramRows(EXTRACT, {});
    expect(r.basic.map((x) => x.name)).toEqual(['subtract_background', 'apply_apcorr', 'extraction_type', 'use_source_posn', 'position_offset']);
    expect(r.basic.length).toBe(BASIC_COUNT);
    expect(r.advanced.map((x) => x.name)).toEqual(['smoothing_length', 'soss_atoca', 'ifu_autocen', 'bkg_fit']);
    expect(r.basic.every((x) => !x.changed)).toBe(true);
  });

  it('a changed advanced parameter moves up to the basic group and is marked', () => {
    const r = paramRows(EXTRACT, { 'extract_1d.soss_atoca': false, 'extract_1d.position_offset': '0' });
    const soss = r.basic.find((x) => x.name === 'soss_atoca')!;
    expect(soss.changed).toBe(true);
    expect(soss.value).toBe(false);
    // '0' typed in a float field equals the default 0.
    expect(r.basic.find((x) => x.name === 'position_offset')!.changed).toBe(false);
  });

  it('the diff lists only values that differ from the defaults, in plan order', () => {
    const d = paramsDiff(PLAN, {
      'extract_1d.apply_apcorr': false, 'flat_field.inverse': false, 'flat_field.user_supplied_flat': '', 'extract_1d.position_offset': 1.5,
      'flat_field.save_results': true, 'flat_field.override_flat': 'my_flat.fits',
    });
    expect(d).toEqual([
      { step: 'flat_field', param: 'save_results', default: false, value: true },
      { step: 'flat_field', param: 'override_flat', default: null, value: 'my_flat.fits' },
      { step: 'extract_1d', param: 'apply_apcorr', default: true, value: false },
      { step: 'extract_1d', param: 'position_offset', default: 0, value: 1.5 },
    ]);
  });

  it('references: CRDS choices, N/A counted apart, overrides win', () => {
    expect(stepReferences(FLAT, PLAN, {})).toEqual({ refs: [{ reftype: 'flat', file: 'jwst_miri_flat_0001.fits', override: false }], notApplicable: 1 });
    expect(stepReferences(FLAT, PLAN, { 'flat_field.override_flat': 'mine.fits' }).refs[0]).toEqual({ reftype: 'flat', file: 'mine.fits', override: true });
  });

  it('form text is parsed by the parameter kind', () => {
    expect(parseParam({ kind: 'float', default: 0, doc: '' }, '2.5')).toBe(2.5);
    expect(parseParam({ kind: 'integer', default: 0, doc: '' }, ' ')).toBeNull();
    expect(parseParam({ kind: 'int_list', default: null, doc: '' }, '1, 2,3')).toEqual([1, 2, 3]);
    expect(parseParam({ kind: 'string_list', default: null, doc: '' }, 'a,b')).toEqual(['a', 'b']);
    expect(parseParam({ kind: 'string', default: null, doc: '' }, '12')).toBe('12');
    expect(sameValue([1, 2], [1, 2])).toBe(true);
    expect(sameValue(null, '')).toBe(true);
  });
});
