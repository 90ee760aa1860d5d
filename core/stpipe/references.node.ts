/**
 * Reference files for a run: override_<reftype> (a path, or 'N/A'), else CRDS
 * best references for the input's header (the same rules as `webbdesk crds
 * bestrefs`), with files fetched into the cache when the mode allows; and the
 * CRDS parameter references (pars-<class name lower case>) when the context
 * has that reference type. stpipe docs, "Reference Files" and "Parameter Files".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bestrefs, parkeysFromFitsHeader, type CrdsContext } from '../crds/index.ts';
import { effectiveContext, referencePath, resolveConfig, type CrdsConfig } from '../crds/config.node.ts';
import { loadContext } from '../crds/context.node.ts';
import { metaToHeaders, type Meta } from '../datamodels/meta.ts';
import { CrdsError, StepError } from '../errors/index.ts';
import { Header } from '../fits/index.ts';
import type { ReferenceChoice } from './types.ts';

/** How the runner reaches CRDS. */
export interface CrdsRunOptions {
  /** Environment for resolveConfig (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A resolved configuration (wins over env). */
  readonly config?: CrdsConfig;
  /** A context name (.pmap) to use instead of CRDS_CONTEXT / pin / operational. */
  readonly context?: string;
}

/** CRDS parkeys of a model's meta: its keywords as a FITS header would carry them. */
export function parkeysFromMeta(meta: Meta): Record<string, unknown> {
  const h = new Header();
  metaToHeaders(meta, () => h);
  return parkeysFromFitsHeader((kw) => h.get(kw) ?? undefined);
}

export const NOT_APPLICABLE = 'N/A';

/** One CRDS session per run: the context is loaded once, lazily. */
export class CrdsSession {
  private cfg: CrdsConfig | undefined;
  private ctx: CrdsContext | undefined;
  private ctxError: unknown;

  constructor(private readonly opts: CrdsRunOptions = {}) {}

  config(): CrdsConfig {
    return (this.cfg ??= this.opts.config ?? resolveConfig(this.opts.env ?? process.env));
  }

  /** The loaded context; throws CrdsError when there is none (no cache, unknown name). */
  context(): CrdsContext {
    if (this.ctx) return this.ctx;
    if (this.ctxError) throw this.ctxError;
    try {
      const cfg = this.config();
      const name = this.opts.context ?? effectiveContext(cfg).context;
      this.ctx = loadContext(name, cfg);
      return this.ctx;
    } catch (e) {
      this.ctxError = e;
      throw e;
    }
  }

  /** The context name if one can be loaded, else undefined (for bookkeeping). */
  contextName(): string | undefined {
    try {
      return this.context().name;
    } catch {
      return undefined;
    }
  }

  /** Local path of a reference, fetching it when the cache lacks it and the mode allows. */
  async fetch(name: string): Promise<string> {
    const cfg = this.config();
    const have = referencePath(cfg, name);
    if (have) return have;
    if (cfg.mode === 'local') {
      throw new CrdsError('crds-missing-reference', `reference ${name} is not in the CRDS cache ${cfg.referenceDir} and CRDS_MODE=local forbids fetching it`, { file: name });
    }
    const { sync } = await import('../crds/sync.node.ts');
    const r = await sync({ config: cfg, contexts: [this.context().name], files: [name] });
    const got = referencePath(cfg, name);
    if (!got) {
      const why = r.failed.find((f) => f.file === name)?.message ?? 'the server did not provide it';
      throw new CrdsError('crds-missing-reference', `cannot fetch reference ${name}: ${why}`, { file: name });
    }
    return got;
  }

  /** Best reference of one type for a dataset's meta (CRDS N/A -> not applicable). */
  async bestref(meta: Meta, reftype: string): Promise<ReferenceChoice> {
    const ctx = this.context();
    const r = bestrefs(ctx, parkeysFromMeta(meta), { reftypes: [reftype], allowBad: this.config().allowBadReferences });
    if (r.call.status === 'raised') {
      throw new CrdsError('crds-bestrefs', `CRDS could not choose a ${reftype} reference in ${ctx.name}: ${r.call.message.trim()}`, { parameter: reftype });
    }
    const a = r.answers[reftype.toLowerCase()];
    if (!a || a.kind === 'n/a') return { kind: 'not-applicable', source: 'crds' };
    if (a.kind === 'error') {
      throw new CrdsError('crds-bestrefs', `no ${reftype} reference in ${ctx.name}: ${a.value.replace(/^NOT FOUND /, '')}`, { parameter: reftype });
    }
    return { kind: 'file', path: await this.fetch(a.value), name: `crds://${a.value}`, source: 'crds' };
  }

  /**
   * The CRDS parameter reference for a step/pipeline class ('pars-jumpstep'),
   * or undefined when the context has no such type, says N/A, or CRDS is not
   * set up at all (then `note` says why, for a debug line).
   */
  async parsReference(meta: Meta, className: string, note: (msg: string) => void): Promise<string | undefined> {
    const reftype = `pars-${className.toLowerCase()}`;
    let ctx: CrdsContext;
    try {
      ctx = this.context();
    } catch (e) {
      note(`no CRDS context for ${reftype}: ${(e as Error).message}`);
      return undefined;
    }
    const r = bestrefs(ctx, parkeysFromMeta(meta), { reftypes: [reftype] });
    const a = r.answers[reftype];
    if (r.call.status === 'raised' || !a || a.kind === 'n/a') return undefined;
    if (a.kind === 'error') {
      if (a.exception !== 'CrdsUnknownReftypeError') note(`${reftype}: ${a.value}`);
      return undefined;
    }
    return this.fetch(a.value);
  }
}

/**
 * What one `override_<reftype>` value means: undefined (not set), N/A, or a
 * file (relative paths against `cwd`). The recorded name is the file's base
 * name, as stpipe records overrides.
 */
export function overrideChoice(value: unknown, reftype: string, cwd: string): ReferenceChoice | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const s = String(value).trim();
  if (s.toUpperCase() === NOT_APPLICABLE) return { kind: 'not-applicable', source: 'override' };
  const p = path.resolve(cwd, s);
  if (!existsSync(p)) throw new StepError('missing-override', `override_${reftype} file ${s} does not exist`, { parameter: `override_${reftype}`, file: p });
  return { kind: 'file', path: p, name: path.basename(s), source: 'override' };
}
