/**
 * Loading contexts from the local CRDS cache (mappings/jwst/ or the flat
 * layout), with the bad-file list from config/jwst.
 */
import { readFileSync } from 'node:fs';
import { CrdsError } from '../errors/index.ts';
import { mappingPath, readServerInfo, type CrdsConfig } from './config.node.ts';
import { CrdsContext, MappingStore } from './context.ts';

const stores = new WeakMap<CrdsConfig, MappingStore>();

/** The (cached) mapping store reading from `config`'s mapping directories. */
export function cacheStore(config: CrdsConfig): MappingStore {
  let s = stores.get(config);
  if (!s) {
    s = new MappingStore((name) => {
      const p = mappingPath(config, name);
      if (!p) {
        throw new CrdsError('crds-missing-mapping', `mapping ${name} is not in the cache (searched ${config.mappingDirs.join(', ')})`);
      }
      return readFileSync(p, 'utf8');
    }, { ignoreChecksum: config.ignoreMappingChecksum });
    stores.set(config, s);
  }
  return s;
}

/**
 * Load context `name` (a .pmap) from the cache. Unknown contexts give a
 * CrdsError naming the directories searched. `full` loads every imap and
 * rmap now instead of on first use.
 */
export function loadContext(name: string, config: CrdsConfig, options: { full?: boolean } = {}): CrdsContext {
  if (!mappingPath(config, name)) {
    throw new CrdsError('crds-unknown-context', `unknown context ${name}: not found in ${config.mappingDirs.join(' or ')}`);
  }
  const ctx = CrdsContext.load(name, cacheStore(config));
  ctx.badFiles = readServerInfo(config)?.badFiles ?? new Set();
  if (options.full) ctx.loadAll();
  return ctx;
}
