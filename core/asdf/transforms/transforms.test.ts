import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../../test/shared.ts';
import { AsdfError } from '../../errors/index.ts';
import { FitsFile } from '../../fits/index.node.ts';
import { parseAsdfInFits } from '../fits-embed.ts';
import { readAsdfFile } from '../index.node.ts';
import { Tagged } from '../scalars.ts';
import { wcsFromGwcs } from '../../wcs/index.ts';
import { buildTransform, evaluateInBox, specFromAsdf, transformFromAsdf, type TransformSpec } from './index.ts';

const T = (tag: string, v: unknown) => new Tagged(`tag:stsci.edu:asdf/transform/${tag}`, v);
const col = (...v: number[]) => Float64Array.from(v);

describe('transform specs (analytic)', () => {
  it('compose, concatenate, mapping and arithmetic follow astropy semantics', () => {
    // (x, y) -> Mapping(0,1,0,1) | (Shift(2) & Scale(3)) & (x0 - x1)
    const spec: TransformSpec = {
      type: 'compose', forward: [
        { type: 'remap_axes', mapping: [0, 1, 0, 1], n_inputs: 2 },
        { type: 'concatenate', forward: [{ type: 'shift', offset: 2 }, { type: 'scale', factor: 3 }, { type: 'subtract', forward: [{ type: 'remap_axes', mapping: [0], n_inputs: 2 }, { type: 'remap_axes', mapping: [1], n_inputs: 2 }] }] },
      ],
    };
    const t = buildTransform(spec);
    expect([t.nInputs, t.nOutputs]).toEqual([2, 3]);
    expect(t.call(5, 7)).toEqual([7, 21, -2]);
  });

  it('2-D polynomial coefficients[i][j] multiply x^i y^j; domain/window maps the input', () => {
    const p = buildTransform({ type: 'polynomial', coefficients: [[1, 2, 3], [4, 5, 0], [6, 0, 0]] });
    const x = 1.5, y = -0.5;
    expect(p.call(x, y)[0]).toBeCloseTo(1 + 2 * y + 3 * y * y + 4 * x + 5 * x * y + 6 * x * x, 14);
    const q = buildTransform({ type: 'polynomial', coefficients: [0, 1], domain: [0, 10], window: [-1, 1] });
    expect(q.call(5)[0]).toBeCloseTo(0, 15);
    expect(q.call(10)[0]).toBeCloseTo(1, 15);
  });

  it('analytic inverses: affine, rotate2d, mapping, tabular, rotation sequence round-trip', () => {
    const specs: TransformSpec[] = [
      { type: 'affine', matrix: [[1.2, 0.3], [-0.4, 0.9]], translation: [10, -5] },
      { type: 'rotate2d', angle: 33 },
      { type: 'compose', forward: [{ type: 'shift', offset: 3 }, { type: 'tabular', points: [[0, 1, 2, 3, 10]], lookup_table: [5, 4, 2, 1, 0], method: 'linear', bounds_error: false, fill_value: null }] },
      { type: 'compose', forward: [{ type: 'spherical_cartesian', transform_type: 'spherical_to_cartesian', wrap_lon_at: 180 }, { type: 'rotate_sequence_3d', angles: [0.1, -0.2, 250, -69.5, -80.4], axes_order: 'zyxyz', rotation_type: 'cartesian' }, { type: 'spherical_cartesian', transform_type: 'cartesian_to_spherical', wrap_lon_at: 360 }] },
    ];
    for (const s of specs) {
      const t = buildTransform(s);
      const n = t.nInputs;
      const inp = n === 2 ? [col(0.01, 0.2), col(-0.03, 0.05)] : [col(-2.5, 1.3)];
      const back = t.inverse!.evaluate(t.evaluate(inp));
      back.forEach((b, k) => b.forEach((v, i) => expect(Math.abs(v - inp[k]![i]!)).toBeLessThan(1e-9)));
    }
    const m = buildTransform({ type: 'remap_axes', mapping: [0, 1, 0, 1], n_inputs: 2 });
    expect(m.inverse!.call(1, 2, 1, 2)).toEqual([1, 2]);
  });

  it('tabular lookups outside the points give the fill value (NaN) and the bounding box NaNs outputs', () => {
    const t = buildTransform({ type: 'tabular', points: [[3, 2, 1]], lookup_table: [30, 20, 10], method: 'linear', bounds_error: false, fill_value: null, bounding_box: [[1.5, 3]] });
    expect(t.call(2.5)[0]).toBeCloseTo(25, 14);
    expect(t.call(0)[0]).toBeNaN();
    expect(Array.from(evaluateInBox(t, [col(1.2, 2)])[0]!)).toEqual([NaN, 20]);
  });

  it('reads tagged ASDF nodes, including old list bounding boxes (C order) and inverses', () => {
    const node = T('compose-1.1.0', {
      forward: [T('shift-1.2.0', { offset: 1 }), T('scale-1.2.0', { factor: 2, inverse: T('scale-1.2.0', { factor: 0.25 }) })],
      bounding_box: [-1, 9],
    });
    const s = specFromAsdf(node);
    const t = buildTransform(s);
    expect(t.call(3)).toEqual([8]);
    expect(t.boundingBox).toEqual([[-1, 9]]);
    // the file's inverse of Scale (0.25, deliberately not 1/2) is used, not the analytic one
    expect(t.inverse!.call(8)).toEqual([1]);
    const two = specFromAsdf(T('identity-1.1.0', { n_dims: 2, bounding_box: [[0, 5], [10, 20]] }));
    expect(two.bounding_box).toEqual([[10, 20], [0, 5]]);
  });

  it('an unknown tag is an AsdfError naming the tag and the path', () => {
    const node = T('compose-1.1.0', { forward: [T('shift-1.2.0', { offset: 1 }), new Tagged('tag:stsci.edu:asdf/transform/airy-1.1.0', {})] });
    expect(() => specFromAsdf(node, {}, '/model')).toThrowError(AsdfError);
    expect(() => specFromAsdf(node, {}, '/model')).toThrowError(/airy.*\/model\/forward\/1/);
  });
});

