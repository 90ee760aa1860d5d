/**
 * ASDF reader and writer (ASDF Standard 1.5/1.6): trees with tags kept,
 * ndarray nodes, binary blocks (none/zlib/bzp2, MD5-checked), the block index,
 * ASDF-in-FITS metadata cells, and stpipe parameter files.
 * File access is in index.node.ts (readAsdfFile / writeAsdfFile).
 */
export { Tagged, untag, markFloat, isMarkedFloat, TIMESTAMP_TAG } from './scalars.ts';
export type { AsdfBlock, Compression } from './blocks.ts';
export {
  AsdfNDArray, resolveArray, resolveFields, itemSize, NDARRAY_TAG, type FieldColumn,
  type AsdfDatatype, type AsdfField, type ByteOrder,
} from './ndarray-node.ts';
export {
  parseAsdf, serializeAsdf, ASDF_ROOT_TAG,
  type AsdfFile, type ParseOptions, type SerializeOptions,
} from './file.ts';
export { parseAsdfInFits, serializeAsdfInFits, fitsSourceOf, fitsReferences, type FitsRef } from './fits-embed.ts';
export { readParameterFile, writeParameterFile, type StepParameters, type WriteParameterOptions } from './params.ts';
export { md5 } from './md5.ts';
