/**
 * Chromium page for bench/image-stretch.bench.ts: cost of a stretch / limits /
 * colormap change on a 2048 x 2048 float32 image after upload, with the
 * viewer's renderer (ImageGl), against a trivial one-texture-fetch shader on
 * the same canvas size (the floor of any full-canvas image draw on this GL;
 * also with texelFetch instead of texture).
 * Each frame: the change, one draw, then a 1-pixel readPixels that waits for
 * the GPU; timed with performance.now(). Query: ?css=1024&n=50&img=2048.
 */
import { ImageGl, link } from './composables/image-gl.ts';
import { COLORMAPS } from './composables/colormaps.ts';
import { STRETCHES, limitsFromSample, sample, type LimitMode, type Stretch } from './composables/stretch.ts';

const q = new URLSearchParams(location.search);
const css = Number(q.get('css') ?? 1024), N = Number(q.get('n') ?? 50), n = Number(q.get('img') ?? 2048);
const MODES: readonly LimitMode[] = ['percentile', 'zscale', 'minmax'];

/** A sky of 10 +- 1 with 300 Gaussian stars, a ramp and some NaN pixels (row-major, n x n). */
function image(): Float32Array {
  const d = new Float32Array(n * n);
  let s = 12345;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
  for (let i = 0; i < d.length; i++) d[i] = 10 + (rnd() + rnd() + rnd() - 1.5) * 2 + (i % n) * 1e-3;
  for (let k = 0; k < 300; k++) {
    const cx = rnd() * n, cy = rnd() * n, a = 10 ** (1 + 3 * rnd());
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(n, cy + 8); y++) for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(n, cx + 8); x++) d[y * n + x] += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4);
  }
  for (let k = 0; k < 1000; k++) d[Math.floor(rnd() * d.length)] = NaN;
  return d;
}

function makeCanvas(): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.style.cssText = `width:${css}px;height:${css}px;display:block`;
  document.body.appendChild(c);
  c.width = Math.round(css * devicePixelRatio);
  c.height = Math.round(css * devicePixelRatio);
  return c;
}

/** The baseline: one R32F texture fetch per fragment, nothing else. */
function trivial(c: HTMLCanvasElement, data: Float32Array, fetch: 'texture' | 'texelFetch'): { draw(): void; clear(): void; finish(): void } {
  const gl = c.getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false })!;
  const p = link(gl, `#version 300 es
in vec2 pos; out vec2 uv;
void main() { uv = pos * 0.5 + 0.5; gl_Position = vec4(pos, 0.0, 1.0); }`, `#version 300 es
precision highp float; in vec2 uv; uniform highp sampler2D img; out vec4 color;
void main() { color = vec4(${fetch === 'texture' ? 'texture(img, uv)' : 'texelFetch(img, ivec2(gl_FragCoord.xy), 0)'}.rrr, 1.0); }`);
  gl.bindVertexArray(gl.createVertexArray());
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  const loc = gl.getAttribLocation(p, 'pos');
  gl.enableVertexAttribArray(loc);
  gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
  gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, n, n, 0, gl.RED, gl.FLOAT, data);
  gl.useProgram(p);
  gl.viewport(0, 0, c.width, c.height);
  const px = new Uint8Array(4);
  return {
    draw: () => gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4),
    clear: () => { gl.clearColor(0, 0, 0, 1); gl.clear(gl.COLOR_BUFFER_BIT); },
    finish: () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px),
  };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)], max: s[s.length - 1], min: s[0] };
};

function run() {
  const data = image();
  const canvas = makeCanvas();
  const gl = new ImageGl(canvas);
  let t = performance.now();
  gl.upload(data, n, n);
  gl.finish();
  const uploadMs = performance.now() - t;
  t = performance.now();
  const sorted = sample(data);
  const sampleMs = performance.now() - t;
  const zoom = Math.min(canvas.width / n, canvas.height / n);
  const view = { lo: 0, hi: 1, stretch: 'linear' as Stretch, zoom, centerX: n / 2, centerY: n / 2 };
  [view.lo, view.hi] = limitsFromSample(sorted, 'percentile');
  const base = trivial(makeCanvas(), data, 'texture'), fetch = trivial(makeCanvas(), data, 'texelFetch');
  for (let k = 0; k < 5; k++) { gl.draw(view); gl.finish(); base.draw(); base.finish(); fetch.draw(); fetch.finish(); base.clear(); base.finish(); }
  const kinds: Record<string, number[]> = { stretch: [], limits: [], colormap: [] };
  const ours: number[] = [], triv: number[] = [], trivFetch: number[] = [], clear: number[] = [];
  for (let k = 0; k < N; k++) {
    // One change per frame, cycling stretch, limits mode (from the cached sample) and colormap.
    t = performance.now();
    if (k % 3 === 0) view.stretch = STRETCHES[(k / 3 + 1) % STRETCHES.length];
    else if (k % 3 === 1) [view.lo, view.hi] = limitsFromSample(sorted, MODES[((k - 1) / 3) % MODES.length]);
    else gl.setColormap(COLORMAPS[((k - 2) / 3) % COLORMAPS.length]);
    gl.draw(view);
    gl.finish();
    ours.push(performance.now() - t);
    kinds[['stretch', 'limits', 'colormap'][k % 3]].push(ours[k]);
    t = performance.now();
    base.draw();
    base.finish();
    triv.push(performance.now() - t);
    t = performance.now();
    fetch.draw();
    fetch.finish();
    trivFetch.push(performance.now() - t);
    t = performance.now();
    base.clear();
    base.finish();
    clear.push(performance.now() - t);
  }
  const g = canvas.getContext('webgl2')!;
  const info = g.getExtension('WEBGL_debug_renderer_info');
  return {
    css, dpr: devicePixelRatio, canvasPx: [canvas.width, canvas.height], image: [n, n], frames: N, uploadMs, sampleMs,
    renderer: info ? String(g.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(g.getParameter(g.RENDERER)),
    floatLinear: !!g.getExtension('OES_texture_float_linear'),
    ours: stats(ours), byKind: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, stats(v).median])), trivial: stats(triv), trivialTexelFetch: stats(trivFetch), clear: stats(clear),
  };
}

try {
  (window as unknown as { benchResult: unknown }).benchResult = run();
} catch (e) {
  (window as unknown as { benchResult: unknown }).benchResult = { error: String((e as Error).stack ?? e) };
}
document.title = 'done';
