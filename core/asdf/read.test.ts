// Reading real files written by Python asdf / stdatamodels (the truth), under ../shared.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { AsdfNDArray, isMarkedFloat, parseAsdf, resolveArray, Tagged, TIMESTAMP_TAG, type AsdfFile } from './index.ts';
import { toHex, md5 } from './md5.ts';
import { findFiles } from './test-files.node.ts';

const allAsdfFiles = (): string[] => findFiles([sharedPath('external'), sharedPath('golden')], '.asdf');

const load = (...p: string[]): AsdfFile => {
  const f = sharedPath(...p);
  return parseAsdf(readFileSync(f), f);
};

/** Follow a path of keys / indices, unwrapping Tagged values on the way. */
function at(v: unknown, ...keys: Array<string | number>): unknown {
  let cur = v;
  for (const k of keys) {
    if (cur instanceof Tagged) cur = cur.value;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** Depth-first search for the first Tagged node matching `pred`. */
function find(v: unknown, pred: (t: Tagged) => boolean): Tagged | undefined {
  if (v instanceof Tagged) {
    if (pred(v)) return v;
    return find(v.value, pred);
  }
  if (v instanceof AsdfNDArray || v === null || typeof v !== 'object') return undefined;
  for (const x of Object.values(v)) {
    const r = find(x, pred);
    if (r) return r;
  }
  return undefined;
}

function tagOf(v: unknown): string | undefined {
  return v instanceof Tagged || v instanceof AsdfNDArray ? v.tag : undefined;
}

/** Counts of scalar types over the tree, the way PyYAML (SafeLoader) types them. */
function scalarTypes(tree: unknown): Record<string, number> {
  const c: Record<string, number> = {};
  const inc = (k: string): void => void (c[k] = (c[k] ?? 0) + 1);
  const walk = (v: unknown, parent: object | null, key: string | number): void => {
    if (v instanceof Tagged) {
      if (v.tag === TIMESTAMP_TAG) return inc('datetime');
      return typeof v.value === 'string' ? inc('str') : walk(v.value, null, 0);
    }
    if (v instanceof AsdfNDArray) {
      const node: Record<string, unknown> = { source: v.source, data: v.inline, datatype: v.datatype, byteorder: v.byteorder, shape: v.shape, strides: v.strides, ...v.extra };
      if (v.offset) node.offset = v.offset;
      // byteorder is implied for inline arrays when the file gave none
      if (v.inline !== undefined && !('byteorder' in (v.extra ?? {}))) delete node.byteorder;
      for (const [k, x] of Object.entries(node)) if (x !== undefined) walk(x, node, k);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, v, i));
    // aliases are counted again, as PyYAML constructs each alias occurrence
    if (v !== null && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, v, k));
    if (v === null) return inc('NoneType');
    if (typeof v === 'boolean') return inc('bool');
    if (typeof v === 'string') return inc('str');
    if (typeof v === 'bigint') return inc('int');
    if (typeof v === 'number') return inc(!Number.isInteger(v) || (parent && isMarkedFloat(parent, key)) ? 'float' : 'int');
  };
  walk(tree, null, 0);
  return c;
}

