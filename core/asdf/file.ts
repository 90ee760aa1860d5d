/**
 * Whole ASDF files (ASDF Standard 1.5/1.6, "Low-level file layout"):
 *
 *   #ASDF 1.0.0                      header line (file format version)
 *   #ASDF_STANDARD 1.6.0             comment lines
 *   %YAML 1.1                        the tree: one YAML 1.1 document,
 *   %TAG ! tag:stsci.edu:asdf/         tagged core/asdf-1.x.0,
 *   --- !core/asdf-1.1.0               ending with the `...` marker
 *   ...
 *   \xd3BLK ...                      zero or more binary blocks
 *   #ASDF BLOCK INDEX                optional block index
 */
import { Document, LineCounter, parseDocument, type Node } from 'yaml';
import { AsdfError, WebbError } from '../errors/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { encodeBlock, encodeBlockIndex, isMagicAt, readBlocks, type AsdfBlock, type Compression } from './blocks.ts';
import { isMarkedFloat, markFloat, Tagged } from './scalars.ts';
import { readTree } from './tree-read.ts';
import { writeTree } from './tree-write.ts';

export const ASDF_ROOT_TAG = 'tag:stsci.edu:asdf/core/asdf-1.1.0';
export const SOFTWARE_TAG = 'tag:stsci.edu:asdf/core/software-1.0.0';
export const WEBBDESK_VERSION = '0.1.0';
const ROOT_TAG_RE = /^tag:stsci\.edu:asdf\/core\/asdf-1\.\d+\.\d+$/;

export interface AsdfFile {
  /** The tree (the root mapping, its `core/asdf` tag removed). */
  tree: Record<string, unknown>;
  blocks: AsdfBlock[];
  /** File format version from the `#ASDF` line. */
  version: string;
  /** From the `#ASDF_STANDARD` comment ('' when absent). */
  standardVersion: string;
  /** The root tag as written (e.g. `tag:stsci.edu:asdf/core/asdf-1.1.0`). */
  rootTag?: string;
}

export interface ParseOptions {
  /** Throw on a block checksum mismatch (default true); false only records `checksumValid`. */
  verifyChecksums?: boolean;
}

export interface SerializeOptions {
  /** Compression for every block; by default blocks read from a file keep theirs and new ones are uncompressed. */
  compression?: 'none' | 'zlib' | 'bzp2';
  /** `#ASDF_STANDARD` to declare (default 1.6.0). */
  standardVersion?: string;
  /** Root tag (default core/asdf-1.1.0). */
  rootTag?: string;
  /** Arrays to store outside the file, as `source` URIs (ASDF-in-FITS). */
  externalSource?: (a: NDArray) => string | undefined;
}

const latin1 = new TextDecoder('latin1');

function readLine(bytes: Uint8Array, pos: number): { text: string; next: number } {
  let end = bytes.indexOf(0x0a, pos);
  if (end < 0) end = bytes.length;
  return { text: latin1.decode(bytes.subarray(pos, end)).replace(/\r$/, ''), next: Math.min(end + 1, bytes.length) };
}

/** Byte offset just after the `...` line ending the tree, searching from `from`; -1 if none. */
function findTreeEnd(bytes: Uint8Array, from: number): number {
  for (let p = bytes.indexOf(0x2e, from); p >= 0; p = bytes.indexOf(0x2e, p + 1)) {
    if (bytes[p + 1] !== 0x2e || bytes[p + 2] !== 0x2e) continue;
    if (p > 0 && bytes[p - 1] !== 0x0a) continue;
    const after = bytes[p + 3];
    if (after === 0x0a) return p + 4;
    if (after === 0x0d && bytes[p + 4] === 0x0a) return p + 5;
    if (after === undefined) return p + 3;
  }
  return -1;
}

/** Parse a complete ASDF file held in memory. */
export function parseAsdf(bytes: Uint8Array, file?: string, opts: ParseOptions = {}): AsdfFile {
  try {
    return parseInner(bytes, file, opts);
  } catch (e) {
    if (e instanceof WebbError) throw e;
    // A third-party decoder or the YAML parser failed on malformed input.
    const msg = e instanceof Error ? e.message : String(e);
    throw new AsdfError('asdf-malformed', `malformed ASDF file: ${msg}`, { file }, { cause: e });
  }
}

