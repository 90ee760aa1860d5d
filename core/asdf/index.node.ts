/** File-system access for ASDF files (node core). */
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AsdfError, WebbError } from '../errors/index.ts';
import { parseAsdf, serializeAsdf, type AsdfFile, type ParseOptions, type SerializeOptions } from './file.ts';

/** Read and parse an ASDF file from disk. */
export async function readAsdfFile(file: string, opts?: ParseOptions): Promise<AsdfFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new AsdfError('asdf-io', `cannot read: ${(e as Error).message}`, { file }, { cause: e });
  }
  return parseAsdf(bytes, file, opts);
}

/**
 * Serialize `tree` and write it to `file` atomically: a temporary file in the same
 * directory is written, then renamed over the target; it is removed on failure.
 */
export async function writeAsdfFile(file: string, tree: Record<string, unknown>, opts?: SerializeOptions): Promise<void> {
  const bytes = serializeAsdf(tree, opts);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if (e instanceof WebbError) throw e;
    throw new AsdfError('asdf-io', `cannot write: ${(e as Error).message}`, { file }, { cause: e });
  }
}
