import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AsdfError } from '../errors/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { AsdfNDArray, resolveArray } from './index.ts';
import { readAsdfFile, writeAsdfFile } from './index.node.ts';

describe('readAsdfFile / writeAsdfFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-asdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes atomically and reads back', async () => {
    const file = path.join(dir, 'model.asdf');
    writeFileSync(file, 'old contents');
    const data = ndarray(Float32Array.of(1, 2, 3, 4), [2, 2]);
    await writeAsdfFile(file, { meta: { model_type: 'ImageModel' }, data }, { compression: 'zlib' });
    expect(readdirSync(dir)).toEqual(['model.asdf']); // no temporary left behind
    const f = await readAsdfFile(file);
    expect(f.tree.meta).toEqual({ model_type: 'ImageModel' });
    expect(f.blocks[0].compression).toBe('zlib');
    expect(resolveArray(f.tree.data as AsdfNDArray, f.blocks)).toEqual(data);
  });

  it('removes the temporary file and keeps the old file when writing fails', async () => {
    const file = path.join(dir, 'keep.asdf');
    writeFileSync(file, 'previous');
    await expect(writeAsdfFile(file, { bad: () => 0 })).rejects.toThrow(AsdfError);
    await expect(writeAsdfFile(path.join(dir, 'no-such-dir', 'x.asdf'), { a: 1 })).rejects.toThrow(/no-such-dir.*cannot write/);
    expect(readdirSync(dir).sort()).toEqual(['keep.asdf', 'model.asdf']);
  });

  it('names the file when it cannot be read or parsed', async () => {
    await expect(readAsdfFile(path.join(dir, 'missing.asdf'))).rejects.toThrow(/missing\.asdf: cannot read/);
    const junk = path.join(dir, 'junk.asdf');
    writeFileSync(junk, 'not asdf');
    await expect(readAsdfFile(junk)).rejects.toThrow(/junk\.asdf: not an ASDF file/);
    rmSync(junk);
  });
});
