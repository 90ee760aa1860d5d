/**
 * astropy-modeling transforms from ASDF files (distortion, specwcs, gwcs WCS
 * objects): read a tagged node into a JSON-serialisable TransformSpec and
 * build an evaluable Transform (columns of Float64Array in and out).
 */
import type { AsdfBlock } from '../blocks.ts';
import { buildTransform, type Transform } from './build.ts';
import { specFromAsdf } from './from-asdf.ts';

export type { Interval, TransformSpec, TransformType, BinaryOp } from './spec.ts';
export { buildTransform, evaluateInBox, type Transform } from './build.ts';
export { specFromAsdf, transformKind, type FromAsdfOptions } from './from-asdf.ts';

/** Build a Transform straight from an ASDF transform node (Tagged) and the file's blocks. */
export function transformFromAsdf(node: unknown, opts: { blocks?: readonly AsdfBlock[]; file?: string } = {}, path = ''): Transform {
  return buildTransform(specFromAsdf(node, opts, path));
}
