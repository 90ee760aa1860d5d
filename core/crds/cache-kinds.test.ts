import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateMiriRamp } from '../simulate/miri-ramp.node.ts';
import { listCache } from './cache.node.ts';
import { resolveConfig } from './config.node.ts';

// The simulator names its rmaps jwst_miri_<reftype>_webbdesk_0001.rmap so they
// can never collide with real CRDS names; the listing must take the reftype
// from the rmap header (filekind), not from the name.
describe('cache listing of non-standard mapping names', () => {
  it('reports instrument and reftype of an rmap from its header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webbdesk-kinds-'));
    try {
      const sim = await simulateMiriRamp({ out: dir, subarray: 'SUB64', nints: 1, ngroups: 3, seed: 3 });
      const entries = await listCache({ config: resolveConfig({ CRDS_PATH: sim.crdsPath }) });
      const rmaps = entries.filter((e) => e.name.endsWith('.rmap'));
      expect(rmaps.length).toBeGreaterThan(5);
      const dark = rmaps.find((e) => /_dark_/.test(e.name));
      expect(dark).toMatchObject({ instrument: 'miri', reftype: 'dark' });
      for (const e of rmaps) expect(e.reftype).not.toMatch(/webbdesk/);
      const darks = await listCache({ config: resolveConfig({ CRDS_PATH: sim.crdsPath }), reftype: 'dark' });
      expect(darks.map((e) => e.name).sort()).toEqual([dark!.name, ...sim.references.map((r) => r.split('/').pop()!).filter((n) => /_dark_/.test(n))].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
