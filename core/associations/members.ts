/**
 * How association members reach a pipeline flow: the runner loads each
 * member of one product and tags it with its exptype (and the association's
 * pool and file name) in meta.asn; a flow splits the list by exptype.
 * Flows remove the tag (untagMember) from the products they write.
 */
import { getMeta, type Meta } from '../datamodels/meta.ts';
import type { JwstModel } from '../stpipe/model.ts';

export interface MemberTag {
  /** Member exptype as in the association (science, background, imprint, selfcal, ...). */
  readonly exptype: string;
  /** asn_pool of the association ('singleton' for a single file). */
  readonly poolName?: string;
  /** File name of the association ('singleton' for a single file). */
  readonly tableName?: string;
}

/** A shallow copy of the model with meta.asn.{exptype,pool_name,table_name} set. */
export function tagMember(model: JwstModel, tag: MemberTag): JwstModel {
  const asn = { ...((model.meta.asn as Meta | undefined) ?? {}), exptype: tag.exptype.toLowerCase() } as Meta;
  if (tag.poolName !== undefined) asn.pool_name = tag.poolName;
  if (tag.tableName !== undefined) asn.table_name = tag.tableName;
  return { ...model, meta: { ...model.meta, asn } };
}

/**
 * The member exptype of a model ('science' when untagged): the runner's
 * association tag (model.asn, set when it loads an association's members)
 * or the meta.asn tag of tagMember.
 */
export function memberExptype(model: JwstModel): string {
  const v = model.asn?.exptype ?? getMeta(model.meta, 'asn.exptype');
  return typeof v === 'string' ? v.toLowerCase() : 'science';
}

/** A copy without the exptype tag (pool_name/table_name stay: jwst records them). */
export function untagMember(model: JwstModel): JwstModel {
  const asn = model.meta.asn as Meta | undefined;
  if (!asn || !('exptype' in asn)) return model;
  const { exptype: _dropped, ...rest } = asn;
  return { ...model, meta: { ...model.meta, asn: rest } };
}

/** Members grouped by exptype, in input order. */
export function membersByType(input: JwstModel | readonly JwstModel[]): Record<string, JwstModel[]> {
  const list = Array.isArray(input) ? (input as readonly JwstModel[]) : [input as JwstModel];
  const out: Record<string, JwstModel[]> = {};
  for (const m of list) (out[memberExptype(m)] ??= []).push(m);
  return out;
}
