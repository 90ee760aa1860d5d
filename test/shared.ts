/** Locate ../shared (golden cases and external files) beside the repository. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.WEBBDESK_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
export const HAVE_SHARED = existsSync(path.join(SHARED, 'golden'));
if (!HAVE_SHARED && process.env.CI) {
  throw new Error(`shared test data not found at ${SHARED} (set WEBBDESK_SHARED)`);
}

export const sharedPath = (...p: string[]): string => path.join(SHARED, ...p);
