import { describe, expect, it } from 'vitest';
import { parseAsdf, serializeAsdf } from '../file.ts';
import { Tagged } from '../scalars.ts';
import { buildTransform } from './build.ts';
import { specFromAsdf } from './from-asdf.ts';
import { combineLabels, specToAsdf } from './serialize.ts';
import type { TransformSpec } from './spec.ts';

/** spec -> ASDF bytes -> parse -> spec. */
function roundTrip(spec: TransformSpec): { spec: TransformSpec; yaml: string } {
  const bytes = serializeAsdf({ t: specToAsdf(spec) });
  const f = parseAsdf(bytes);
  const text = new TextDecoder().decode(bytes);
  return { spec: specFromAsdf(f.tree.t, { blocks: f.blocks }), yaml: text.slice(0, text.indexOf('\n...')) };
}

const body = (t: Tagged): Record<string, unknown> => t.value as Record<string, unknown>;

describe('specToAsdf', () => {
  it('labels: & suffixes 0/1 only on a clash (astropy combine_labels)', () => {
    expect(combineLabels(['x'], ['x'])).toEqual(['x0', 'x1']);
    expect(combineLabels(['x0', 'x1'], ['x'])).toEqual(['x0', 'x1', 'x']);
    expect(combineLabels(['x0', 'x1'], ['x0', 'x1'])).toEqual(['x00', 'x10', 'x01', 'x11']);
  });

  it('a 3-model compose is written as ((a | b) | c) and evaluates the same: x + 1 + 2 + 3 at x = 10 -> 16', () => {
    const s: TransformSpec = { type: 'compose', forward: [{ type: 'shift', offset: 1 }, { type: 'shift', offset: 2 }, { type: 'shift', offset: 3 }] };
    const t = specToAsdf(s);
    const fwd = body(t).forward as Tagged[];
    expect(fwd.length).toBe(2);
    expect(fwd[0]!.tag).toBe('tag:stsci.edu:asdf/transform/compose-1.4.0');
    expect(body(fwd[1]!).offset).toBe(3);
    const back = roundTrip(s);
    expect(buildTransform(back.spec).call(10)).toEqual([16]);
    expect(back.yaml).toContain('offset: 1.0'); // floats written as floats, as astropy does
  });

  it('remap_axes writes n_inputs only when it is not max(mapping) + 1; identity n_dims only when != 1', () => {
    expect(body(specToAsdf({ type: 'remap_axes', mapping: [1], n_inputs: 2 })).n_inputs).toBeUndefined();
    expect(body(specToAsdf({ type: 'remap_axes', mapping: [0], n_inputs: 2 })).n_inputs).toBe(2);
    expect(body(specToAsdf({ type: 'identity', n_dims: 1 })).n_dims).toBeUndefined();
    expect(body(specToAsdf({ type: 'identity', n_dims: 2 })).inputs).toEqual(['x0', 'x1']);
  });

  it('2-D polynomial, affine, tabular (NaN fill), bounding box by input name, inverse and name survive', () => {
    const whole: TransformSpec = {
      type: 'compose', name: 'dist', bounding_box: [[0, 10], [-Infinity, Infinity]],
      forward: [
        { type: 'affine', matrix: [[2, 0.5], [0, 1]], translation: [1, -1] },
        { type: 'remap_axes', mapping: [0, 1, 1], n_inputs: 2 },
        { type: 'concatenate', forward: [{ type: 'polynomial', coefficients: [[1, 2, 3], [4, 5, 0], [6, 0, 0]] }, { type: 'identity', n_dims: 1 }] },
      ],
    };
    const t = specToAsdf(whole);
    const bb = body(body(t).bounding_box as Tagged);
    expect(bb).toEqual({ ignore: ['y'], intervals: { x: [0, 10] }, order: 'F' }); // a compose takes its first model's labels (affine: x, y)
    const back = roundTrip(whole);
    const a = buildTransform(whole), b = buildTransform(back.spec);
    // affine: x = 2*3 + 0.5*4 + 1 = 9, y = 4 - 1 = 3; P = 1 + 2y + 3y^2 + 4x + 5xy + 6x^2 = 1 + 6 + 27 + 36 + 135 + 486 = 691
    expect(a.call(3, 4)).toEqual([691, 3]);
    expect(b.call(3, 4)).toEqual([691, 3]);
    expect(back.spec.name).toBe('dist');
    expect(b.boundingBox).toEqual([[0, 10], [-Infinity, Infinity]]);

    const tab: TransformSpec = { type: 'tabular', points: [[0, 1, 2]], lookup_table: [10, 20, 40], method: 'linear', bounds_error: false, fill_value: null, inverse: { type: 'shift', offset: -5 } };
    const tb = roundTrip(tab);
    expect(buildTransform(tb.spec).call(1.5)).toEqual([30]);
    expect(buildTransform(tb.spec).call(5)[0]).toBeNaN();
    expect(buildTransform(tb.spec).inverse!.call(10)).toEqual([5]);
    expect(tb.yaml).toContain('fill_value: .nan');
  });

  it('a spec that does not compose, or of an unknown type, is an AsdfError at write time', () => {
    const bad: TransformSpec = { type: 'compose', forward: [{ type: 'shift', offset: 1 }, { type: 'rotate2d', angle: 3 }] };
    expect(() => specToAsdf(bad)).toThrow(/cannot write transform: compose: model 0 has 1 outputs but model 1 takes 2 inputs/);
    expect(() => specToAsdf({ type: 'sellmeier' } as unknown as TransformSpec)).toThrow(/cannot write transform/);
  });
});
