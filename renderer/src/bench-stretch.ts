// Chromium measurement for bench/serve-lag.bench.ts: stretch changes on a 2048 x 2048 float image after upload.
import { ImageGl } from './composables/image-gl.ts';
import { STRETCHES } from './composables/stretch.ts';

const n = 2048;
const data = new Float32Array(n * n);
for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.001) * 100 + (i % 977);
const canvas = document.getElementById('c') as HTMLCanvasElement;
const gl = new ImageGl(canvas);
const t0 = performance.now();
gl.upload(data, n, n);
gl.finish();
const uploadMs = performance.now() - t0;
const view = { lo: -100, hi: 1100, stretch: 'linear' as const, zoom: 0.5, centerX: n / 2, centerY: n / 2 };
const frames: number[] = [];
for (let k = 0; k < 60; k++) {
  const t = performance.now();
  gl.draw({ ...view, stretch: STRETCHES[k % STRETCHES.length], hi: 1100 - k });
  gl.finish();
  frames.push(performance.now() - t);
}
frames.sort((a, b) => a - b);
(window as unknown as { benchResult: unknown }).benchResult = { uploadMs, medianMs: frames[30], p95Ms: frames[57], maxMs: frames[59] };
document.title = 'done';
