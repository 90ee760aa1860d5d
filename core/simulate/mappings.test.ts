import { describe, expect, it } from 'vitest';
import { bestrefs, CrdsContext, MappingStore, verifyMappingChecksum } from '../crds/index.ts';
import { CONTEXT, contextMappings, type MappingEntry } from './mappings.ts';

const entries: MappingEntry[] = [
  { reftype: 'gain', file: 'jwst_miri_gain_slitlessprism_wd0001.fits', match: { 'META.SUBARRAY.NAME': 'SLITLESSPRISM' } },
  { reftype: 'gain', file: 'jwst_miri_gain_sub64_wd0001.fits', match: { 'META.SUBARRAY.NAME': 'SUB64' } },
  { reftype: 'dark', file: 'jwst_miri_dark_sub64fastr1_wd0001.fits', match: { 'META.SUBARRAY.NAME': 'SUB64', 'META.EXPOSURE.READPATT': 'FASTR1' } },
  { reftype: 'ipc', file: 'jwst_miri_ipc_all_wd0001.fits', match: {} },
  { reftype: 'extract1d', file: 'jwst_miri_extract1d_lrs_wd0001.json', match: { 'META.EXPOSURE.TYPE': 'MIR_LRS-SLITLESS' } },
];

function context(): CrdsContext {
  const texts = contextMappings(entries);
  return CrdsContext.load(CONTEXT, new MappingStore((n) => {
    const t = texts.get(n);
    if (t === undefined) throw new Error(`missing ${n}`);
    return t;
  }));
}

describe('simulator CRDS mappings', () => {
  it('carry valid sha1sums', () => {
    for (const [name, text] of contextMappings(entries)) expect(verifyMappingChecksum(text, name).ok, name).toBe(true);
  });

  it('select by subarray, readout pattern and exposure type; other types are N/A', () => {
    const header = {
      'META.INSTRUMENT.NAME': 'MIRI', 'META.INSTRUMENT.DETECTOR': 'MIRIMAGE', 'META.SUBARRAY.NAME': 'SUB64',
      'META.EXPOSURE.READPATT': 'FASTR1', 'META.EXPOSURE.TYPE': 'MIR_LRS-SLITLESS', 'META.OBSERVATION.DATE': '2026-01-02',
      'META.OBSERVATION.TIME': '10:00:00', 'META.INSTRUMENT.FILTER': 'P750L',
    };
    const r = bestrefs(context(), header, { reftypes: ['gain', 'dark', 'ipc', 'extract1d', 'superbias'] });
    expect(r.answers.gain?.value).toBe('jwst_miri_gain_sub64_wd0001.fits');
    expect(r.answers.dark?.value).toBe('jwst_miri_dark_sub64fastr1_wd0001.fits');
    expect(r.answers.ipc?.value).toBe('jwst_miri_ipc_all_wd0001.fits');
    expect(r.answers.extract1d?.value).toBe('jwst_miri_extract1d_lrs_wd0001.json');
    expect(r.answers.superbias?.kind).toBe('n/a');
    const r2 = bestrefs(context(), { ...header, 'META.SUBARRAY.NAME': 'SLITLESSPRISM' }, { reftypes: ['gain'] });
    expect(r2.answers.gain?.value).toBe('jwst_miri_gain_slitlessprism_wd0001.fits');
  });
});
