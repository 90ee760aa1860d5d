/**
 * Image viewer logic: owns the WebGL renderer, limits, zoom/pan and mouse -> pixel mapping.
 * Per image: one texture upload and one sorted sample of the pixels (cached);
 * per stretch / limits / colormap / zoom change: new uniforms and one draw,
 * coalesced to at most one per animation frame.
 */
import { onBeforeUnmount, reactive, ref, watch, type Ref } from 'vue';
import { ImageGl, type View } from './image-gl.ts';
import { limitsFromSample, sample } from './stretch.ts';
import type { useImageStore } from '../stores/image.ts';

export function useImageView(canvas: Ref<HTMLCanvasElement | undefined>, store: ReturnType<typeof useImageStore>) {
  let gl: ImageGl | undefined;
  const view = reactive<View>({ lo: 0, hi: 1, stretch: store.stretch, zoom: 1, centerX: 0, centerY: 0 });
  /** Why the image cannot be drawn (no WebGL2), shown instead of failing silently. */
  const glError = ref<string | null>(null);
  let drag: { x: number; y: number; cx: number; cy: number } | undefined;
  /** The image in the texture and its sorted sample (limits are computed from it, never from the pixels again). */
  let uploaded: Float32Array | null = null;
  let sampled: { data: Float32Array; sorted: Float64Array } | undefined;
  /** The zoom follows the canvas size until the user zooms or pans. */
  let fitted = true;
  let pending = 0;
  let resizeObs: ResizeObserver | undefined;
  /** Last pointer position (CSS px in the canvas): the readout follows a new plane under a still cursor. */
  let pointer: { x: number; y: number } | undefined;
  const pickAtPointer = () => { if (gl && pointer) { const p = gl.pixelAt(view, pointer.x, pointer.y); store.pick(p.x, p.y); } };

  /** Draw now (benchmarks, SpectorJS capture). */
  const drawNow = () => { if (pending) cancelAnimationFrame(pending); pending = 0; gl?.draw(view); };
  /** Schedule one draw before the next paint (several changes in a frame cost one draw). */
  const redraw = () => { if (gl && !pending) pending = requestAnimationFrame(() => { pending = 0; gl?.draw(view); }); };
  const updateLimits = () => {
    if (!store.sci) return;
    if (sampled?.data !== store.sci) sampled = { data: store.sci, sorted: sample(store.sci) };
    [view.lo, view.hi] = limitsFromSample(sampled.sorted, store.limitMode, store.percentile);
  };
  /** Texture and limits for the store's current plane (no-op for the plane already shown). */
  const show = () => {
    if (!gl || !store.sci) return false;
    if (uploaded === store.sci) return true;
    gl.upload(store.sci, store.width, store.height);
    uploaded = store.sci;
    updateLimits();
    return true;
  };
  const fit = () => {
    const c = canvas.value!;
    view.zoom = Math.min(c.width / store.width, c.height / store.height);
    view.centerX = store.width / 2;
    view.centerY = store.height / 2;
    fitted = true;
  };
  const refit = () => {
    if (!show()) return;
    fit();
    redraw();
  };
  const init = () => {
    if (!canvas.value || gl || glError.value) return;
    try {
      gl = new ImageGl(canvas.value);
    } catch (e) {
      glError.value = (e as Error).message;
      return;
    }
    gl.resize();
    if (typeof ResizeObserver !== 'undefined') {
      resizeObs = new ResizeObserver(() => { if (gl?.resize()) { if (fitted && uploaded) fit(); redraw(); } });
      resizeObs.observe(canvas.value);
    }
    gl.setColormap(store.colormap);
    refit();
  };
  // A new plane (another integration or file): upload once; keep the zoom/pan unless nothing was shown yet.
  watch(() => store.sci, () => { init(); const first = !uploaded; if (show()) { if (first || fitted) fit(); redraw(); pickAtPointer(); } });
  watch(() => [store.limitMode, store.percentile] as const, () => { updateLimits(); redraw(); });
  watch(() => store.stretch, (s) => { view.stretch = s; redraw(); });
  watch(() => store.colormap, (c) => { gl?.setColormap(c); redraw(); });

  function onMove(e: MouseEvent) {
    if (!gl) return;
    if (drag) {
      view.centerX = drag.cx - (e.offsetX - drag.x) / view.zoom * (canvas.value!.width / canvas.value!.clientWidth);
      view.centerY = drag.cy + (e.offsetY - drag.y) / view.zoom * (canvas.value!.height / canvas.value!.clientHeight);
      fitted = false;
      redraw();
      return;
    }
    pointer = { x: e.offsetX, y: e.offsetY };
    pickAtPointer();
  }
  function onWheel(e: WheelEvent) {
    e.preventDefault();
    view.zoom *= e.deltaY < 0 ? 1.25 : 0.8;
    fitted = false;
    redraw();
  }
  const onDown = (e: MouseEvent) => { drag = { x: e.offsetX, y: e.offsetY, cx: view.centerX, cy: view.centerY }; };
  const onUp = () => { drag = undefined; };
  /** Canvas CSS position of an array pixel centre (browser tests use it). */
  const cssOf = (x: number, y: number) => {
    const c = canvas.value!;
    const px = c.width / 2 + (x + 0.5 - view.centerX) * view.zoom, py = c.height / 2 - (y + 0.5 - view.centerY) * view.zoom;
    return { x: (px * c.clientWidth) / c.width, y: (py * c.clientHeight) / c.height };
  };
  onBeforeUnmount(() => { resizeObs?.disconnect(); if (pending) cancelAnimationFrame(pending); gl = undefined; });
  return { view, glError, init, refit, redraw, drawNow, onMove, onWheel, onDown, onUp, cssOf };
}
