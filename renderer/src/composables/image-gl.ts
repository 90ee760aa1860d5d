/**
 * WebGL2 image display. The float image lives in an R32F texture (uploaded
 * once per image, NEAREST sampling: exact pixels, so no need for the optional
 * OES_texture_float_linear extension); limits, stretch, zoom and pan are
 * uniforms and the colormap is a 256 x 1 RGBA8 LUT texture, so a stretch /
 * limits / colormap change is a few uniform writes and one draw call: no
 * re-upload and no CPU pass over the pixels. The quad covers only the
 * on-canvas part of the image and the canvas backing store is the displayed
 * size times devicePixelRatio (`resize`), so a frame costs one fragment per
 * device pixel, whatever the image size.
 */
import { colormapTable } from './colormaps.ts';
import { STRETCH_CODE, type Stretch } from './stretch.ts';

const VS = `#version 300 es
in vec2 pos;
uniform vec2 scale;   // image size in canvas pixels / canvas size, times zoom
uniform vec2 offset;  // pan, clip space
out vec2 uv;
void main() {
  uv = pos * 0.5 + 0.5;
  gl_Position = vec4(pos * scale + offset, 0.0, 1.0);
}`;

// The quad covers the image's part of the canvas; uv.y = 0 at the bottom: row 0
// of the data is the bottom of the image (FITS convention). NEAREST sampling.
// One program per stretch (STRETCH defined at compile time): no per-fragment
// branch on the stretch (software GL such as SwiftShader evaluates branches per
// lane). The colormap is a 256-entry LUT texture (NEAREST, texel centres).
// (Measured in SwiftShader: texelFetch with coordinates from gl_FragCoord was
// not cheaper than texture() with an interpolated uv.)
const fs = (stretch: number) => `#version 300 es
#define STRETCH ${stretch}
precision highp float;
in vec2 uv;
uniform highp sampler2D img;
uniform mediump sampler2D cmap;
uniform float lo, scl;   // t = (v - lo) * scl
out vec4 color;
void main() {
  float v = texture(img, uv).r;
  float t = clamp((v - lo) * scl, 0.0, 1.0);
#if STRETCH == 1
  t = sqrt(t);
#elif STRETCH == 2
  t = log(1000.0 * t + 1.0) * 0.144764;   // 1 / ln(1001)
#elif STRETCH == 3
  t = asinh(10.0 * t) * 0.334632;         // 1 / asinh(10)
#endif
  vec4 c = texture(cmap, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5));
  color = isnan(v) ? vec4(0.25, 0.0, 0.25, 1.0) : c;
}`;

export interface View {
  lo: number;
  hi: number;
  stretch: Stretch;
  /** Device pixels per image pixel. */
  zoom: number;
  /** Image pixel shown at the canvas centre. */
  centerX: number;
  centerY: number;
}

type Uniform = 'scale' | 'offset' | 'lo' | 'scl' | 'img' | 'cmap';
interface Program { readonly p: WebGLProgram; readonly u: Record<Uniform, WebGLUniformLocation | null> }

