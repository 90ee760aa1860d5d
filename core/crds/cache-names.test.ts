import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { resolveConfig } from './config.node.ts';
import { localClosure } from './cache-index.node.ts';
import { pyFormat } from './cache-catalog.node.ts';
import { mappingNamesOf, partsOfName, referenceNamesOf } from './cache-names.ts';
import { parsePyLiteral, toPlain } from './pyliteral.ts';
import { sharedPath } from '../../test/shared.ts';
import { HAVE_REAL_MAPPINGS, REAL_MAPPINGS } from '../../test/crds-server/harness.ts';

describe('names in mappings', () => {
  it('reads selector names, not header names', () => {
    const rmap = `header = {\n    'name' : 'jwst_x_dark_0002.rmap',\n    'derived_from' : 'jwst_x_dark_0001.rmap',\n    'tpn' : 'x.tpn',\n}\n\nselector = Match({\n    ('A', 'B|C') : UseAfter({\n        '2010-01-01 00:00:00' : 'jwst_x_dark_0003.fits',\n        '2012-01-01 00:00:00' : 'N/A',\n    }),\n    ('D', 'E') : ('jwst_x_dark_0004.asdf', \"jwst_x_dark_0005.json\"),\n})\n`;
    expect(referenceNamesOf(rmap)).toEqual(['jwst_x_dark_0003.fits', 'jwst_x_dark_0004.asdf', 'jwst_x_dark_0005.json']);
    expect(mappingNamesOf(rmap)).toEqual([]);
    expect(mappingNamesOf(`header = {'name' : 'jwst_0002.pmap'}\nselector = {\n 'MIRI' : 'jwst_miri_0001.imap',\n 'FGS' : 'N/A',\n}\n`)).toEqual(['jwst_miri_0001.imap']);
  });

  it('splits JWST names into instrument and reftype', () => {
    expect(partsOfName('jwst_nirspec_wavelengthrange_0004.asdf')).toEqual({ instrument: 'nirspec', reftype: 'wavelengthrange' });
    expect(partsOfName('jwst_miri_dark_0019.rmap')).toEqual({ instrument: 'miri', reftype: 'dark' });
    expect(partsOfName('jwst_miri_0177.imap')).toEqual({ instrument: 'miri' });
    expect(partsOfName('jwst_0541.pmap')).toEqual({});
  });

  it.skipIf(!HAVE_REAL_MAPPINGS)('finds the documented closure of jwst_0500/0535/0541: all 170 shared mappings', () => {
    const config = resolveConfig({ CRDS_PATH: sharedPath('external', 'crds-mappings', 'crds_cache'), HOME: '/nonexistent' });
    const union = new Set<string>();
    for (const ctx of ['jwst_0500.pmap', 'jwst_0535.pmap', 'jwst_0541.pmap']) {
      const c = localClosure(config, ctx);
      expect(c.missingMappings).toEqual([]);
      c.mappings.forEach((m) => union.add(m));
    }
    expect([...union].sort()).toEqual(readdirSync(REAL_MAPPINGS).filter((n) => /\.[pir]map$/.test(n)).sort());
    expect(union.size).toBe(170);
    const c = localClosure(config, 'jwst_0541.pmap');
    expect(c.references.get('jwst_nirspec_dark_0046.fits')).toMatchObject({ instrument: 'nirspec', reftype: 'dark' });
  });
});

describe('server_config writing', () => {
  it('writes a Python literal that pyliteral.ts reads back unchanged', () => {
    const info = { operational_context: 'jwst_0541.pmap', connected: true, force_remote_mode: 0, none: null,
      context_history: [['2019-05-31 17:16:29', 'jwst_0520.pmap', "it's\r\nquoted \"twice\" \\ and\ttabbed \u00a0"]],
      reference_url: { jwst: 'https://jwst-crds.stsci.edu/unchecked_get/references/jwst/' } };
    const text = pyFormat(info);
    expect(text.split('\n')[0]).toBe("{'connected': True,");
    expect(toPlain(parsePyLiteral(text))).toEqual(info);
  });
});
