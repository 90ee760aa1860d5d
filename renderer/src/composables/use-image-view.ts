/** Image viewer logic: owns the WebGL renderer, limits, zoom/pan and mouse -> pixel mapping. */
import { onBeforeUnmount, reactive, ref, watch, type Ref } from 'vue';
import { ImageGl, type View } from './image-gl.ts';
import { limits } from './stretch.ts';
import type { useImageStore } from '../stores/image.ts';

export function useImageView(canvas: Ref<HTMLCanvasElement | undefined>, store: ReturnType<typeof useImageStore>) {
  let gl: ImageGl | undefined;
  const view = reactive<View>({ lo: 0, hi: 1, stretch: 'linear', zoom: 1, centerX: 0, centerY: 0 });
  /** Why the image cannot be drawn (no WebGL2), shown instead of failing silently. */
  const glError = ref<string | null>(null);
  let drag: { x: number; y: number; cx: number; cy: number } | undefined;

  const redraw = () => gl?.draw(view);
  const refit = () => {
    if (!store.sci || !gl) return;
    gl.upload(store.sci, store.width, store.height);
    [view.lo, view.hi] = limits(store.sci, store.limitMode, store.percentile);
    view.zoom = Math.min(canvas.value!.width / store.width, canvas.value!.height / store.height);
    view.centerX = store.width / 2;
    view.centerY = store.height / 2;
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
    gl.setColormap(store.colormap);
    refit();
  };
  watch(() => store.sci, () => { init(); if (gl && store.sci) { gl.upload(store.sci, store.width, store.height); [view.lo, view.hi] = limits(store.sci, store.limitMode, store.percentile); if (!view.centerX) refit(); else redraw(); } });
  watch(() => [store.limitMode, store.percentile] as const, () => { if (store.sci) [view.lo, view.hi] = limits(store.sci, store.limitMode, store.percentile); redraw(); });
  watch(() => store.stretch, (s) => { view.stretch = s; redraw(); });
  watch(() => store.colormap, (c) => { gl?.setColormap(c); redraw(); });

  function onMove(e: MouseEvent) {
    if (!gl) return;
    if (drag) {
      view.centerX = drag.cx - (e.offsetX - drag.x) / view.zoom * (canvas.value!.width / canvas.value!.clientWidth);
      view.centerY = drag.cy + (e.offsetY - drag.y) / view.zoom * (canvas.value!.height / canvas.value!.clientHeight);
      redraw();
      return;
    }
    const p = gl.pixelAt(view, e.offsetX, e.offsetY);
    store.pick(p.x, p.y);
  }
  function onWheel(e: WheelEvent) {
    e.preventDefault();
    view.zoom *= e.deltaY < 0 ? 1.25 : 0.8;
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
  onBeforeUnmount(() => { gl = undefined; });
  return { view, glError, init, refit, redraw, onMove, onWheel, onDown, onUp, cssOf };
}
