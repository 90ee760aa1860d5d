/**
 * A tiny synthetic JWST context for tests: two pmaps (jwst_9001, jwst_9002)
 * over MIRI and NIRSpec imaps and a handful of rmaps in real CRDS syntax
 * (Match/UseAfter, N/A), with correct `sha1sum` headers, naming small
 * FITS reference files that are generated here. jwst_9002 replaces the MIRI
 * dark rmap (new file jwst_miri_dark_9102.fits) and keeps the rest, so
 * pruning down to 9002 removes exactly the 9001-only files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Fixture {
  readonly dir: string;
  readonly mappingsDir: string;
  readonly referencesDir: string;
  /** name -> bytes, for every file the fixture holds. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly mappings9001: readonly string[];
  readonly mappings9002: readonly string[];
  readonly references9001: readonly string[];
  readonly references9002: readonly string[];
  /** The one reference large enough (~300 kB) to cut mid-transfer. */
  readonly bigFile: string;
}

/** The CRDS mapping checksum: SHA-1 of the text without the lines that mention sha1sum. */
export function mappingChecksum(text: string): string {
  const kept = text.split(/(?<=\n)/).filter((l) => !l.includes('sha1sum')).join('');
  return createHash('sha1').update(kept).digest('hex');
}

function withChecksum(text: string): string {
  return text.replace("'sha1sum' : 'X'", `'sha1sum' : '${mappingChecksum(text)}'`);
}

function card(s: string): string {
  return s.padEnd(80, ' ').slice(0, 80);
}

/** A valid minimal FITS file (primary HDU, 8-bit data of `dataBytes`). */
export function fakeFits(name: string, reftype: string, instrument: string, dataBytes: number, seed = 1): Buffer {
  const cards = [
    card('SIMPLE  =                    T / conforms to FITS standard'),
    card('BITPIX  =                    8 / array data type'),
    card(`NAXIS   =                    ${dataBytes > 0 ? 1 : 0}`),
    ...(dataBytes > 0 ? [card(`NAXIS1  = ${String(dataBytes).padStart(20)}`)] : []),
    card(`REFTYPE = '${reftype.toUpperCase().padEnd(8)}'`),
    card(`INSTRUME= '${instrument.toUpperCase().padEnd(8)}'`),
    card(`FILENAME= '${name}'`),
    card('END'),
  ].join('');
  const headerLen = Math.ceil(cards.length / 2880) * 2880;
  const dataLen = Math.ceil(dataBytes / 2880) * 2880;
  const buf = Buffer.alloc(headerLen + dataLen, 0);
  buf.write(cards.padEnd(headerLen, ' '), 0, 'latin1');
  let x = seed * 2654435761;
  for (let i = 0; i < dataBytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buf[headerLen + i] = x >>> 24;
  }
  return buf;
}

function pmap(name: string, derived: string, imaps: Record<string, string>): string {
  const sel = Object.entries(imaps).map(([k, v]) => `    '${k}' : '${v}',\n`).join('');
  return withChecksum(`header = {
    'derived_from' : '${derived}',
    'mapping' : 'PIPELINE',
    'name' : '${name}',
    'observatory' : 'JWST',
    'parkey' : ('META.INSTRUMENT.NAME',),
    'sha1sum' : 'X',
}

selector = {
${sel}}
`);
}

function imap(name: string, instrument: string, rmaps: Record<string, string>): string {
  const sel = Object.entries(rmaps).map(([k, v]) => `    '${k}' : '${v}',\n`).join('');
  return withChecksum(`header = {
    'derived_from' : 'generated',
    'instrument' : '${instrument}',
    'mapping' : 'INSTRUMENT',
    'name' : '${name}',
    'observatory' : 'JWST',
    'parkey' : ('REFTYPE',),
    'sha1sum' : 'X',
}

selector = {
${sel}}
`);
}

function rmap(name: string, instrument: string, filekind: string, byDetector: Record<string, [string, string][]>): string {
  const sel = Object.entries(byDetector).map(([det, ua]) =>
    `    ('${det}',) : UseAfter({\n` + ua.map(([d, f]) => `        '${d}' : '${f}',\n`).join('') + '    }),\n').join('');
  return withChecksum(`header = {
    'classes' : ('Match', 'UseAfter'),
    'derived_from' : 'generated',
    'filekind' : '${filekind}',
    'instrument' : '${instrument}',
    'mapping' : 'REFERENCE',
    'name' : '${name}',
    'observatory' : 'JWST',
    'parkey' : (('META.INSTRUMENT.DETECTOR',), ('META.OBSERVATION.DATE', 'META.OBSERVATION.TIME')),
    'sha1sum' : 'X',
}

selector = Match({
${sel}})
`);
}

