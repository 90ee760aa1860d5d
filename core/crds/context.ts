/**
 * A CRDS context: a .pmap with the .imaps and .rmaps it names, loaded
 * lazily through a `MappingReader` (text by file name). Pure: the reader
 * decides where text comes from (see context.node.ts for the cache).
 */
import { CrdsError } from '../errors/index.ts';
import { LookupError } from './lookup-error.ts';
import { isSpecialValue, parseMapping, type InstrumentMapping, type Mapping, type ParseOptions, type PipelineMapping, type ReferenceMapping } from './mapping.ts';

/** Returns a mapping's text; throws CrdsError when it does not exist. */
export type MappingReader = (name: string) => string;

/** Parsed mappings by name, shared between contexts (mappings are immutable). */
export class MappingStore {
  private readonly cache = new Map<string, Mapping>();
  constructor(private readonly read: MappingReader, private readonly options: ParseOptions = {}) {}

  get(name: string): Mapping {
    let m = this.cache.get(name);
    if (!m) {
      m = parseMapping(this.read(name), name, this.options);
      this.cache.set(name, m);
    }
    return m;
  }
}

/** Parkeys every JWST minimized header carries besides those of the rmaps (crds 13 behaviour). */
export const ALWAYS_MINIMIZED = ['META.INSTRUMENT.LAMP_STATE', 'META.VISIT.TSOVISIT'] as const;

export class CrdsContext {
  /** Bad (rejected/blacklisted) file names; answers naming one are flagged. */
  badFiles: ReadonlySet<string> = new Set();
  private readonly required = new Map<string, readonly string[]>();

  private constructor(readonly name: string, readonly pmap: PipelineMapping, private readonly store: MappingStore) {}

  /** Load a .pmap (its imaps and rmaps load on first use). */
  static load(name: string, store: MappingStore): CrdsContext {
    if (!/\.pmap$/.test(name)) throw new CrdsError('crds-context', `not a context (.pmap) name: ${JSON.stringify(name)}`);
    const m = store.get(name);
    if (m.kind !== 'pipeline') throw new CrdsError('crds-context', `${name} is not a pipeline mapping`, { file: name });
    return new CrdsContext(name, m, store);
  }

  get instrumentKey(): string {
    return this.pmap.instrumentKey;
  }

  /** Upper-case instrument names this context covers. */
  instruments(): string[] {
    return [...this.pmap.selections.keys()].map((k) => k.toUpperCase()).sort();
  }

  /** The instrument mapping; CrdsUnknownInstrumentError when the context has none. */
  imap(instrument: string): InstrumentMapping {
    const key = instrument.toLowerCase();
    const name = this.pmap.selections.get(key);
    if (name === undefined || isSpecialValue(name)) {
      throw new LookupError('CrdsUnknownInstrumentError', `Unknown instrument '${key}' for context '${this.name}'`);
    }
    const m = this.store.get(name);
    if (m.kind !== 'instrument') throw new CrdsError('crds-context', `${name} is not an instrument mapping`, { file: name });
    return m;
  }

  rmap(name: string): ReferenceMapping {
    const m = this.store.get(name);
    if (m.kind !== 'reference') throw new CrdsError('crds-context', `${name} is not a reference mapping`, { file: name });
    return m;
  }

  /** Reference types of an instrument, lower case, sorted. */
  reftypes(instrument: string): string[] {
    return [...this.imap(instrument).selections.keys()].sort();
  }

  /** Parkeys needed for an instrument's lookups (the minimized header keys). */
  requiredParkeys(instrument: string): readonly string[] {
    const key = instrument.toLowerCase();
    let r = this.required.get(key);
    if (!r) {
      const imap = this.imap(key);
      const keys = new Set<string>(['REFTYPE']);
      for (const v of imap.selections.values()) {
        if (isSpecialValue(v)) continue;
        for (const p of this.rmap(v).requiredParkeys) keys.add(p);
      }
      for (const p of ALWAYS_MINIMIZED) keys.add(p);
      keys.add(this.instrumentKey);
      r = [...keys].sort();
      this.required.set(key, r);
    }
    return r;
  }

  /** Load every mapping of the context now; returns their names (pmap, imaps, rmaps). */
  loadAll(): string[] {
    const names = [this.name];
    for (const imapName of this.pmap.selections.values()) {
      if (isSpecialValue(imapName)) continue;
      names.push(imapName);
      const imap = this.store.get(imapName);
      if (imap.kind !== 'instrument') continue;
      for (const r of imap.selections.values()) {
        if (isSpecialValue(r)) continue;
        this.rmap(r);
        names.push(r);
      }
    }
    return [...new Set(names)].sort();
  }
}
