/**
 * SLOW (one esbuild build, then real runs in child processes: ~2 s here,
 * budgets up to 60 s per test on a loaded machine):
 * the bundled build works with plain `node`, no tsx. build/build.js is run
 * with WEBBDESK_BUILD_OUT=<temp>/app (dist/ is not touched); the temp folder
 * gets a node_modules holding only the two packages the bundle keeps
 * external (compressjs, seek-bzip), so neither tsx nor the sources are
 * reachable from the bundle. Then:
 *  - `node cli.mjs info` describes a golden ramp (RampModel, SCI 3x12x64x72);
 *  - `node cli.mjs strun jump` on the golden ramp_fit_jump p01 case writes a
 *    _jumpstep.fits whose SCI and PIXELDQ equal jwst 3.0's and whose GROUPDQ
 *    differs in at most 0.01% of flags (case.json tolerance);
 *  - `node cli.mjs serve` + one white_light run started through the
 *    WebSocket client (core/api/ws-client.ts) on the golden lrs_spec2_tso3
 *    p01 x1dints: the run record says versions['webbdesk.runWorker'] =
 *    'bundled' (set by run-worker.mjs, core/api/run-worker-bundle.node.ts)
 *    and the curve equals jwst 3.0's whtlt (rtol 1e-5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../core/api/transport.ts';
import type { RunRecord } from '../core/api/types.ts';
import { webSocketTransport } from '../core/api/ws-client.ts';
import { FitsFile } from '../core/fits/index.node.ts';
import { connectWs } from '../test/api/node-ws.ts';
import { ecsvColumns } from '../test/api/runs-case.ts';
import { groupdqDiff } from '../test/golden/case-outputs.ts';
import { HAVE_SHARED, REPO_ROOT, sharedPath } from '../test/shared.ts';

const JUMP = sharedPath('golden', 'ramp_fit_jump', 'p01_sub64_imaging');
const RAMP = 'jw09001001011_01101_00001_mirimage_ramp.fits';
const LRS = sharedPath('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit');
const PRODUCT = 'jw09003003011-o001_t001_miri_p750l-slitlessprism';

interface Ran { code: number | null; stdout: string; stderr: string }

/** `node args` in `cwd` with `env` (not the test's own: no NODE_OPTIONS, no loaders). */
function node(args: string[], cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A CRDS cache holding `caseDir`'s crds_context maps, and the environment case.json "crds" describes. */
async function crdsEnv(caseDir: string, dir: string): Promise<Record<string, string>> {
  const maps = path.join(dir, 'crds', 'mappings', 'jwst');
  await mkdir(maps, { recursive: true });
  const files = await readdir(path.join(caseDir, 'crds_context'));
  for (const m of files) await copyFile(path.join(caseDir, 'crds_context', m), path.join(maps, m));
  return {
    PATH: process.env.PATH ?? '', HOME: dir, WEBBDESK_SETTINGS: path.join(dir, 'settings.json'),
    CRDS_MODE: 'local', CRDS_PATH: path.join(dir, 'crds'), CRDS_CONTEXT: files.find((f) => f.endsWith('.pmap'))!,
    CRDS_SERVER_URL: 'https://crds.invalid', STPIPE_DISABLE_CRDS_STEPPARS: 'True',
  };
}

async function image(file: string, extname: string): Promise<ArrayLike<number>> {
  const f = await FitsFile.open(file);
  try {
    return (await f.readImage(f.hdus.find((h) => h.extname === extname)!.index)).data as ArrayLike<number>;
  } finally {
    await f.close();
  }
}

const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe.skipIf(!HAVE_SHARED)('SLOW: the bundled build (node dist/app/cli.mjs, no tsx)', () => {
  let tmp = '';
  let app = '';
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'webbdesk-build-'));
    app = path.join(tmp, 'app');
    const b = await node([path.join(REPO_ROOT, 'build', 'build.js')], REPO_ROOT, { PATH: process.env.PATH ?? '', WEBBDESK_BUILD_OUT: app });
    expect(b.code, b.stderr).toBe(0);
    await mkdir(path.join(tmp, 'node_modules'));
    for (const p of ['compressjs', 'seek-bzip']) await symlink(path.join(REPO_ROOT, 'node_modules', p), path.join(tmp, 'node_modules', p), 'dir');
  }, 60_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('builds cli.mjs with kernel.worker.mjs and run-worker.mjs beside it; `info` describes a golden ramp', async () => {
    for (const f of ['cli.mjs', 'kernel.worker.mjs', 'run-worker.mjs']) expect(existsSync(path.join(app, f)), f).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'node_modules', 'tsx')) && !existsSync(path.join(tmp, 'node_modules', 'tsx'))).toBe(true);
    const r = await node([path.join(app, 'cli.mjs'), 'info', path.join(JUMP, RAMP)], tmp, { PATH: process.env.PATH ?? '', HOME: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(': RampModel');
    expect(r.stdout).toMatch(/SCI\s+1\s+IMAGE\s+\(3, 12, 64, 72\)\s+float32/);
    expect(r.stdout).toMatch(/GROUPDQ\s+1\s+IMAGE\s+\(3, 12, 64, 72\)\s+uint8/);
  }, 30_000);

  it('`strun jump` on the golden ramp_fit_jump p01 case reproduces jwst 3.0 _jumpstep', async () => {
    const d = path.join(tmp, 'jump');
    await mkdir(d);
    for (const f of [RAMP, 'ref_gain_sub64.fits', 'ref_readnoise_sub64.fits']) await copyFile(path.join(JUMP, f), path.join(d, f));
    const env = await crdsEnv(JUMP, d);
    const cmd = `strun jump ${RAMP} --override_gain=ref_gain_sub64.fits --override_readnoise=ref_readnoise_sub64.fits --save_results=True --output_dir=.`;
    const r = await node([path.join(app, 'cli.mjs'), ...cmd.split(' ')], d, env);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const out = path.join(d, 'jw09001001011_01101_00001_mirimage_jumpstep.fits');
    const want = path.join(JUMP, 'jw09001001011_01101_00001_mirimage_jumpstep.fits');
    expect(sameValues(await image(out, 'SCI'), await image(want, 'SCI'))).toBe(true);
    expect(sameValues(await image(out, 'PIXELDQ'), await image(want, 'PIXELDQ'))).toBe(true);
    const jumps = Array.from(await image(want, 'GROUPDQ')).filter((v) => v & 4).length;
    const { differ, n } = await groupdqDiff(out, want);
    console.log(`bundled strun jump: GROUPDQ ${differ}/${n} flags differ from jwst 3.0 (${jumps} JUMP_DET groups in the golden file)`);
    expect(n).toBe(3 * 12 * 64 * 72);
    expect(jumps).toBeGreaterThan(25);
    expect(differ / n).toBeLessThanOrEqual(1e-4);
  }, 60_000);

  it('`serve` runs a white_light step started over the WebSocket in the bundled run worker; the curve equals jwst 3.0', async () => {
    const d = path.join(tmp, 'serve');
    await mkdir(d);
    const x1d = `${PRODUCT}_x1dints.fits`;
    await copyFile(path.join(LRS, x1d), path.join(d, x1d));
    const env = await crdsEnv(LRS, path.join(tmp, 'serve-home'));
    const child = spawn(process.execPath, [path.join(app, 'cli.mjs'), 'serve', '--port', '0', '--project', d], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /webbdesk serve: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (m) resolve(new URL(m[1]!));
      });
      child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
    });
    const ws = await connectWs(`http://${url.host}/ws?token=${url.searchParams.get('token')}`);
    try {
      const api = createClient(webSocketTransport(ws));
      expect(await api.call('runs.available', {})).toEqual({ available: true, reason: null });
      const finished = new Promise<RunRecord>((resolve) => api.on('onDidFinishRun', resolve));
      const params = { min_wavelength: 6, max_wavelength: 10, override_wavelengthrange: 'N/A', save_results: true };
      const { runId } = await api.call('runs.start', { path: path.join(d, x1d), step: 'white_light', params });
      const rec = await finished;
      expect(rec.runId).toBe(runId);
      expect(rec.error, stderr).toBeNull();
      expect(rec.state).toBe('finished');
      expect(rec.versions['webbdesk.runWorker']).toBe('bundled'); // ran in run-worker.mjs, not on the serving thread
      const whtlt = rec.outputs.find((o) => o.endsWith(`${PRODUCT}_whtlt.ecsv`));
      expect(whtlt).toBeDefined();
      const got = ecsvColumns(await readFile(whtlt!, 'utf8'));
      const want = ecsvColumns(await readFile(path.join(LRS, `${PRODUCT}_whtlt.ecsv`), 'utf8'));
      expect(got.MJD_UTC).toEqual(want.MJD_UTC);
      expect(got.whitelight_flux).toHaveLength(8);
      got.whitelight_flux!.forEach((f, i) => expect(Math.abs(f / want.whitelight_flux![i]! - 1)).toBeLessThan(1e-5));
    } finally {
      ws.socket.destroy();
    }
  }, 60_000);
});
