import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AsdfBlock } from '../asdf/blocks.ts';
import { parseAsdfInFits, serializeAsdfInFits } from '../asdf/fits-embed.ts';
import { readAsdfFile } from '../asdf/index.node.ts';
import { AsdfNDArray } from '../asdf/ndarray-node.ts';
import { Tagged } from '../asdf/scalars.ts';
import { FitsFile } from '../fits/index.node.ts';
import { asdfCellBytes } from '../stpipe/model-io-asdf.ts';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { wcsToGwcs } from './asdf-write.ts';
import { buildLrsWcs, Wcs, wcsFromGwcs, type LrsSpecwcs } from './index.ts';

interface Found { file: string; path: string; node: Tagged; blocks: readonly AsdfBlock[] }

const ZOO = 'golden/datamodels_zoo';
const LRS = 'golden/lrs_spec2_tso3/p01_lrs_slitless_transit';
const FITS_FILES = [
  ...['zoo_image_cal.fits', 'zoo_mrs_cal.fits', 'zoo_fs_s2d.fits', 'zoo_mos_cal.fits', 'zoo_s3d.fits'].map((f) => `${ZOO}/${f}`),
  `${LRS}/jw09003003011_04101_00001-seg001_mirimage_calints.fits`,
  `${LRS}/jw09003003011_04101_00001-seg001_mirimage_a3001_crfints.fits`,
];

