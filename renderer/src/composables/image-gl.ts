/**
 * WebGL2 image display: the float image lives in an R32F texture (uploaded
 * once); limits, stretch, colormap, zoom and pan are uniforms, so a stretch
 * change is one draw call, no re-upload.
 */
import { colormapTable } from './colormaps.ts';
import { STRETCH_CODE, type Stretch } from './stretch.ts';

const VS = `#version 300 es
in vec2 pos;
uniform vec2 scale;   // image size in canvas pixels / canvas size, times zoom
uniform vec2 offset;  // pan, clip space
out vec2 uv;
void main() {
  uv = vec2(pos.x * 0.5 + 0.5, 0.5 - pos.y * 0.5);
  gl_Position = vec4(pos * scale + offset, 0.0, 1.0);
}`;

const FS = `#version 300 es
precision highp float;
in vec2 uv;
uniform highp sampler2D img;
uniform sampler2D cmap;
uniform float lo, hi;
uniform int stretch;
out vec4 color;
void main() {
  // Row 0 of the data is the bottom of the image (FITS convention).
  float v = texture(img, vec2(uv.x, 1.0 - uv.y)).r;
  if (isnan(v)) { color = vec4(0.25, 0.0, 0.25, 1.0); return; }
  float t = clamp((v - lo) / max(hi - lo, 1e-30), 0.0, 1.0);
  if (stretch == 1) t = sqrt(t);
  else if (stretch == 2) t = log(1000.0 * t + 1.0) / log(1001.0);
  else if (stretch == 3) t = asinh(10.0 * t) / asinh(10.0);
  color = texture(cmap, vec2(t, 0.5));
}`;

export interface View {
  lo: number;
  hi: number;
  stretch: Stretch;
  /** Screen pixels per image pixel. */
  zoom: number;
  /** Image pixel shown at the canvas centre. */
  centerX: number;
  centerY: number;
}

export class ImageGl {
  private readonly gl: WebGL2RenderingContext;
  private readonly prog: WebGLProgram;
  private readonly img: WebGLTexture;
  private readonly cmap: WebGLTexture;
  width = 0;
  height = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true, antialias: false });
    if (!gl) throw new Error('WebGL2 is not available in this browser');
    this.gl = gl;
    this.prog = link(gl, VS, FS);
    const buf = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buf);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const loc = gl.getAttribLocation(this.prog, 'pos');
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
    this.img = texture(gl);
    this.cmap = texture(gl);
    this.setColormap('gray');
  }

  /** Upload a row-major float image (row 0 = first row of the array). */
  upload(data: Float32Array, width: number, height: number): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.img);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, width, height, 0, gl.RED, gl.FLOAT, data);
    this.width = width;
    this.height = height;
  }

  setColormap(name: string): void {
    const gl = this.gl;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.cmap);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, colormapTable(name));
  }

  draw(v: View): void {
    const gl = this.gl, p = this.prog;
    const cw = this.canvas.width, ch = this.canvas.height;
    gl.viewport(0, 0, cw, ch);
    gl.clearColor(0.1, 0.1, 0.12, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(p);
    gl.uniform2f(gl.getUniformLocation(p, 'scale'), (this.width * v.zoom) / cw, (this.height * v.zoom) / ch);
    gl.uniform2f(gl.getUniformLocation(p, 'offset'), ((this.width / 2 - v.centerX) * v.zoom * 2) / cw, ((this.height / 2 - v.centerY) * v.zoom * 2) / ch);
    gl.uniform1f(gl.getUniformLocation(p, 'lo'), v.lo);
    gl.uniform1f(gl.getUniformLocation(p, 'hi'), v.hi);
    gl.uniform1i(gl.getUniformLocation(p, 'stretch'), STRETCH_CODE[v.stretch]);
    gl.uniform1i(gl.getUniformLocation(p, 'img'), 0);
    gl.uniform1i(gl.getUniformLocation(p, 'cmap'), 1);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.img);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.cmap);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  /** Block until the GPU finished (for timing). */
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

function texture(gl: WebGL2RenderingContext): WebGLTexture {
  const t = gl.createTexture()!;
  gl.bindTexture(gl.TEXTURE_2D, t);
  for (const [k, v] of [[gl.TEXTURE_MIN_FILTER, gl.NEAREST], [gl.TEXTURE_MAG_FILTER, gl.NEAREST], [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE]]) gl.texParameteri(gl.TEXTURE_2D, k, v);
  return t;
}

function link(gl: WebGL2RenderingContext, vs: string, fs: string): WebGLProgram {
  const p = gl.createProgram()!;
  for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]] as const) {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, src);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(s)}`);
    gl.attachShader(p, s);
  }
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`link: ${gl.getProgramInfoLog(p)}`);
  return p;
}
