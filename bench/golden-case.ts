/**
 * Helpers of the benchmarks built on a golden case (detector1-memory,
 * spec2-tso3): INT_TIMES extended to more integrations, a local CRDS
 * environment holding the case's context, and running the bench file itself
 * as a child process (so each measurement has its own peak RSS).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FitsTable } from '../core/fits/index.ts';

/** INT_TIMES of n rows continuing the golden cadence (every time column advanced by the same step). */
export function extendTimes(t: FitsTable, n: number): FitsTable {
  return {
    nrows: n,
    columns: t.columns.map((c) => {
      const src = c.data as Float64Array | Int32Array;
      const out = new (src.constructor as new (k: number) => Float64Array | Int32Array)(n);
      const step = t.nrows > 1 ? Number(src[1]) - Number(src[0]) : 0;
      for (let i = 0; i < n; i++) out[i] = c.name.toLowerCase() === 'integration_number' ? i + 1 : Number(src[0]) + step * i;
      return { ...c, data: out };
    }),
  };
}

/**
 * CRDS environment (local mode, offline) for a cache at `dir`/crds whose
 * mappings are the case's `contextDir` (its crds_context folder) copied in.
 */
export function crdsEnv(dir: string, contextDir: string): Record<string, string> {
  const maps = path.join(dir, 'crds', 'mappings', 'jwst');
  mkdirSync(maps, { recursive: true });
  for (const m of readdirSync(contextDir)) copyFileSync(path.join(contextDir, m), path.join(maps, m));
  return { CRDS_MODE: 'local', CRDS_PATH: path.join(dir, 'crds'), CRDS_CONTEXT: 'jwst_golden_0001.pmap', CRDS_SERVER_URL: 'https://crds.invalid' };
}

/** Run `script --<mode> <file>` under tsx in a child process; returns the JSON object of its last stdout line. */
export function runChild(script: string, mode: string, file: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, `--${mode}`, file], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}
