import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../core/cli/main.ts';
import { parseOptions } from '../../core/cli/simulate.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'wd-sim-cli-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function capture() {
  const out: string[] = [], err: string[] = [];
  return { io: { stdout: (s: string) => { out.push(s); }, stderr: (s: string) => { err.push(s); } }, out, err };
}

describe('webbdesk simulate', () => {
  it('parses --x value and --x=value', () => {
    const { positional, opts } = parseOptions(['miri-ramp', '--nints', '3', '--ngroups=5', '--flag']);
    expect(positional).toEqual(['miri-ramp']);
    expect(Object.fromEntries(opts)).toEqual({ nints: '3', ngroups: '5', flag: 'true' });
  });

  it('miri-ramp writes the uncal, truth and CRDS cache; the run line names the context', async () => {
    const c = capture();
    const out = path.join(dir, 'r');
    const code = await main(['simulate', 'miri-ramp', '--out', out, '--subarray=SUB128', '--nints', '2', '--ngroups', '4', '--seed', '9', '--jumps', '1e-3'], c.io);
    expect(code).toBe(0);
    const text = c.out.join('');
    expect(text).toContain('CRDS_CONTEXT=jwst_webbdesk_0001.pmap');
    const truth = JSON.parse(await readFile(path.join(out, 'truth.json'), 'utf8')) as Record<string, unknown>;
    expect(truth).toMatchObject({ subarray: 'SUB128', nints: 2, ngroups: 4, seed: 9, readpatt: 'FASTR1' });
    expect(existsSync(path.join(out, 'crds_cache', 'references', 'jwst', 'miri', 'jwst_miri_gain_sub128_wd0001.fits'))).toBe(true);
  });

  it('rejects unknown options and kinds with status 2', async () => {
    expect(await main(['simulate', 'miri-ramp', '--bogus', '1', '--out', path.join(dir, 'x')], capture().io)).toBe(2);
    expect(await main(['simulate', 'nircam-ramp'], capture().io)).toBe(2);
    expect(await main(['simulate', 'miri-lrs-tso', '--depth', '0.01', '--rp-rs', '0.1', '--out', path.join(dir, 'y')], capture().io)).toBe(2);
  });
});