function gwcsNodes(tree: unknown): Array<{ path: string; node: Tagged }> {
  const out: Array<{ path: string; node: Tagged }> = [];
  const walk = (v: unknown, path: string): void => {
    if (v instanceof Tagged) {
      if (v.tag.startsWith('tag:stsci.edu:gwcs/wcs-')) out.push({ path, node: v });
      else walk(v.value, path);
    } else if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !(v instanceof AsdfNDArray)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(tree, '');
  return out;
}

let cache: Promise<Found[]> | undefined;
const allWcs = (): Promise<Found[]> => (cache ??= readAllWcs());

async function readAllWcs(): Promise<Found[]> {
  const found: Found[] = [];
  for (const rel of FITS_FILES) {
    const file = sharedPath(rel);
    const f = await FitsFile.open(file);
    const h = f.hdus.find((x) => (x.extname ?? '').toUpperCase() === 'ASDF')!;
    const bytes = asdfCellBytes({ header: h.header, rawData: await f.readRawData(h.index) })!;
    await f.close();
    const a = parseAsdfInFits(bytes, file, { verifyChecksums: false });
    for (const g of gwcsNodes(a.tree)) found.push({ file: rel, ...g, blocks: a.blocks });
  }
  const a = await readAsdfFile(sharedPath(`${ZOO}/zoo_image_cal.asdf`));
  for (const g of gwcsNodes(a.tree)) found.push({ file: `${ZOO}/zoo_image_cal.asdf`, ...g, blocks: a.blocks });
  return found;
}

/** Write our Wcs as gwcs into an ASDF-in-FITS cell, parse it back, read it again. */
function roundTrip(w: Wcs): Wcs {
  const bytes = serializeAsdfInFits({ meta: { wcs: wcsToGwcs(w) } }, new Map());
  const back = parseAsdfInFits(bytes);
  return wcsFromGwcs((back.tree.meta as Record<string, unknown>).wcs, { blocks: back.blocks });
}

/** Sample pixels: a 7 x 7 grid over the bounding box (or 0..50), plus points outside it. */
function samples(w: Wcs): Float64Array[] {
  const n = w.steps[0]!.frame.axes.length || 2;
  const bb = w.boundingBox ?? Array.from({ length: n }, () => [0, 50] as const);
  const cols: number[][] = Array.from({ length: n }, () => []);
  const k = 7;
  for (let i = 0; i < k ** Math.min(n, 2); i++) {
    for (let d = 0; d < n; d++) {
      const t = d === 0 ? i % k : d === 1 ? Math.floor(i / k) : (i * 3) % k;
      const [lo, hi] = bb[d]!;
      cols[d]!.push(lo + ((hi - lo) * t) / (k - 1));
    }
  }
  for (let d = 0; d < n; d++) cols[d]!.push(-100, bb[d]![1] + 10);
  return cols.map((c) => Float64Array.from(c));
}

/** Largest |a - b| over all frames reachable from the detector (forward, no bounding box), NaN positions must agree. */
function maxDiff(a: Wcs, b: Wcs, px: Float64Array[]): number {
  let worst = 0;
  for (const to of a.frames.slice(1)) {
    const ea = a.evaluate(px, { to, withBoundingBox: false }), eb = b.evaluate(px, { to, withBoundingBox: false });
    ea.forEach((col, k) => col.forEach((v, i) => {
      const u = eb[k]![i]!;
      if (Number.isNaN(v) !== Number.isNaN(u)) worst = Infinity;
      else if (!Number.isNaN(v)) worst = Math.max(worst, Math.abs(v - u));
    }));
  }
  return worst;
}

/** Tag / inputs / outputs / mapping / name of every transform node, by path, for a structural comparison. */
function skeleton(v: unknown, path = '', out: Record<string, string> = {}): Record<string, string> {
  if (v instanceof AsdfNDArray || ArrayBuffer.isView(v) || (v && typeof v === 'object' && 'dtype' in (v as object))) return out;
  if (v instanceof Tagged) {
    if (v.tag.includes('/unit/')) return out;
    const b = (v.value ?? {}) as Record<string, unknown>;
    const keys = ['inputs', 'outputs', 'mapping', 'n_inputs', 'n_dims', 'name', 'intervals', 'ignore', 'order', 'direction', 'transform_type', 'axes_order', 'axes_names'];
    out[path] = JSON.stringify([v.tag, ...keys.map((k) => b[k] ?? null)]);
    return skeleton(v.value, path, out);
  }
  if (Array.isArray(v)) v.forEach((x, i) => skeleton(x, `${path}/${i}`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) skeleton(x, `${path}/${k}`, out);
  return out;
}

describe.skipIf(!HAVE_SHARED)('gwcs write: round trip of every WCS in the golden and zoo files', () => {
  it('read -> Wcs -> gwcs ASDF -> read again evaluates identically at 51 sample pixels in every frame', async () => {
    const found = await allWcs();
    expect(found.length).toBe(10); // zoo: image (FITS + ASDF), MRS, FS s2d, 3 MOS slits, s3d; LRS calints, crfints
    for (const f of found) {
      const w = wcsFromGwcs(f.node, { blocks: f.blocks, file: f.file });
      const w2 = roundTrip(w);
      expect(w2.frames, f.file).toEqual(w.frames);
      expect(w2.steps.map((s) => s.frame), f.file).toEqual(w.steps.map((s) => s.frame));
      expect(w2.boundingBox, f.file).toEqual(w.boundingBox);
      expect({ f: `${f.file}:${f.path}`, d: maxDiff(w, w2, samples(w)) }).toEqual({ f: `${f.file}:${f.path}`, d: 0 }); // measured: 0 (bit-identical)
    }
  });

  it('the written tree has the node tags, input/output labels, names and bounding boxes the real files have', async () => {
    let nodes = 0;
    for (const f of await allWcs()) {
      const w = wcsFromGwcs(f.node, { blocks: f.blocks, file: f.file });
      const ours = skeleton(wcsToGwcs(w));
      const theirs = skeleton(f.node);
      // Transform nodes: identical at every path (tags, versions, labels, mappings, names, intervals).
      const tr = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).filter(([p]) => /\/transform(\/|$)/.test(p)));
      expect(tr(ours), `${f.file}:${f.path}`).toEqual(tr(theirs));
      expect(ours[''], f.file).toBe(theirs['']);
      nodes += Object.keys(tr(theirs)).length;
      // Frames: the same kinds, axes, axes_order at every path; sub-frame names as jwst's LRS WCS names them (the zoo's differ: 'sky'/'spectral').
      const fr = (x: Record<string, string>, named: boolean) => Object.fromEntries(Object.entries(x).filter(([q]) => /\/frame/.test(q))
        .map(([q, v]) => [q, named ? v : JSON.stringify((JSON.parse(v) as unknown[]).map((e, i) => (i === 6 ? null : e)))]));
      const lrs = f.file.startsWith(LRS);
      expect(fr(ours, lrs), `${f.file}:${f.path}`).toEqual(fr(theirs, lrs));
    }
    expect(nodes).toBeGreaterThan(300); // measured: 347 transform/bounding-box nodes compared
  });

  it('inverse transforms survive: world -> detector through the written inverses (LRS calints)', async () => {
    const f = (await allWcs()).find((x) => x.file.endsWith('_calints.fits'))!;
    const w = wcsFromGwcs(f.node, { blocks: f.blocks });
    const w2 = roundTrip(w);
    const world = w.evaluate([Float64Array.of(37, 30, 50), Float64Array.of(300, 100, 200)]);
    const a = w.evaluate(world, { from: 'world', to: 'detector' }), b = w2.evaluate(world, { from: 'world', to: 'detector' });
    a.forEach((c, k) => c.forEach((v, i) => expect(b[k]![i]).toBe(v)));
    expect(Math.abs(a[0]![0]! - 37)).toBeLessThan(1e-6);
    expect(Math.abs(a[1]![0]! - 300)).toBeLessThan(1e-6);
  });

  it('zoo WCS written by us evaluate to what gwcs gave for the originals (expected.json)', () => {
    const exp = JSON.parse(readFileSync(sharedPath(`${ZOO}/expected.json`), 'utf8')) as Record<string, { wcs?: { eval: Array<{ pixel: number[]; world: number[] }> } }>;
    return allWcs().then((found) => {
      let checked = 0;
      for (const f of found.filter((x) => x.path === 'meta.wcs')) {
        const ev = exp[f.file.split('/').pop()!]?.wcs?.eval;
        if (!ev) continue;
        const w2 = roundTrip(wcsFromGwcs(f.node, { blocks: f.blocks }));
        for (const { pixel, world } of ev) w2.call(...pixel).forEach((v, k) => expect(Math.abs(v - world[k]!), f.file).toBeLessThan(1e-9));
        checked++;
      }
      expect(checked).toBe(5);
    });
  });
});

