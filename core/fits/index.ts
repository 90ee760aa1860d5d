/**
 * FITS Standard 4.0 reader and writer, pure part (bytes in, bytes out).
 * File access lives in ./index.node.ts.
 */
export {
  type Card, type CardKind, type CardValue, formatCard, formatFloat, parseCardString, normalizeKey,
  BLOCK_LENGTH, CARD_LENGTH,
} from './card.ts';
export { Header, parseHeader, formatHeader, findHeaderEnd, type Where } from './header.ts';
export { type HduType, type HduInfo, describeHdu, padTo2880 } from './hdu.ts';
export {
  type ImageLayout, type EncodeImageOptions, type Swapper, imageLayout, decodeImage, decodeImagePlane, decodeImageOwned,
  encodeImage, encodeImageData, imageCards, planeRange, swapInPlace, elementBytes,
} from './image.ts';
export { type FitsTable, type TableColumn, type TableColumnSpec, type ColumnData, decodeTable, tableLayout } from './bintable.ts';
export { encodeTable } from './bintable-encode.ts';
export { decodeAsciiTable, asciiTableLayout } from './ascii-table.ts';
export { parseTform, parseTdim, formatTdim } from './tform.ts';
export {
  computeDatasum, computeChecksum, encodeChecksum, verifyChecksum, OnesSum, addOnes, type ChecksumStatus,
} from './checksum.ts';
export {
  type FitsHdu, type HduSpec, type SerializeOptions, parseFits, serializeFits, serializeHdu, prepareHdu, prepareImageHdu, applyChecksum,
  decodeHduData,
} from './fits.ts';
