import { describe, expect, it } from 'vitest';
import { sharedPath, HAVE_SHARED } from '../../test/shared.ts';
import { effectiveContext, listContexts, mappingPath, readServerInfo, resolveConfig } from './config.node.ts';

const CACHE = sharedPath('external', 'crds-mappings', 'crds_cache');

describe('resolveConfig', () => {
  it('follows the crds client path rules', () => {
    const c = resolveConfig({ HOME: '/home/u' });
    expect(c.crdsPath).toBe('/home/u/crds_cache');
    expect(c.mappingDirs).toEqual(['/home/u/crds_cache/mappings/jwst', '/home/u/crds_cache']);
    expect(c.referenceDir).toBe('/home/u/crds_cache/references/jwst');
    expect(c.configDir).toBe('/home/u/crds_cache/config/jwst');
    expect(c.mode).toBe('auto');
    const o = resolveConfig({ CRDS_PATH: '/c/', CRDS_MAPPATH: '/m', CRDS_REFPATH_SINGLE: '/r', CRDS_MODE: 'local', CRDS_ALLOW_BAD_REFERENCES: '1' });
    expect(o.mappingDirs).toEqual(['/m/jwst', '/m']);
    expect(o.referenceDir).toBe('/r');
    expect(o.configDir).toBe('/c/config/jwst');
    expect(o.allowBadReferences).toBe(true);
    expect(() => resolveConfig({ CRDS_MODE: 'sometimes' })).toThrow(/CRDS_MODE/);
  });
});

describe.skipIf(!HAVE_SHARED)('the real cache', () => {
  const c = resolveConfig({ CRDS_PATH: CACHE });
  it('reads server_config and finds contexts', () => {
    const info = readServerInfo(c)!;
    expect(info.operationalContext).toBe('jwst_0541.pmap');
    expect(info.badFiles.has('jwst_nircam_flat_0009.fits')).toBe(true);
    expect(listContexts(c)).toEqual(['jwst_0500.pmap', 'jwst_0535.pmap', 'jwst_0541.pmap']);
    expect(mappingPath(c, 'jwst_0541.pmap')).toMatch(/mappings\/jwst\/jwst_0541.pmap$/);
    expect(effectiveContext(c)).toEqual({ context: 'jwst_0541.pmap', source: 'operational' });
    expect(effectiveContext(resolveConfig({ CRDS_PATH: CACHE, CRDS_CONTEXT: 'jwst_0500.pmap' })).context).toBe('jwst_0500.pmap');
  });
});
