import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { main } from './main.ts';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe.skipIf(!HAVE_SHARED)('webbdesk crds', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'webbdesk-crds-'));
    cpSync(sharedPath('external', 'crds-mappings', 'crds_cache'), join(dir, 'cache'), { recursive: true });
    process.env.CRDS_PATH = join(dir, 'cache');
    process.env.CRDS_MODE = 'local';
    delete process.env.CRDS_CONTEXT;
    delete process.env.CRDS_ALLOW_BAD_REFERENCES;
    writeFileSync(join(dir, 'h.json'), JSON.stringify([
      { id: 'miri', header: { 'META.INSTRUMENT.NAME': 'MIRI', 'META.INSTRUMENT.DETECTOR': 'MIRIMAGE', 'META.EXPOSURE.READPATT': 'FAST', 'META.SUBARRAY.NAME': 'FULL', 'META.OBSERVATION.DATE': '2023-01-01', 'META.OBSERVATION.TIME': '00:00:00' } },
      { INSTRUME: 'NIRCAM', DETECTOR: 'NRCA1', FILTER: 'F070W', PUPIL: 'CLEAR', 'DATE-OBS': '2019-01-01', 'TIME-OBS': '00:00:00' },
    ]));
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('bestrefs --json gives one object per input, narrowed by --types', async () => {
    const r = await run(['crds', 'bestrefs', '--headers', join(dir, 'h.json'), '--types', 'dark,barshadow', '--json', '--context', 'jwst_0541.pmap']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { id: string; instrument_mapping: string; bestrefs: Record<string, { kind: string; value: string }> }[];
    expect(list.map((x) => x.id)).toEqual(['miri', '#1']);
    expect(list[0]).toEqual({
      id: 'miri',
      instrument_mapping: 'jwst_miri_0177.imap',
      bestrefs: { dark: { kind: 'file', value: 'jwst_miri_dark_0058.fits' }, barshadow: { kind: 'n/a', value: 'NOT FOUND n/a' } },
    });
    expect(list[1]!.instrument_mapping).toBe('jwst_nircam_0120.imap');
  });

  it('text output names the parkey values a rule could not match', async () => {
    writeFileSync(join(dir, 'nomatch.json'), JSON.stringify([{ id: 'slp', header: { 'META.INSTRUMENT.NAME': 'MIRI', 'META.INSTRUMENT.DETECTOR': 'MIRIMAGE', 'META.EXPOSURE.READPATT': 'FASTR1', 'META.SUBARRAY.NAME': 'SLITLESSPRISM', 'META.OBSERVATION.DATE': '2024-03-14', 'META.OBSERVATION.TIME': '10:11:12' } }]));
    const r = await run(['crds', 'bestrefs', '--headers', join(dir, 'nomatch.json'), '--types', 'dark', '--context', 'jwst_0541.pmap']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dark\s+error: No match found\./);
    expect(r.out).toMatch(/jwst_miri_dark_0019\.rmap: .*META\.EXPOSURE\.READPATT="FASTR1".*META\.SUBARRAY\.NAME="SLITLESSPRISM"/);
  });

  it('a bad reference is an error unless allowed', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ 'META.INSTRUMENT.NAME': 'NIRCAM', 'META.INSTRUMENT.DETECTOR': 'NRCA1', 'META.INSTRUMENT.FILTER': 'F070W', 'META.INSTRUMENT.PUPIL': 'CLEAR', 'META.OBSERVATION.DATE': '2014-01-01', 'META.OBSERVATION.TIME': '00:00:00' }]));
    const strict = await run(['crds', 'bestrefs', '--headers', join(dir, 'bad.json'), '--types', 'flat', '--json', '--context', 'jwst_0500.pmap']);
    const allowed = await run(['crds', 'bestrefs', '--headers', join(dir, 'bad.json'), '--types', 'flat', '--json', '--context', 'jwst_0500.pmap', '--allow-bad-references']);
    const a = JSON.parse(allowed.out)[0].bestrefs.flat;
    const s = JSON.parse(strict.out)[0].bestrefs.flat;
    if (a.kind === 'file' && /flat_000[2-9]/.test(a.value)) {
      expect(strict.code).toBe(1);
      expect(s.kind).toBe('error');
      expect(allowed.code).toBe(0);
    }
  });

  it('contexts, where, pin and clear errors', async () => {
    const c = await run(['crds', 'contexts']);
    expect(c.code).toBe(0);
    expect(c.out).toContain('jwst_0541.pmap');
    expect(c.out).toContain('operational: unknown (offline)');
    const w = await run(['crds', 'where', 'jwst_0500.pmap']);
    expect(w.code).toBe(0);
    expect(w.out.trim()).toMatch(/mappings\/jwst\/jwst_0500\.pmap$/);
    expect((await run(['crds', 'where', 'jwst_miri_flat_9999.fits'])).code).toBe(1);
    const p = await run(['crds', 'pin', 'jwst_0535.pmap']);
    expect(p.code).toBe(0);
    expect((await run(['crds', 'contexts'])).out).toContain('in use: jwst_0535.pmap (from pin)');
    const unknown = await run(['crds', 'pin', 'jwst_9999.pmap']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown context jwst_9999\.pmap/);
    const missing = await run(['crds', 'bestrefs', '--headers', join(dir, 'h.json'), '--context', 'jwst_1234.pmap']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/unknown context/);
  });

  it('a mapping with a syntax error names file and line', async () => {
    const rmap = join(dir, 'cache', 'mappings', 'jwst', 'jwst_miri_dark_0019.rmap');
    writeFileSync(rmap, "header = {\n    'name' : 'jwst_miri_dark_0019.rmap',\n    'parkey' : ((,\n}\n");
    const r = await run(['crds', 'bestrefs', '--headers', join(dir, 'h.json'), '--types', 'dark', '--context', 'jwst_0541.pmap']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/jwst_miri_dark_0019\.rmap:3: /);
  });
});
