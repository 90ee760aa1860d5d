/**
 * FITS file access (Node): lazy reading, atomic and streaming writing.
 * The pure codec is in ./index.ts.
 */
export { FitsFile, nativeSwap, type ReadStats } from './file.node.ts';
export { FitsWriter, writeFits, planeBytes } from './writer.node.ts';
export { FitsRandomWriter, type RandomHdu, type ImageLayoutSpec } from './random-writer.node.ts';
