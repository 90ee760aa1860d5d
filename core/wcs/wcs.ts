/**
 * A gwcs-like WCS: an ordered list of frames, each with the transform to the
 * next (gwcs docs, "WCS pipeline": steps of (frame, transform), the last
 * transform null). The forward direction is detector -> world, 0-based pixels.
 * Serialisable to JSON (transforms as TransformSpec) so a worker or the UI can
 * rebuild and evaluate it. Also reads gwcs objects from ASDF trees.
 */
import { AsdfError } from '../errors/index.ts';
import type { AsdfBlock } from '../asdf/blocks.ts';
import { Tagged } from '../asdf/scalars.ts';
import { buildTransform, specFromAsdf, type Interval, type Transform, type TransformSpec } from '../asdf/transforms/index.ts';

export interface WcsFrame {
  /** gwcs frame name: 'detector', 'alpha_beta', 'v2v3', 'v2v3vacorr', 'world'. */
  readonly name: string;
  readonly axes: readonly string[];
  readonly units: readonly string[];
}

export interface WcsStep {
  readonly frame: WcsFrame;
  /** Transform to the next frame; null for the last. */
  readonly transform: TransformSpec | null;
}

export interface WcsJson {
  readonly format: 'webbdesk-wcs-1';
  readonly steps: readonly WcsStep[];
}

export class Wcs {
  readonly steps: readonly WcsStep[];
  private readonly built: (Transform | null)[];

  constructor(steps: readonly WcsStep[]) {
    if (steps.length < 2) throw new AsdfError('wcs', 'a WCS needs at least two frames');
    this.steps = steps;
    this.built = steps.map((s) => (s.transform ? buildTransform(s.transform) : null));
  }

  static fromJSON(j: WcsJson): Wcs {
    if (j.format !== 'webbdesk-wcs-1') throw new AsdfError('wcs', `unknown WCS JSON format ${JSON.stringify(j.format)}`);
    return new Wcs(j.steps);
  }

  toJSON(): WcsJson {
    return { format: 'webbdesk-wcs-1', steps: this.steps };
  }

  get frames(): string[] {
    return this.steps.map((s) => s.frame.name);
  }

  /** Bounding box of the first transform (detector pixels, per input), if any. */
  get boundingBox(): readonly Interval[] | undefined {
    return this.built[0]?.boundingBox;
  }

  private indexOf(frame: string): number {
    const i = this.frames.indexOf(frame);
    if (i < 0) throw new AsdfError('wcs', `no frame '${frame}' (frames: ${this.frames.join(', ')})`);
    return i;
  }

  /** Transforms from frame `from` to frame `to` (either direction), applied in order. */
  path(from: string, to: string): Transform[] {
    const a = this.indexOf(from), b = this.indexOf(to);
    if (a <= b) return this.built.slice(a, b).map((t) => t!);
    const out: Transform[] = [];
    for (let i = a - 1; i >= b; i--) {
      const inv = this.built[i]!.inverse;
      if (!inv) throw new AsdfError('wcs', `the transform from '${this.frames[i]}' to '${this.frames[i + 1]}' has no inverse`);
      out.push(inv);
    }
    return out;
  }

  /**
   * Evaluate detector columns -> `to` (default: the last frame). With
   * `withBoundingBox` (default true) points outside the detector bounding box give NaN.
   */
  evaluate(inputs: readonly Float64Array[], opts: { to?: string; from?: string; withBoundingBox?: boolean } = {}): Float64Array[] {
    const from = opts.from ?? this.frames[0]!;
    const to = opts.to ?? this.frames[this.frames.length - 1]!;
    let cur = inputs.map((a) => a);
    for (const t of this.path(from, to)) cur = t.evaluate(cur);
    const bb = from === this.frames[0] && (opts.withBoundingBox ?? true) ? this.boundingBox : undefined;
    if (!bb) return cur;
    const out = cur.map((c) => (inputs.includes(c) ? Float64Array.from(c) : c));
    const n = inputs[0]?.length ?? 0;
    for (let i = 0; i < n; i++) {
      if (bb.every((iv, k) => inputs[k]![i]! >= iv[0] && inputs[k]![i]! <= iv[1])) continue;
      for (const o of out) o[i] = NaN;
    }
    return out;
  }

  /** One point: pixel (x, y) -> world values. */
  call(...pixel: number[]): number[] {
    return this.evaluate(pixel.map((v) => Float64Array.of(v))).map((a) => a[0]!);
  }
}

function frameOf(node: unknown): WcsFrame {
  const v = (node instanceof Tagged ? node.value : node) as Record<string, unknown> | null;
  if (!v) return { name: '', axes: [], units: [] };
  if (Array.isArray(v.frames)) {
    const parts = v.frames.map(frameOf);
    return { name: String(v.name ?? ''), axes: parts.flatMap((p) => p.axes), units: parts.flatMap((p) => p.units) };
  }
  const axes = Array.isArray(v.axes_names) ? v.axes_names.map(String) : [];
  const units = Array.isArray(v.unit) ? v.unit.map((u) => String(u instanceof Tagged ? u.value : u)) : [];
  return { name: String(v.name ?? (typeof node === 'string' ? node : '')), axes, units };
}

/** Read a gwcs `wcs` node (tag gwcs/wcs-1.x) from an ASDF tree into a Wcs. */
export function wcsFromGwcs(node: unknown, opts: { blocks?: readonly AsdfBlock[]; file?: string } = {}): Wcs {
  const v = node instanceof Tagged ? node.value : node;
  const steps = (v as { steps?: unknown })?.steps;
  if (!Array.isArray(steps)) throw new AsdfError('wcs', 'gwcs node has no steps', { file: opts.file });
  return new Wcs(steps.map((s, i) => {
    const sv = (s instanceof Tagged ? s.value : s) as Record<string, unknown>;
    const tr = sv.transform;
    return {
      frame: typeof sv.frame === 'string' ? { name: sv.frame, axes: [], units: [] } : frameOf(sv.frame),
      transform: tr === null || tr === undefined ? null : specFromAsdf(tr, opts, `/steps/${i}/transform`),
    };
  }));
}
