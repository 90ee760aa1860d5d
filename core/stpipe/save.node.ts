/**
 * Writing step and pipeline products under stpipe's names, atomically
 * (FITS through writeModel, ECSV tables through a temporary file + rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StepError } from '../errors/index.ts';
import { cloneModel, isModel, type JwstModel } from './model.ts';
import { writeModel } from './model-io.node.ts';
import { outputName } from './naming.ts';
import type { RunState } from './run-state.node.ts';
import type { StepProduct, TableProduct } from './types.ts';

/** Write text (or bytes) atomically (temporary file beside the target, then rename). */
export async function writeTextAtomic(file: string, text: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new StepError('io', `cannot write ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
}

export interface SaveSpec {
  /** Output directory (created when missing). */
  readonly dir: string;
  /** Base name source: output_file, association product name or input path. */
  readonly base: string;
  readonly suffix: string;
  /** output_ext ('.fits'). */
  readonly ext: string;
  /** output_use_index: `_<i>_` for list products. */
  readonly useIndex: boolean;
  /** output_use_model: base each model's name on its meta.filename. */
  readonly useModel: boolean;
  /** Step/pipeline names to strip from base names besides the known ones. */
  readonly extraSuffixes: readonly string[];
  /** Who saves (for events and log lines). */
  readonly step: string;
}

function isTable(p: unknown): p is TableProduct {
  return typeof p === 'object' && p !== null && (p as TableProduct).kind === 'table';
}

/** Save a product; returns the paths written (also recorded in run.outputs). */
export async function saveProduct(run: RunState, product: StepProduct, spec: SaveSpec, log: (m: string) => void): Promise<string[]> {
  if (product === null) return [];
  await mkdir(spec.dir, { recursive: true });
  const written: string[] = [];
  const record = (p: string): void => {
    written.push(p);
    run.outputs.push(p);
    run.emit({ type: 'output-written', step: spec.step, path: p });
    log(`Saved model in ${p}`);
  };
  if (isTable(product)) {
    const file = path.join(spec.dir, outputName({ base: spec.base, suffix: spec.suffix, ext: `.${product.format}`, extraSuffixes: spec.extraSuffixes }));
    run.check();
    await writeTextAtomic(file, product.text);
    record(file);
    return written;
  }
  const list: readonly JwstModel[] = isModel(product) ? [product] : (product as readonly JwstModel[]);
  const many = !isModel(product);
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    const own = spec.useModel && typeof m.meta.filename === 'string' ? m.meta.filename : spec.base;
    const name = outputName({ base: own, suffix: spec.suffix, ext: spec.ext, index: many && spec.useIndex ? i : undefined, extraSuffixes: spec.extraSuffixes });
    const file = path.join(spec.dir, name);
    const out = cloneModel(m);
    out.meta.filename = name;
    run.check();
    await writeModel(file, out);
    record(file);
  }
  return written;
}
