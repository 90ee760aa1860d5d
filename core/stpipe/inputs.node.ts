/**
 * What a run works on: a file (loaded whole), an in-memory model or list, or
 * an association (one unit per product; members loaded in order, each with
 * model.asn set so pipelines can tell science from background members).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { StepError } from '../errors/index.ts';
import { isModel, type JwstModel } from './model.ts';
import { loadModel } from './model-io.node.ts';
import type { StepInput } from './types.ts';

/** The association shape the runner uses (core/associations' readAssociation returns it). */
export interface AssociationLike {
  readonly asn_id?: string;
  readonly asn_type?: string;
  readonly asn_rule?: string;
  readonly asn_pool?: string;
  readonly products: ReadonlyArray<{ readonly name: string; readonly members: ReadonlyArray<{ readonly expname: string; readonly exptype: string }> }>;
}

/** What runStep/runPipeline accept. */
export type RunInput = string | StepInput | { readonly kind: 'association'; readonly path?: string; readonly asn: AssociationLike };

/** One unit of work: a product name (for output names) and how to get its input. */
export interface WorkUnit {
  /** Base for output names: the input file, or the association product name. */
  readonly base: string;
  /** For events and messages. */
  readonly label: string;
  readonly load: () => Promise<StepInput>;
  readonly fromAssociation: boolean;
}

async function readAsn(file: string): Promise<AssociationLike> {
  // core/associations validates members and exptypes; fall back to plain JSON when it is not there.
  const mod = '../associations/index.node.ts';
  try {
    const m = (await import(/* @vite-ignore */ mod)) as { readAssociation?: (p: string) => Promise<AssociationLike> | AssociationLike };
    if (m.readAssociation) return await m.readAssociation(file);
  } catch (e) {
    if (!(e instanceof Error) || !/Cannot find module|Failed to load|ERR_MODULE_NOT_FOUND|does not exist/i.test(e.message)) throw e;
  }
  let asn: unknown;
  try {
    asn = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new StepError('bad-association', `cannot read association: ${(e as Error).message}`, { file });
  }
  const a = asn as AssociationLike;
  if (!a || !Array.isArray(a.products)) throw new StepError('bad-association', 'association has no "products" list', { file });
  return a;
}

function annotate(m: JwstModel, asnFile: string | undefined, a: AssociationLike, product: string, exptype: string): JwstModel {
  // As jwst records association members: meta.asn.pool_name is the pool the
  // association came from, meta.asn.table_name the association file's name
  // (ASNPOOL/ASNTABLE; 'singleton' only for a file run on its own).
  const recorded = { ...((m.meta.asn as Record<string, unknown> | undefined) ?? {}) } as Record<string, string>;
  if (a.asn_pool !== undefined) recorded.pool_name = String(a.asn_pool);
  if (asnFile) recorded.table_name = path.basename(asnFile);
  m = { ...m, meta: { ...m.meta, asn: recorded } };
  return { ...m, asn: { exptype, productName: product, asnFile, asnType: a.asn_type, asnRule: a.asn_rule, ...(a.asn_id ? { asnId: a.asn_id } : {}) } };
}

/** How a file input becomes a model: loadModel, or a pipeline's own opener (e.g. a stream stub for a large cube). */
export type ModelOpener = (path: string) => Promise<JwstModel>;

function associationUnits(a: AssociationLike, file: string | undefined, open: ModelOpener): WorkUnit[] {
  const dir = file ? path.dirname(file) : process.cwd();
  return a.products.map((p) => ({
    base: p.name,
    label: p.name,
    fromAssociation: true,
    load: async () => {
      if (p.members.length === 0) throw new StepError('bad-association', `product ${p.name} has no members`, { file });
      const out: JwstModel[] = [];
      for (const mem of p.members) out.push(annotate(await open(path.resolve(dir, mem.expname)), file, a, p.name, mem.exptype));
      return out;
    },
  }));
}

/** Split an input into work units (files are loaded lazily, inside the run). */
export async function workUnits(input: RunInput, cwd: string, open: ModelOpener = loadModel): Promise<WorkUnit[]> {
  if (typeof input === 'string') {
    const file = path.resolve(cwd, input);
    if (/\.json$/i.test(file)) return associationUnits(await readAsn(file), file, open);
    return [{ base: file, label: input, fromAssociation: false, load: () => open(file) }];
  }
  if (!Array.isArray(input) && typeof input === 'object' && (input as { kind?: string }).kind === 'association') {
    const a = input as { path?: string; asn: AssociationLike };
    return associationUnits(a.asn, a.path, open);
  }
  const first = isModel(input) ? input : (input as readonly JwstModel[])[0];
  const base = first?.source ?? (typeof first?.meta.filename === 'string' ? first.meta.filename : 'step_output');
  return [{ base, label: base, fromAssociation: false, load: async () => input as StepInput }];
}