function parseInner(bytes: Uint8Array, file: string | undefined, opts: ParseOptions): AsdfFile {
  const first = readLine(bytes, 0);
  const m = /^#ASDF (\d+\.\d+\.\d+)\s*$/.exec(first.text);
  if (!m) throw new AsdfError('asdf-header', `not an ASDF file: first line is ${JSON.stringify(first.text.slice(0, 40))}, expected "#ASDF 1.0.0"`, { file });
  const version = m[1];
  let standardVersion = '';
  let pos = first.next;
  // Comment lines (ASDF Standard: "Comments"), e.g. #ASDF_STANDARD 1.6.0
  while (pos < bytes.length && bytes[pos] === 0x23 && !isMagicAt(bytes, pos)) {
    const line = readLine(bytes, pos);
    if (line.text.startsWith('#ASDF BLOCK INDEX')) break;
    const s = /^#ASDF_STANDARD (\S+)/.exec(line.text);
    if (s) standardVersion = s[1];
    pos = line.next;
  }
  let treeText: string | undefined;
  let treeStart = pos;
  let blockStart = pos;
  if (pos < bytes.length && !isMagicAt(bytes, pos) && !latin1.decode(bytes.subarray(pos, pos + 17)).startsWith('#ASDF BLOCK INDEX')) {
    const end = findTreeEnd(bytes, pos);
    if (end < 0) throw new AsdfError('asdf-yaml', 'the YAML tree has no "..." end marker (truncated file?)', { file });
    try {
      treeText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(pos, end));
    } catch {
      throw new AsdfError('asdf-yaml', 'the YAML tree is not valid UTF-8', { file });
    }
    treeStart = pos;
    blockStart = end;
  }
  // Blocks follow the tree; only whitespace (or padding NULs) may come between.
  let p = blockStart;
  while (p < bytes.length && [0x20, 0x0a, 0x0d, 0x09, 0].includes(bytes[p])) p++;
  let blocks: AsdfBlock[] = [];
  if (isMagicAt(bytes, p)) blocks = readBlocks(bytes, p, { file, verifyChecksums: opts.verifyChecksums });
  else if (p < bytes.length && !latin1.decode(bytes.subarray(p, p + 17)).startsWith('#ASDF BLOCK INDEX')) {
    throw new AsdfError('asdf-block', `unexpected bytes after the tree at byte ${p}: expected a block or the block index`, { file });
  }
  let tree: Record<string, unknown> = {};
  let rootTag: string | undefined;
  if (treeText !== undefined) {
    const headerLines = bytes.subarray(0, treeStart).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    const result = parseTreeText(treeText, blocks, file, headerLines);
    tree = result.tree;
    rootTag = result.rootTag;
  }
  return rootTag !== undefined ? { tree, blocks, version, standardVersion, rootTag } : { tree, blocks, version, standardVersion };
}

function parseTreeText(text: string, blocks: AsdfBlock[], file: string | undefined, headerLines: number): { tree: Record<string, unknown>; rootTag?: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', version: '1.1', uniqueKeys: true, lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new AsdfError('asdf-yaml', `invalid YAML in the tree: ${e.message.split('\n')[0]}`, line !== undefined ? { file, line: line + headerLines } : { file });
  }
  const value = readTree(doc.contents as Node | null, { file, blocks, lineOf: (off) => lines.linePos(off).line + headerLines });
  let root = value;
  let rootTag: string | undefined;
  if (root instanceof Tagged && ROOT_TAG_RE.test(root.tag)) {
    rootTag = root.tag;
    root = root.value;
  }
  if (root === null) return { tree: {} };
  if (typeof root !== 'object' || Array.isArray(root) || root instanceof Tagged) {
    throw new AsdfError('asdf-yaml', 'the tree root is not a mapping', { file });
  }
  return rootTag !== undefined ? { tree: root as Record<string, unknown>, rootTag } : { tree: root as Record<string, unknown> };
}

/** Write a tree (with NDArray / AsdfNDArray values anywhere) as a complete ASDF file. */
export function serializeAsdf(tree: Record<string, unknown>, opts: SerializeOptions = {}): Uint8Array {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw new AsdfError('asdf-serialize', 'the tree must be a mapping');
  }
  // A tree without asdf_library gets ours first; otherwise the tree's key order is kept.
  let root = tree;
  if (tree.asdf_library === undefined) {
    root = {
      asdf_library: new Tagged(SOFTWARE_TAG, { name: 'webbdesk', version: WEBBDESK_VERSION }),
    };
    copyMarked(tree, root);
  }
  const { node, blocks } = writeTree(root, { externalSource: opts.externalSource });
  (node as Node & { tag?: string }).tag = opts.rootTag ?? ASDF_ROOT_TAG;
  const doc = new Document(null, { version: '1.1', schema: 'failsafe' });
  doc.directives!.tags['!'] = 'tag:stsci.edu:asdf/';
  doc.directives!.yaml.explicit = true;
  doc.contents = node as never;
  let yaml = doc.toString({ lineWidth: 100 });
  // Keep the root tag on the `---` line, as the Standard's examples show.
  yaml = yaml.replace(/^---\n(!\S+)\n/m, '--- $1\n');
  if (!/\n\.\.\.\n$/.test(yaml)) yaml += '...\n';
  const header = `#ASDF 1.0.0\n#ASDF_STANDARD ${opts.standardVersion ?? '1.6.0'}\n`;
  const head = new TextEncoder().encode(header + yaml);
  const encoded = blocks.map((b) => {
    const c: Compression = opts.compression ?? (b.original && b.original.compression !== 'lz4' ? b.original.compression : 'none');
    return encodeBlock(b.data, c);
  });
  const offsets: number[] = [];
  let size = head.length;
  for (const e of encoded) {
    offsets.push(size);
    size += e.length;
  }
  const index = encoded.length ? new TextEncoder().encode(encodeBlockIndex(offsets)) : new Uint8Array(0);
  const out = new Uint8Array(size + index.length);
  out.set(head, 0);
  encoded.forEach((e, i) => out.set(e, offsets[i]));
  out.set(index, size);
  return out;
}

/** Copy the keys of `from` into `to`, keeping float marks. */
function copyMarked(from: Record<string, unknown>, to: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    if (k === 'asdf_library') continue;
    to[k] = v;
    if (isMarkedFloat(from, k)) markFloat(to, k);
  }
}
