import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { main } from '../cli/main.ts';
import { asnFromList, parseAssociation, productNameFromFile, serializeAssociation, type Association } from './asn.ts';
import { readAssociation, writeAssociation } from './io.node.ts';

interface Case { python_calls: string[]; inputs: { my_science_files: (string | [string, string])[] }; cli: string | null; outputs: Record<string, string> }

const DIR = sharedPath('golden/asn/from_list');
const cases = HAVE_SHARED ? readdirSync(DIR).sort() : [];
const load = (c: string) => JSON.parse(readFileSync(path.join(DIR, c, 'case.json'), 'utf8')) as Case;
const expectedText = (c: string, k: Case) => readFileSync(path.join(DIR, c, Object.keys(k.outputs)[0]!), 'utf8');

/** The asn_from_list arguments of a case's Python call. */
function pythonArgs(k: Case): { rule: 'DMSLevel2bBase' | 'DMS_Level3_Base'; product_name?: string; with_exptype: boolean } {
  const call = k.python_calls.find((l) => /asn_from_list\(my_science_files/.test(l))!;
  const pn = /product_name='([^']*)'/.exec(call);
  return { rule: /DMSLevel2bBase/.test(call) ? 'DMSLevel2bBase' : 'DMS_Level3_Base', product_name: pn?.[1], with_exptype: /with_exptype=True/.test(call) };
}

/** The edits some cases make after asn_from_list (seed-000 workflow, appended background members). */
function applyEdits(asn: Association, k: Case): void {
  for (const line of k.python_calls) {
    const set = /^asn\['(\w+)'\] = '([^']*)'$/.exec(line);
    if (set) asn[set[1]!] = set[2]!;
    const app = /members\.append\(Member\(\{'expname': '([^']+)', 'exptype': '(\w+)'\}\)\)/.exec(line);
    if (app && !line.startsWith('    ')) asn.products[asn.products.length - 1]!.members.push({ expname: app[1]!, exptype: app[2]! });
  }
  if (k.python_calls.some((l) => l.includes("asn.data['products'] = None"))) {
    const name = /asn_name = '([^']+)'/.exec(k.python_calls.join('\n'))![1]!;
    asn.asn_pool = `${name}_pool`;
    asn.products = k.inputs.my_science_files.map((f, n) => ({ name: `${name}_exposure${n + 1}`, members: [{ expname: f as string, exptype: 'science' }] }));
  }
}

describe.skipIf(!HAVE_SHARED)('asn_from_list against every golden from_list case', () => {
  it('has the six public cases', () => expect(cases.length).toBeGreaterThanOrEqual(6));

  for (const c of cases) {
    it(`${c}: same JSON text as jwst 3.0 (key order included)`, () => {
      const k = load(c);
      const asn = asnFromList(k.inputs.my_science_files, pythonArgs(k));
      applyEdits(asn, k);
      expect(serializeAssociation(asn)).toBe(expectedText(c, k));
    });
  }

  for (const c of cases) {
    it(`${c}: the command line gives the same file`, async () => {
      const k = load(c);
      if (!k.cli) return;
      const words = k.cli.split(/\s+/).slice(1);
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'asn-')), 'out_asn.json');
      const oi = words.indexOf('-o');
      words[oi + 1] = out;
      const io = { stdout: () => {}, stderr: (s: string) => { throw new Error(s); } };
      expect(await main(['asn_from_list', ...words], io)).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(expectedText(c, k));
    });
  }
});

describe('association parsing and validation', () => {
  const good = asnFromList(['a_rate.fits', 'b_rate.fits'], { rule: 'DMSLevel2bBase' });

  it('names level-2b products from the science file without folder and suffix', () => {
    expect(good.products.map((p) => p.name)).toEqual(['a', 'b']);
    expect(productNameFromFile('MRS/LONG/x-seg002_mirimage_calints.fits')).toBe('x-seg002_mirimage');
    expect(productNameFromFile('plain.fits')).toBe('plain');
  });

  it('round-trips through JSON text', () => {
    expect(parseAssociation(serializeAssociation(good), 'x.json')).toEqual(good);
  });

  it('rejects an unknown exptype naming the product and member', () => {
    const bad = structuredClone(good);
    bad.products[1]!.members[0]!.exptype = 'sky';
    expect(() => parseAssociation(bad, 'x_asn.json')).toThrow(/x_asn\.json: product 2 \(b\) member 1 \(b_rate\.fits\) has unknown exptype 'sky'/);
  });

  it('rejects missing products, members and invalid JSON', () => {
    expect(() => parseAssociation('{', 'y.json')).toThrow(/y\.json: not valid JSON/);
    expect(() => parseAssociation({ asn_rule: 'r', asn_pool: 'p' }, 'y.json')).toThrow(/missing 'products'/);
    expect(() => parseAssociation({ asn_rule: 'r', asn_pool: 'p', products: [{ name: 'n', members: [] }] }, 'y.json')).toThrow(/product 1 \(n\) has no members/);
  });

  it('escapes non-ASCII as Python json.dumps does', () => {
    const a = asnFromList(['é_cal.fits'], { product_name: 'ü' });
    expect(serializeAssociation(a)).toContain('"name": "\\u00fc"');
  });

  it('readAssociation reports member files missing beside the association', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asn-'));
    writeFileSync(path.join(dir, 'a_rate.fits'), 'x');
    const file = path.join(dir, 'l2_asn.json');
    await writeAssociation(file, good);
    await expect(readAssociation(file)).rejects.toThrow(/member file\(s\) not found.*b_rate\.fits \(science, product b\)/);
    writeFileSync(path.join(dir, 'b_rate.fits'), 'x');
    expect((await readAssociation(file)).products).toHaveLength(2);
  });
});
