/** Association files: read (validated, member files checked) and write (atomic). */
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StepError } from '../errors/index.ts';
import { parseAssociation, serializeAssociation, type Association } from './asn.ts';

export interface ReadAssociationOptions {
  /** Check that every member file exists relative to the association's folder (default true). */
  readonly checkMembers?: boolean;
}

/** Read and validate an association JSON file; member paths are relative to its folder. */
export async function readAssociation(file: string, opts: ReadAssociationOptions = {}): Promise<Association> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new StepError('io', `${file}: cannot read association (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  const asn = parseAssociation(text, file);
  if (opts.checkMembers !== false) {
    const dir = path.dirname(file);
    const missing: string[] = [];
    for (const p of asn.products) {
      for (const m of p.members) {
        try {
          await access(path.resolve(dir, m.expname));
        } catch {
          missing.push(`${m.expname} (${m.exptype}, product ${p.name})`);
        }
      }
    }
    if (missing.length > 0) throw new StepError('missing-member', `${file}: member file(s) not found in ${dir}: ${missing.join('; ')}`, { file });
  }
  return asn;
}

/** Write an association as jwst's asn.dump() does (atomic: temp name + rename). */
export async function writeAssociation(file: string, asn: Association): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, serializeAssociation(asn), 'utf8');
  await rename(tmp, file);
}

/** Member file paths of an association, resolved against its folder. */
export function memberPath(asnFile: string, expname: string): string {
  return path.resolve(path.dirname(asnFile), expname);
}