describe('gwcs write: synthetic LRS WCS (no shared data needed)', () => {
  const n = 40;
  const ref: LrsSpecwcs = {
    xCenter: Array.from({ length: n }, () => 0), yCenter: Array.from({ length: n }, (_, i) => 100 - 5 * i),
    wavelength: Array.from({ length: n }, (_, i) => 5 + 0.2 * i),
    x0: [-4], y0: [110], x1: [4], y2: [-100],
    imxsltl: 38, imysltl: 301,
  };
  const distortion = { type: 'compose', forward: [{ type: 'concatenate', forward: [{ type: 'shift', offset: -500 }, { type: 'shift', offset: -500 }] }, { type: 'concatenate', forward: [{ type: 'scale', factor: 0.11 }, { type: 'scale', factor: 0.11 }] }] } as const;
  const wcs = buildLrsWcs({
    expType: 'MIR_LRS-SLITLESS', xstart: 1, ystart: 1, xsize: 72, ysize: 416, vaScale: 1.00001,
    pointing: { v2_ref: -378.4, v3_ref: -344.85, roll_ref: 250, ra_ref: 80.4, dec_ref: -69.5 },
  }, ref, { ...distortion, inverse: { type: 'compose', forward: [{ type: 'concatenate', forward: [{ type: 'scale', factor: 1 / 0.11 }, { type: 'scale', factor: 1 / 0.11 }] }, { type: 'concatenate', forward: [{ type: 'shift', offset: 500 }, { type: 'shift', offset: 500 }] }] } });

  it('n-ary compose/concatenate become binary nodes; frames are frame2d / composite(frame2d|celestial + spectral)', () => {
    const g = wcsToGwcs(wcs);
    const steps = (g.value as { steps: Tagged[] }).steps.map((s) => s.value as { frame: Tagged; transform: Tagged | null });
    expect(steps.map((s) => s.frame.tag.replace('tag:stsci.edu:gwcs/', ''))).toEqual(['frame2d-1.2.0', 'composite_frame-1.0.0', 'composite_frame-1.0.0', 'composite_frame-1.0.0', 'composite_frame-1.0.0']);
    const world = steps[4]!.frame.value as { frames: Tagged[] };
    expect(world.frames.map((f) => f.tag)).toEqual(['tag:stsci.edu:gwcs/celestial_frame-1.2.0', 'tag:stsci.edu:gwcs/spectral_frame-1.2.0']);
    const walk = (v: unknown): void => {
      if (v instanceof Tagged) {
        const b = v.value as { forward?: unknown[] };
        if (/compose|concatenate|add|subtract/.test(v.tag)) expect(b.forward!.length).toBe(2);
        walk(v.value);
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !('dtype' in v)) Object.values(v).forEach(walk);
    };
    walk(g);
    const box = (steps[0]!.transform!.value as { bounding_box: Tagged }).bounding_box.value as { intervals: Record<string, number[]> };
    expect(Object.keys(box.intervals)).toEqual(['x0', 'x1']);
  });

  it('round trip evaluates identically forward and backward', () => {
    const w2 = roundTrip(wcs);
    expect(maxDiff(wcs, w2, samples(wcs))).toBe(0);
    const world = wcs.evaluate([Float64Array.of(37, 20), Float64Array.of(300, 250)]);
    const back = w2.evaluate(world, { from: 'world', to: 'detector' });
    expect(Math.abs(back[0]![0]! - 37)).toBeLessThan(1e-7);
    expect(Math.abs(back[1]![1]! - 250)).toBeLessThan(1e-7);
  });

  it('a transform that does not fit its frames, or an unknown type, is an AsdfError naming the step', () => {
    const j = wcs.toJSON();
    const bad = new Wcs([{ ...j.steps[0]!, transform: { type: 'shift', offset: 1 } }, ...j.steps.slice(1)]);
    expect(() => wcsToGwcs(bad)).toThrow(/step 0 \(frame 'detector'\): transform takes 1 inputs for 2 axes/);
    const unknown = { type: 'sellmeier', n: 3 } as unknown as import('../asdf/transforms/spec.ts').TransformSpec;
    expect(() => new Wcs([{ ...j.steps[0]!, transform: unknown }, j.steps[4]!])).toThrow(); // the Wcs itself refuses it
  });
});