export class ImageGl {
  private readonly gl: WebGL2RenderingContext;
  private readonly progs: Program[] = [];
  private readonly vao: WebGLVertexArrayObject;
  private readonly img: WebGLTexture;
  private readonly cmap: WebGLTexture;
  private cmapName = '';
  width = 0;
  height = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false });
    if (!gl) throw new Error('WebGL2 is not available in this browser');
    this.gl = gl;
    this.vao = gl.createVertexArray()!;
    gl.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
    for (const code of Object.values(STRETCH_CODE)) this.program(code);
    this.img = texture(gl, gl.TEXTURE0);
    this.cmap = texture(gl, gl.TEXTURE1);
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, 256, 1);
    this.setColormap('gray');
  }

  /** The program for a stretch code (linked on first use; attribute `pos` at 0). */
  private program(code: number): Program {
    const gl = this.gl;
    let prog = this.progs[code];
    if (!prog) {
      const p = link(gl, VS, fs(code), { pos: 0 });
      const u = Object.fromEntries((['scale', 'offset', 'lo', 'scl', 'img', 'cmap'] as const).map((n) => [n, gl.getUniformLocation(p, n)])) as Record<Uniform, WebGLUniformLocation | null>;
      gl.useProgram(p);
      gl.uniform1i(u.img, 0);
      gl.uniform1i(u.cmap, 1);
      prog = this.progs[code] = { p, u };
    }
    return prog;
  }

  /**
   * Size the backing store to the displayed size x devicePixelRatio.
   * Returns true when it changed (the caller redraws).
   */
  resize(dpr = globalThis.devicePixelRatio || 1): boolean {
    const c = this.canvas;
    const w = Math.max(1, Math.round(c.clientWidth * dpr)), h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (!c.clientWidth || (w === c.width && h === c.height)) return false;
    c.width = w;
    c.height = h;
    return true;
  }

  /** Upload a row-major float image (row 0 = first row of the array), once per image. */
  upload(data: Float32Array, width: number, height: number): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.img);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    if (width === this.width && height === this.height) gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, height, gl.RED, gl.FLOAT, data);
    else gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, width, height, 0, gl.RED, gl.FLOAT, data);
    const first = !this.width;
    this.width = width;
    this.height = height;
    if (first) this.warm();
  }

  /** Draw every program once into one pixel, so that a GL compiling pipelines on first use (ANGLE, SwiftShader) does it here, not on the first stretch change. */
  private warm(): void {
    const gl = this.gl;
    gl.viewport(0, 0, 1, 1);
    gl.bindVertexArray(this.vao);
    for (const { p } of this.progs) { gl.useProgram(p); gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4); }
  }

  /** Replace the 256-entry colormap LUT (1 kB; no-op when unchanged). */
  setColormap(name: string): void {
    if (name === this.cmapName) return;
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.cmap);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, 256, 1, gl.RGBA, gl.UNSIGNED_BYTE, colormapTable(name));
    this.cmapName = name;
  }

  /** One frame: uniforms + one draw call of the on-canvas part of the image. */
  draw(v: View): void {
    const gl = this.gl;
    const cw = this.canvas.width, ch = this.canvas.height;
    gl.viewport(0, 0, cw, ch);
    gl.clearColor(0.1, 0.1, 0.12, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (!this.width) return;
    const { p, u } = this.program(STRETCH_CODE[v.stretch]);
    gl.useProgram(p);
    gl.bindVertexArray(this.vao);
    gl.uniform2f(u.scale, (this.width * v.zoom) / cw, (this.height * v.zoom) / ch);
    gl.uniform2f(u.offset, ((this.width / 2 - v.centerX) * v.zoom * 2) / cw, ((this.height / 2 - v.centerY) * v.zoom * 2) / ch);
    gl.uniform1f(u.lo, v.lo);
    gl.uniform1f(u.scl, 1 / Math.max(v.hi - v.lo, 1e-30));
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.img);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.cmap);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  /** Block until the GPU finished the frame (1-pixel readback; for timing). */
  finish(): void {
    const px = new Uint8Array(4);
    this.gl.readPixels(0, 0, 1, 1, this.gl.RGBA, this.gl.UNSIGNED_BYTE, px);
  }

  /** Image pixel (x, y; y = array row) under a canvas point in CSS pixels. */
  pixelAt(v: View, cssX: number, cssY: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const px = (cssX * this.canvas.width) / r.width, py = (cssY * this.canvas.height) / r.height;
    const x = Math.floor(v.centerX + (px - this.canvas.width / 2) / v.zoom);
    const y = Math.floor(v.centerY + (this.canvas.height / 2 - py) / v.zoom);
    return { x, y };
  }
}

function texture(gl: WebGL2RenderingContext, unit: number): WebGLTexture {
  const t = gl.createTexture()!;
  gl.activeTexture(unit);
  gl.bindTexture(gl.TEXTURE_2D, t);
  for (const [k, v] of [[gl.TEXTURE_MIN_FILTER, gl.NEAREST], [gl.TEXTURE_MAG_FILTER, gl.NEAREST], [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE]]) gl.texParameteri(gl.TEXTURE_2D, k, v);
  return t;
}

/** Compile and link a program (exported for the benchmark's baseline shader). */
export function link(gl: WebGL2RenderingContext, vs: string, fs: string, attribs: Record<string, number> = {}): WebGLProgram {
  const p = gl.createProgram()!;
  for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]] as const) {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, src);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(s)}`);
    gl.attachShader(p, s);
  }
  for (const [name, loc] of Object.entries(attribs)) gl.bindAttribLocation(p, loc, name);
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`link: ${gl.getProgramInfoLog(p)}`);
  return p;
}