describe.skipIf(!HAVE_SHARED)('reading real ASDF files', () => {
  it('parses every .asdf under shared/external and shared/golden', () => {
    const files = allAsdfFiles();
    expect(files.length).toBe(24);
    for (const f of files) {
      const a = parseAsdf(readFileSync(f), f);
      expect(a.version, f).toBe('1.0.0');
      expect(a.standardVersion, f).toMatch(/^1\.[1-6]\.0$/);
      expect(a.rootTag, f).toMatch(/^tag:stsci\.edu:asdf\/core\/asdf-1\.[01]\.0$/);
      expect(tagOf(a.tree.asdf_library), f).toBe('tag:stsci.edu:asdf/core/software-1.0.0');
      for (const b of a.blocks) {
        expect(b.compression).toBe('none');
        expect(b.checksumValid, f).toBe(true);
      }
    }
  });

  it('types scalars exactly as PyYAML does (counts from yaml.SafeLoader over the same files)', () => {
    // Computed once with PyYAML 6.0.3 (SafeLoader, every tag constructed as its plain node).
    const expected: Record<string, Record<string, number>> = {
      'zoo_image_cal.asdf': { str: 179, int: 44, float: 36, bool: 1, NoneType: 2 },
      'ref_distortion_mirimage.asdf': { str: 42, int: 11 },
      'jwst_miri_mrs12A_distortion_flt9.asdf': { str: 2292, datetime: 6, int: 1434, float: 156 },
      'jwst_miri_mrs_wavelengthrange_flt9.asdf': { str: 75, datetime: 6, float: 72 },
      'jwst_miri_regions_0017.asdf': { str: 25, datetime: 1, int: 3 },
      'jwst_miri_filteroffset_full_flt9.asdf': { str: 64, datetime: 1, float: 30 },
      'jwst_miri_pars-tweakreg_0001.asdf': { str: 23, datetime: 2, int: 3, bool: 4, float: 8 },
      'jwst_nirspec_apcorr_ifu_dummy.asdf': { str: 43, float: 3000, int: 21 },
      'jwst_nirspec_wavecorr_0001.asdf': { str: 67, int: 65, float: 30, datetime: 1 },
      'jwst_nirspec_disperser_0034.asdf': { float: 30, str: 27, int: 2, datetime: 1 },
      'jwst_nirspec_ifupost_0004.asdf': { str: 837, datetime: 1, float: 120, int: 720 },
      'jwst_miri_distortion_0022.asdf': { str: 511, int: 420, float: 324, datetime: 1 },
      'jwst_miri_mrs34A_specwcs_flt9.asdf': { str: 523, datetime: 6, float: 28, int: 336 },
      'jwst_miri_mrs34A_distortion_flt9.asdf': { str: 1732, datetime: 6, int: 1084, float: 116 },
      'jwst_miri_mrs12A_specwcs_flt9.asdf': { str: 693, datetime: 6, float: 38, int: 456 },
      'jwst_miri_imager_distortion_flt9.asdf': { str: 232, datetime: 1, float: 1, int: 166 },
      'jwst_miri_distortion_0028.asdf': { str: 72, datetime: 1, float: 2, int: 73 },
      'jwst_miri_apcorr_ifu_dummy.asdf': { str: 25, float: 1000, int: 8 },
      'jwst_nirspec_fore_0028.asdf': { str: 65, datetime: 1, int: 85, float: 8 },
      'jwst_nirspec_collimator_0004.asdf': { str: 59, datetime: 1, int: 45, float: 8 },
      'jwst_nirspec_fpa_0005.asdf': { str: 49, datetime: 1, int: 24, float: 8 },
      'jwst_nirspec_ote_0005.asdf': { str: 65, datetime: 1, int: 45, float: 12 },
      'jwst_nirspec_camera_0004.asdf': { str: 59, datetime: 1, int: 45, float: 8 },
      'jwst_nirspec_wavelengthrange_0004.asdf': { str: 55, datetime: 1, int: 33, float: 66 },
    };
    const files = allAsdfFiles();
    for (const [name, counts] of Object.entries(expected)) {
      const f = files.find((x) => path.basename(x) === name)!;
      expect(scalarTypes(parseAsdf(readFileSync(f), f).tree), name).toEqual(counts);
    }
  });

  it('reads the MIRI imager distortion (CDP7) transform tree and its coefficient blocks', () => {
    const a = load('external', 'reffiles', 'miri', 'jwst_miri_distortion_0028.asdf');
    expect(a.standardVersion).toBe('1.3.0');
    expect(at(a.tree, 'meta', 'title')).toBe('MIRI imager distortion - CDP7');
    expect(tagOf(at(a.tree, 'meta', 'output_units'))).toBe('tag:stsci.edu:asdf/unit/unit-1.0.0');
    expect(at(a.tree, 'meta', 'output_units', )).toEqual(new Tagged('tag:stsci.edu:asdf/unit/unit-1.0.0', 'arcsec'));
    const model = a.tree.model as Tagged;
    expect(model.tag).toBe('tag:stsci.edu:asdf/transform/compose-1.1.0');
    const shift = find(model, (t) => t.tag.includes('/shift-'))!;
    expect(shift.tag).toBe('tag:stsci.edu:asdf/transform/shift-1.2.0');
    expect(at(shift, 'offset')).toBe(-4);
    expect(isMarkedFloat(shift.value as object, 'offset')).toBe(true);
    const colPoly = find(model, (t) => at(t, 'name') === 'M_column_correction')!;
    expect(colPoly.tag).toBe('tag:stsci.edu:asdf/transform/polynomial-1.1.0');
    const coeffs = at(colPoly, 'coefficients') as AsdfNDArray;
    expect(coeffs).toBeInstanceOf(AsdfNDArray);
    expect(coeffs.tag).toBe('tag:stsci.edu:asdf/core/ndarray-1.0.0');
    expect(coeffs.source).toBe(0);
    const c = resolveArray(coeffs, a.blocks);
    expect(c.dtype).toBe('float64');
    expect(Array.from(c.data as Float64Array)).toEqual([-12.7875, 0.025]);
    const inv = resolveArray(at(colPoly, 'inverse', 'coefficients') as AsdfNDArray, a.blocks);
    expect(Array.from(inv.data as Float64Array)).toEqual([511.5, 40.0]);
    const bPoly = find(model, (t) => at(t, 'name') === 'B_correction')!;
    const b = resolveArray(at(bPoly, 'coefficients') as AsdfNDArray, a.blocks);
    expect(b.shape).toEqual([5, 5]);
    expect(Array.from((b.data as Float64Array).slice(0, 3))).toEqual([0.001471379774665841, 4.450559601601778, -0.00020939262231482042]);
  });

  it('reads a golden affine distortion: matrix and translation blocks', () => {
    const a = load('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit', 'ref_distortion_mirimage.asdf');
    const model = a.tree.model as Tagged;
    expect(model.tag).toBe('tag:stsci.edu:asdf/transform/affine-1.5.0');
    expect(at(model, 'inputs')).toEqual(['x', 'y']);
    const m = resolveArray(at(model, 'matrix') as AsdfNDArray, a.blocks);
    expect(m.shape).toEqual([2, 2]);
    expect(Array.from(m.data as Float64Array)).toEqual([0.00929, -0.11023, -0.11036, -0.00925]);
    const t = resolveArray(at(model, 'translation') as AsdfNDArray, a.blocks);
    expect(Array.from(t.data as Float64Array)).toEqual([-287.47328999999996, -333.10768]);
    expect(at(a.tree, 'meta', 'subarray', 'xsize')).toBe(1032);
    expect(at(a.tree, 'meta', 'exposure', 'p_exptype')).toBe('MIR_IMAGE|MIR_LRS-FIXEDSLIT|MIR_LRS-SLITLESS|');
  });

  it('reads MRS specwcs/distortion trees (transform 1.x tags, slices, timestamps)', () => {
    const a = load('external', 'reffiles', 'miri', 'jwst_miri_mrs12A_specwcs_flt9.asdf');
    expect(a.blocks.length).toBe(38);
    const model = a.tree.model as Tagged[];
    expect(model.map(tagOf)).toEqual(Array(model.length).fill('tag:stsci.edu:asdf/transform/compose-1.3.0'));
    // det2local polynomial: domain/window share one anchored [-1, 1] list
    const det2local = find(model[0], (t) => at(t, 'name') === 'det2local')!;
    expect(det2local.tag).toBe('tag:stsci.edu:asdf/transform/polynomial-1.2.0');
    const domain = at(det2local, 'domain') as unknown[];
    expect(domain).toEqual([[-1, 1], [-1, 1]]);
    expect(domain[0]).toBe(domain[1]);
    expect(domain[0]).toBe((at(det2local, 'window') as unknown[])[0]);
    expect(at(model[0], 'forward', 0, 'forward', 1, 'offset')).toBe(-485.7435678073763);
    expect(resolveArray(at(det2local, 'coefficients') as AsdfNDArray, a.blocks).shape).toEqual([9, 9]);
    const entries = at(a.tree, 'history', 'entries') as Tagged[];
    expect(entries[0].tag).toBe('tag:stsci.edu:asdf/core/history_entry-1.0.0');
    expect(tagOf(at(entries[0], 'time'))).toBe(TIMESTAMP_TAG);
    const d = load('external', 'reffiles', 'miri', 'jwst_miri_mrs12A_distortion_flt9.asdf');
    expect(d.blocks.length).toBe(122);
    const text = JSON.stringify(Object.keys(d.tree));
    expect(text).toBe('["asdf_library","history","abv2v3_model","alpha_model","bdel","beta_model","bzero","meta","slices","x_model","y_model"]');
    // every ndarray node decodes to the shape it declares
    let count = 0;
    const walk = (v: unknown): void => {
      if (v instanceof AsdfNDArray) {
        const arr = resolveArray(v, d.blocks);
        expect(arr.shape).toEqual(v.shape);
        count++;
      } else if (v instanceof Tagged) walk(v.value);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(d.tree);
    expect(count).toBeGreaterThanOrEqual(122);
  });

  it('decodes big-endian int16 regions and verifies the block MD5', () => {
    const a = load('external', 'reffiles', 'miri', 'jwst_miri_regions_0017.asdf');
    const node = a.tree.regions as AsdfNDArray;
    expect(node.byteorder).toBe('big');
    const r = resolveArray(node, a.blocks);
    expect(r.dtype).toBe('int16');
    expect(r.shape).toEqual([1024, 1032]);
    const d = r.data as Int16Array;
    let min = Infinity, max = -Infinity, sum = 0;
    for (const v of d) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    // numpy on the raw block: min 0, max 412, sum 297252829, [500, 300] = 403
    expect([min, max, sum]).toEqual([0, 412, 297252829]);
    expect(d[500 * 1032 + 300]).toBe(403);
    expect(toHex(md5(a.blocks[0].data)).slice(0, 8)).toBe('87be89e4');
  });

  it('honours offset and byte strides (views into a shared block, NIRSpec wavecorr)', () => {
    const a = load('external', 'reffiles', 'nirspec', 'jwst_nirspec_wavecorr_0001.asdf');
    const ap = (a.tree.apertures as unknown[])[0];
    expect(at(ap, 'aperture_name')).toBe('S1600A1');
    const zpo = at(ap, 'zero_point_offset') as Tagged;
    expect(zpo.tag).toBe('tag:stsci.edu:asdf/transform/tabular-1.1.0');
    expect(Number.isNaN(at(zpo, 'fill_value') as number)).toBe(true);
    const [p0, p1] = at(zpo, 'points') as AsdfNDArray[];
    expect(p0.source).toBe(p1.source);
    expect([p1.offset, p1.strides]).toEqual([8, [336]]);
    const x = Array.from(resolveArray(p0, a.blocks).data as Float64Array);
    const y = Array.from(resolveArray(p1, a.blocks).data as Float64Array);
    expect(x.length).toBe(21);
    expect(x[0]).toBe(6e-7);
    expect(x[1]).toBe(8.349999999999999e-7);
    expect(x[20]).toBe(5.3e-6);
    expect(y[0]).toBe(-0.5);
    expect(y[6]).toBe(-0.19999999999999996);
    expect(y[20]).toBe(0.5);
    const v = resolveArray(at(ap, 'variance') as AsdfNDArray, a.blocks);
    expect(v.shape).toEqual([21, 21]);
    expect((v.data as Float64Array)[0]).toBe(0.010000000000000002);
  });

  it('reads inline ndarray data (apcorr) and compares with the declared shape', () => {
    const a = load('external', 'reffiles', 'pars-and-apcorr', 'jwst_miri_apcorr_ifu_dummy.asdf');
    const node = at(a.tree, 'apcorr_table', 'apcorr') as AsdfNDArray;
    expect(node.inline).toBeDefined();
    const arr = resolveArray(node, a.blocks);
    expect(arr.shape).toEqual([3, 100]);
    expect(arr.dtype).toBe('float64');
    expect(Array.from(arr.data as Float64Array).every((v) => v === 1)).toBe(true);
    const disp = load('external', 'reffiles', 'nirspec', 'jwst_nirspec_disperser_0034.asdf');
    const c = resolveArray(at(disp.tree, 'gwa_tiltx', 'tilt_model', 'coefficients') as AsdfNDArray, disp.blocks);
    expect(Array.from(c.data as Float64Array)).toEqual([2784.436, -8555.502]);
    expect(disp.tree.kcoef).toEqual([0.58339748, 0.46085267, 3.8915394]);
    expect(disp.tree.wbound).toEqual([4.0e-7, 7.0e-6]);
    expect(at(disp.tree, 'meta', 'exposure', 'p_exptype')).toBe(
      'NRS_TACQ|NRS_TASLIT|NRS_TACONFIRM|        NRS_CONFIRM|NRS_FIXEDSLIT|NRS_IFU|NRS_MSASPEC|NRS_IMAGE|NRS_FOCUS|        NRS_MIMF|NRS_BOTA|NRS_LAMP|NRS_BRIGHTOBJ|',
    );
  });
});

describe.skipIf(!HAVE_SHARED)('zoo_image_cal.asdf against expected.json', () => {
  const expected = JSON.parse(readFileSync(sharedPath('golden', 'datamodels_zoo', 'expected.json'), 'utf8'));
  const exp = expected['zoo_image_cal.asdf'];
  const fitsExp = expected['zoo_image_cal.fits'];
  const a = HAVE_SHARED ? load('golden', 'datamodels_zoo', 'zoo_image_cal.asdf') : undefined;

  it('has the meta values dm.open() returns', () => {
    const entries = Object.entries(exp.meta as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(40);
    for (const [p, v] of entries) {
      const got = at(a!.tree, ...p.split('.'));
      if (typeof v === 'number' && !Number.isInteger(v)) expect(Math.abs((got as number) - v), p).toBeLessThanOrEqual(1e-12 * Math.abs(v));
      else expect(got, p).toEqual(v);
    }
    // program_number 09005 is a YAML 1.1 string, not the int 9005
    expect(at(a!.tree, 'meta', 'observation', 'program_number')).toBe('09005');
  });

  it('arrays have the expected shapes, dtypes and statistics', () => {
    const stats = (name: string) => fitsExp.hdus.find((h: { name: string }) => h.name === name);
    for (const [key, info] of Object.entries(exp.arrays as Record<string, { shape: number[]; dtype: string }>)) {
      const arr = resolveArray(a!.tree[key] as AsdfNDArray, a!.blocks);
      expect(arr.shape, key).toEqual(info.shape);
      expect(arr.dtype, key).toBe(info.dtype);
      const d = Array.from(arr.data as Float32Array);
      const min = Math.min(...d), max = Math.max(...d), mean = d.reduce((s, x) => s + x, 0) / d.length;
      // The constant arrays are the same in the FITS twin of this model (expected.json HDU statistics).
      const twin = stats(key === 'data' ? 'none' : key.toUpperCase());
      if (twin) {
        for (const [got, want] of [[min, twin.min], [max, twin.max], [mean, twin.mean ?? mean]]) {
          expect(Math.abs(got - want), key).toBeLessThanOrEqual(1e-6 * Math.abs(want));
        }
      }
    }
    // SCI of this file (numpy on the block): min 3.901296, max 6.257865, mean 4.998932781722397
    const sci = Array.from(resolveArray(a!.tree.data as AsdfNDArray, a!.blocks).data as Float32Array);
    const mean = sci.reduce((s, x) => s + x, 0) / sci.length;
    expect(Math.abs(mean - 4.998932781722397)).toBeLessThan(1e-6 * 5);
    expect(Math.min(...sci)).toBeCloseTo(3.901296, 6);
    expect(Math.max(...sci)).toBeCloseTo(6.257865, 6);
  });

  it('keeps the gwcs tags and transform parameters', () => {
    const wcs = at(a!.tree, 'meta', 'wcs') as Tagged;
    expect(wcs.tag).toBe('tag:stsci.edu:gwcs/wcs-1.4.0');
    const steps = at(wcs, 'steps') as Tagged[];
    expect(steps.map((s) => at(s, 'frame', 'name'))).toEqual(exp.wcs.available_frames);
    const rot = at(steps[1], 'transform', 'forward', 1) as Tagged;
    expect(rot.tag).toBe('tag:stsci.edu:asdf/transform/rotate3d-1.5.0');
    expect([at(rot, 'phi'), at(rot, 'theta'), at(rot, 'psi')]).toEqual([80.4, -69.5, 180]);
    expect(isMarkedFloat(rot.value as object, 'psi')).toBe(true);
    const bbox = at(steps[0], 'transform', 'bounding_box') as Tagged;
    expect(bbox.tag).toBe('tag:stsci.edu:asdf/transform/property/bounding_box-1.2.0');
    expect(at(bbox, 'intervals', 'x0')).toEqual([-0.5, 79.5]);
    expect(at(steps[2], 'transform')).toBeNull();
    expect(tagOf(at(steps[2], 'frame', 'reference_frame'))).toBe('tag:astropy.org:astropy/coordinates/frames/icrs-1.1.0');
  });
});