/** Write the fixture under `dir` (mappings/ and references/, flat) and describe it. */
export function buildFixture(dir: string): Fixture {
  const mappingsDir = join(dir, 'mappings');
  const referencesDir = join(dir, 'references');
  mkdirSync(mappingsDir, { recursive: true });
  mkdirSync(referencesDir, { recursive: true });
  const files = new Map<string, Buffer>();
  const put = (name: string, data: string | Buffer): void => {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    files.set(name, b);
    writeFileSync(join(/\.[pir]map$/.test(name) ? mappingsDir : referencesDir, name), b);
  };
  const ref = (name: string, reftype: string, inst: string, bytes: number, seed: number): string => {
    put(name, fakeFits(name, reftype, inst, bytes, seed));
    return name;
  };
  const bigFile = ref('jwst_miri_flat_9101.fits', 'flat', 'miri', 300_000, 2);
  const r = {
    dark1: ref('jwst_miri_dark_9101.fits', 'dark', 'miri', 4000, 1),
    dark1b: ref('jwst_miri_dark_9103.fits', 'dark', 'miri', 100, 7),
    dark2: ref('jwst_miri_dark_9102.fits', 'dark', 'miri', 5000, 3),
    flat: bigFile,
    bias1: ref('jwst_nirspec_superbias_9101.fits', 'superbias', 'nirspec', 3000, 4),
    bias2: ref('jwst_nirspec_superbias_9102.fits', 'superbias', 'nirspec', 0, 5),
  };
  put('jwst_miri_dark_9101.rmap', rmap('jwst_miri_dark_9101.rmap', 'MIRI', 'DARK', {
    MIRIMAGE: [['2000-01-01 00:00:00', r.dark1], ['2022-01-01 00:00:00', r.dark1b]],
    MIRIFULONG: [['2000-01-01 00:00:00', 'N/A']],
  }));
  put('jwst_miri_dark_9102.rmap', rmap('jwst_miri_dark_9102.rmap', 'MIRI', 'DARK', {
    MIRIMAGE: [['2000-01-01 00:00:00', r.dark2]],
  }));
  put('jwst_miri_flat_9101.rmap', rmap('jwst_miri_flat_9101.rmap', 'MIRI', 'FLAT', {
    MIRIMAGE: [['2000-01-01 00:00:00', r.flat]],
  }));
  put('jwst_nirspec_superbias_9101.rmap', rmap('jwst_nirspec_superbias_9101.rmap', 'NIRSPEC', 'SUPERBIAS', {
    NRS1: [['2000-01-01 00:00:00', r.bias1]],
    NRS2: [['2000-01-01 00:00:00', r.bias2]],
  }));
  put('jwst_miri_9101.imap', imap('jwst_miri_9101.imap', 'MIRI', {
    DARK: 'jwst_miri_dark_9101.rmap', FLAT: 'jwst_miri_flat_9101.rmap', GAIN: 'N/A',
  }));
  put('jwst_miri_9102.imap', imap('jwst_miri_9102.imap', 'MIRI', {
    DARK: 'jwst_miri_dark_9102.rmap', FLAT: 'jwst_miri_flat_9101.rmap', GAIN: 'N/A',
  }));
  put('jwst_nirspec_9101.imap', imap('jwst_nirspec_9101.imap', 'NIRSPEC', {
    SUPERBIAS: 'jwst_nirspec_superbias_9101.rmap', DARK: 'N/A',
  }));
  put('jwst_9001.pmap', pmap('jwst_9001.pmap', 'jwst_9000.pmap', { MIRI: 'jwst_miri_9101.imap', NIRSPEC: 'jwst_nirspec_9101.imap' }));
  put('jwst_9002.pmap', pmap('jwst_9002.pmap', 'jwst_9001.pmap', { MIRI: 'jwst_miri_9102.imap', NIRSPEC: 'jwst_nirspec_9101.imap' }));
  return {
    dir,
    mappingsDir,
    referencesDir,
    files,
    mappings9001: ['jwst_9001.pmap', 'jwst_miri_9101.imap', 'jwst_nirspec_9101.imap', 'jwst_miri_dark_9101.rmap', 'jwst_miri_flat_9101.rmap', 'jwst_nirspec_superbias_9101.rmap'].sort(),
    mappings9002: ['jwst_9002.pmap', 'jwst_miri_9102.imap', 'jwst_nirspec_9101.imap', 'jwst_miri_dark_9102.rmap', 'jwst_miri_flat_9101.rmap', 'jwst_nirspec_superbias_9101.rmap'].sort(),
    references9001: [r.dark1, r.dark1b, r.flat, r.bias1, r.bias2].sort(),
    references9002: [r.dark2, r.flat, r.bias1, r.bias2].sort(),
    bigFile,
  };
}