async function asdfOfFits(path: string) {
  const f = await FitsFile.open(path);
  try {
    const h = f.hdus.find((x) => x.extname === 'ASDF')!;
    const t = await f.readTable(h.index);
    const c = t.columns.find((x) => x.name.toUpperCase() === 'ASDF_METADATA')!;
    return parseAsdfInFits(c.data as Uint8Array, path, { verifyChecksums: false });
  } finally {
    await f.close();
  }
}

describe.skipIf(!HAVE_SHARED)('real files', () => {
  it('gwcs objects written by stdatamodels evaluate to the world coordinates astropy gave (datamodels zoo)', async () => {
    const exp = JSON.parse(readFileSync(sharedPath('golden/datamodels_zoo/expected.json'), 'utf8'));
    let worst = 0;
    for (const f of ['zoo_image_cal.fits', 'zoo_mrs_cal.fits', 'zoo_fs_s2d.fits', 'zoo_s3d.fits']) {
      const a = await asdfOfFits(sharedPath('golden/datamodels_zoo', f));
      const w = wcsFromGwcs((a.tree.meta as Record<string, unknown>).wcs, { blocks: a.blocks });
      for (const e of exp[f].wcs.eval as { pixel: number[]; world: number[] }[]) {
        const got = w.evaluate(e.pixel.map((v) => col(v)), { withBoundingBox: false }).map((c) => c[0]!);
        got.forEach((g, k) => (worst = Math.max(worst, Math.abs(g - e.world[k]!))));
      }
    }
    expect(worst).toBeLessThan(1e-10); // measured 6e-14 deg
  });

  it('the golden LRS calints WCS gives the expected world coordinates and inverts to 1e-6 px', async () => {
    const dir = 'golden/lrs_spec2_tso3/p01_lrs_slitless_transit';
    const exp = JSON.parse(readFileSync(sharedPath(dir, 'expected.json'), 'utf8')).calints_meta;
    const a = await asdfOfFits(sharedPath(dir, 'jw09003003011_04101_00001-seg001_mirimage_calints.fits'));
    const w = wcsFromGwcs((a.tree.meta as Record<string, unknown>).wcs, { blocks: a.blocks });
    expect(w.frames).toEqual(['detector', 'alpha_beta', 'v2v3', 'v2v3vacorr', 'world']);
    const p = w.call(37, 300);
    p.forEach((v, k) => expect(Math.abs(v - exp.wcs_world_at_x37_y300[k])).toBeLessThan(1e-10));
    let back = p;
    for (const t of w.path('world', 'detector')) back = t.call(...back);
    expect(Math.abs(back[0]! - 37)).toBeLessThan(1e-6);
    expect(Math.abs(back[1]! - 300)).toBeLessThan(1e-6);
  });

  it('MIRI imager distortion references evaluate and carry their (approximate) polynomial inverses', async () => {
    const v: number[][] = [];
    for (const f of ['jwst_miri_distortion_0028.asdf', 'jwst_miri_imager_distortion_flt9.asdf']) {
      const a = await readAsdfFile(sharedPath('external/reffiles/miri', f));
      const t = transformFromAsdf(a.tree.model, { blocks: a.blocks, file: f }, '/model');
      expect([t.nInputs, t.nOutputs]).toEqual([2, 2]);
      const inp = [col(10, 300, 600, 1000), col(20, 500, 700, 1010)];
      const out = t.evaluate(inp);
      v.push([out[0]![1]!, out[1]![1]!]);
      const back = t.inverse!.evaluate(out);
      // the delivered inverse polynomials are fits: 0.024 px (0028) and 0.076 px (flt9) measured
      back.forEach((b, k) => b.forEach((x, i) => expect(Math.abs(x - inp[k]![i]!)).toBeLessThan(0.1)));
    }
    // two deliveries of the same imager distortion agree to a fraction of an arcsec
    expect(Math.abs(v[0]![0]! - v[1]![0]!)).toBeLessThan(0.5);
    expect(Math.abs(v[0]![1]! - v[1]![1]!)).toBeLessThan(0.5);
    expect(v[0]![0]!).toBeCloseTo(-410.49, 1);
  });
});
