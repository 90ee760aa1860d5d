/** Test-only: list files under directories (used by the ASDF tests over ../shared). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Files under `roots` whose names end with `suffix`, sorted. */
export function findFiles(roots: readonly string[], suffix: string): string[] {
  const out: string[] = [];
  for (const root of roots) {
    for (const rel of readdirSync(root, { recursive: true }) as string[]) {
      if (rel.endsWith(suffix)) out.push(path.join(root, rel));
    }
  }
  return out.sort();
}
