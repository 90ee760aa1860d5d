/**
 * Telescope pointing transforms (jwst docs, assign_wcs "Basic WCS keywords and
 * the transform from v2v3 to world"): V2_REF/V3_REF (arcsec) are placed at
 * RA_REF/DEC_REF (deg) with roll ROLL_REF (deg) by a sequence of rotations
 * about z, y, x, y, z with angles (v2_ref, -v3_ref, roll_ref, dec_ref, -ra_ref)
 * applied to the unit vector of (v2, v3) in degrees; and the differential
 * velocity aberration scale about (v2_ref, v3_ref) (VA_SCALE).
 */
import type { TransformSpec } from '../asdf/transforms/index.ts';

export interface Pointing {
  /** arcsec */
  readonly v2_ref: number;
  readonly v3_ref: number;
  /** deg */
  readonly roll_ref: number;
  readonly ra_ref: number;
  readonly dec_ref: number;
}

/** (v2, v3) arcsec -> (ra, dec) deg. */
export function v23ToSkySpec(p: Pointing): TransformSpec {
  const angles = [p.v2_ref / 3600, -p.v3_ref / 3600, p.roll_ref, p.dec_ref, -p.ra_ref];
  return {
    type: 'compose',
    name: 'v23tosky',
    forward: [
      { type: 'concatenate', forward: [{ type: 'scale', factor: 1 / 3600 }, { type: 'scale', factor: 1 / 3600 }] },
      { type: 'spherical_cartesian', transform_type: 'spherical_to_cartesian', wrap_lon_at: 180 },
      { type: 'rotate_sequence_3d', angles, axes_order: 'zyxyz', rotation_type: 'cartesian' },
      { type: 'spherical_cartesian', transform_type: 'cartesian_to_spherical', wrap_lon_at: 360 },
    ],
    inverse: {
      type: 'compose',
      forward: [
        { type: 'spherical_cartesian', transform_type: 'spherical_to_cartesian', wrap_lon_at: 360 },
        { type: 'rotate_sequence_3d', angles: [...angles].reverse().map((a) => -a), axes_order: 'zyxyz', rotation_type: 'cartesian' },
        { type: 'spherical_cartesian', transform_type: 'cartesian_to_spherical', wrap_lon_at: 180 },
        { type: 'concatenate', forward: [{ type: 'scale', factor: 3600 }, { type: 'scale', factor: 3600 }] },
      ],
    },
  };
}

/**
 * Differential velocity aberration: v' = v_ref + scale * (v - v_ref) on both
 * axes; the identity when the scale is absent or 1.
 */
export function dvaCorrSpec(scale: number | undefined, v2Ref: number, v3Ref: number): TransformSpec {
  if (scale === undefined || scale === 1) return { type: 'identity', n_dims: 2 };
  if (!(scale > 0)) throw new RangeError(`velocity aberration scale must be > 0, got ${scale}`);
  return {
    type: 'compose',
    name: 'dva_corr',
    forward: [
      { type: 'concatenate', forward: [{ type: 'scale', factor: scale }, { type: 'scale', factor: scale }] },
      { type: 'concatenate', forward: [{ type: 'shift', offset: (1 - scale) * v2Ref }, { type: 'shift', offset: (1 - scale) * v3Ref }] },
    ],
  };
}
