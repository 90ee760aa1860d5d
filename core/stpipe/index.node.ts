/** core/stpipe with file I/O: the pure contract plus model loading/writing and the runner. */
export * from './index.ts';
export { loadModel, writeModel, readModelHeader, modelToHdus, metaSnapshot, slitMetaFromHeader } from './model-io.node.ts';
