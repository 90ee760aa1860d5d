/**
 * Image viewer frame cost in Chromium (issue 6: "changes stretch on a 2048 x
 * 2048 float image in under 16 ms per frame after upload").
 * The page (renderer/bench.html -> renderer/src/bench-stretch.ts) uploads a
 * 2048 x 2048 float32 image once into the viewer's renderer (ImageGl), then
 * times N frames, each = one stretch, limits-mode or colormap change + one
 * draw + a 1-pixel readPixels (waits for the GPU), with performance.now().
 * Interleaved with each frame, the same canvas size is drawn by a trivial
 * shader (one R32F texture fetch per fragment, nothing else) and a
 * clear-only frame: the floor of any full-canvas draw on this GL. Headless
 * Chromium here renders WebGL with SwiftShader (CPU), where fill costs scale
 * with the canvas's device pixels, so the ratio ours / trivial is the figure
 * that carries over to a real GPU.
 * Env: WEBBDESK_BENCH_GL_SIZES="1024@1,2048@1" (CSS size @ devicePixelRatio),
 * WEBBDESK_BENCH_GL_FRAMES=50.
 * Run: npx tsx bench/image-stretch.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebbDeskService } from '../core/api/service.node.ts';
import { startServer } from '../core/api/http.node.ts';
import { CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, ensureRendererBuilt } from '../test/browser/harness.ts';

const BAR_MS = 16;
interface Stats { median: number; p95: number; max: number; min: number }
interface Result {
  error?: string; css: number; dpr: number; canvasPx: [number, number]; image: [number, number]; frames: number;
  uploadMs: number; sampleMs: number; renderer: string; floatLinear: boolean; ours: Stats; byKind: Record<string, number>; trivial: Stats; trivialTexelFetch: Stats; clear: Stats;
}

const f = (x: number): string => x.toFixed(2);
const sizes = (process.env.WEBBDESK_BENCH_GL_SIZES ?? '1024@1,2048@1').split(',').map((s) => s.split('@').map(Number) as [number, number]);
const frames = Number(process.env.WEBBDESK_BENCH_GL_FRAMES ?? 50);

if (!HAVE_CHROMIUM) {
  console.log(`image-stretch: ${CHROMIUM} not found; skipped`);
  process.exit(0);
}
const out = await ensureRendererBuilt();
const dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-gl-'));
const { chromium } = await import('playwright-core');
const svc = new WebbDeskService({ settingsFile: path.join(dir, 's.json') });
const srv = await startServer(svc, svc.events, { staticDir: out });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (const [css, dpr] of sizes) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: dpr });
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${srv.port}/bench.html?token=${srv.token}&css=${css}&n=${frames}&img=2048`, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title === 'done', undefined, { timeout: 300_000 });
    const r = await page.evaluate(() => (globalThis as unknown as { benchResult: Result }).benchResult);
    await ctx.close();
    if (r.error) throw new Error(`bench page failed: ${r.error}`);
    const px = `${r.canvasPx[0]}x${r.canvasPx[1]}`;
    console.log(`image-stretch [${css}x${css} CSS px @ DPR ${r.dpr} = ${px} device px; image ${r.image.join('x')} float32; ${r.renderer}; OES_texture_float_linear ${r.floatLinear ? 'yes' : 'no'} (NEAREST used)]`);
    console.log(`  upload (texImage2D R32F + wait) ${f(r.uploadMs)} ms; limits sample (once per image) ${f(r.sampleMs)} ms`);
    console.log(`  per change (uniforms + 1 draw + wait), ${r.frames} frames: median ${f(r.ours.median)} ms, p95 ${f(r.ours.p95)} ms, max ${f(r.ours.max)} ms -> ${r.ours.median < BAR_MS ? 'median under' : 'median OVER'} ${BAR_MS} ms, ${r.ours.p95 < BAR_MS ? 'p95 under' : 'p95 OVER'}`);
    console.log(`  median by change: ${Object.entries(r.byKind).map(([k, v]) => `${k} ${f(v)} ms`).join(', ')}`);
    console.log(`  trivial shader (1 texture fetch) on ${px}: median ${f(r.trivial.median)} ms, p95 ${f(r.trivial.p95)} ms; with texelFetch: median ${f(r.trivialTexelFetch.median)} ms, p95 ${f(r.trivialTexelFetch.p95)} ms; clear-only + wait: median ${f(r.clear.median)} ms, p95 ${f(r.clear.p95)} ms`);
    console.log(`  ratio ours / trivial (texture): median ${(r.ours.median / r.trivial.median).toFixed(2)}, p95 ${(r.ours.p95 / r.trivial.p95).toFixed(2)}; ours / trivial (texelFetch): median ${(r.ours.median / r.trivialTexelFetch.median).toFixed(2)}`);
  }
} finally {
  await browser.close();
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
}
