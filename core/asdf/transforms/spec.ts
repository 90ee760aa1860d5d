/**
 * A JSON-serialisable description of astropy-modeling transforms, as the ASDF
 * transform schemas (asdf-transform-schemas, tag:stsci.edu:asdf/transform/*)
 * and the gwcs schemas describe them. Arrays are plain number arrays so a WCS
 * can be saved as JSON and rebuilt (`buildTransform`) in a worker or the UI.
 */

/** [low, high] of one input, inclusive. */
export type Interval = readonly [number, number];

interface Common {
  /** Model name from the file (e.g. 'xshiftref'). */
  readonly name?: string;
  /** The inverse the file gives (takes precedence over the analytic one). */
  readonly inverse?: TransformSpec;
  /** Per input, in input order (astropy 'F' order): the valid range. */
  readonly bounding_box?: readonly Interval[];
}

export type BinaryOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'power';

export type TransformSpec = Common & (
  | { readonly type: 'compose'; readonly forward: readonly TransformSpec[] }
  | { readonly type: 'concatenate'; readonly forward: readonly TransformSpec[] }
  | { readonly type: BinaryOp; readonly forward: readonly [TransformSpec, TransformSpec] }
  | { readonly type: 'remap_axes'; readonly mapping: readonly number[]; readonly n_inputs: number }
  | { readonly type: 'identity'; readonly n_dims: number }
  | { readonly type: 'shift'; readonly offset: number }
  | { readonly type: 'scale'; readonly factor: number }
  | { readonly type: 'constant'; readonly value: number; readonly dimensions: number }
  /** 1D: coefficients[i] * x^i. 2D: coefficients[i][j] * x^i * y^j (i + j <= degree). */
  | {
      readonly type: 'polynomial';
      readonly coefficients: readonly number[] | readonly (readonly number[])[];
      /** 1D domain/window, or x_domain/x_window and y_domain/y_window for 2D. */
      readonly domain?: Interval; readonly window?: Interval;
      readonly x_domain?: Interval; readonly x_window?: Interval;
      readonly y_domain?: Interval; readonly y_window?: Interval;
    }
  /** out = matrix . [x, y] + translation. */
  | { readonly type: 'affine'; readonly matrix: readonly (readonly number[])[]; readonly translation: readonly number[] }
  /** Counter-clockwise rotation of (x, y) by `angle` degrees. */
  | { readonly type: 'rotate2d'; readonly angle: number }
  /** Lookup table on a regular or irregular grid (1D: points[0]). */
  | {
      readonly type: 'tabular';
      readonly points: readonly (readonly number[])[];
      readonly lookup_table: readonly number[];
      readonly method: 'linear' | 'nearest';
      readonly bounds_error: boolean;
      /** null = NaN (astropy's default for bounds_error false). */
      readonly fill_value: number | null;
    }
  /** Inputs fixed to values: keys are input indices of `forward[0]`. */
  | { readonly type: 'fix_inputs'; readonly forward: readonly [TransformSpec]; readonly keys: readonly number[]; readonly values: readonly number[] }
  /** gwcs spherical_cartesian: (lon, lat) deg <-> unit vector (x, y, z). */
  | { readonly type: 'spherical_cartesian'; readonly transform_type: 'spherical_to_cartesian' | 'cartesian_to_spherical'; readonly wrap_lon_at: number }
  /** Rotations about cartesian axes in sequence ('zyxyz'), angles in degrees. */
  /** TAN (gnomonic) projection: pix2sky (x, y deg) -> native (phi, theta) deg, or sky2pix back. */
  | { readonly type: 'gnomonic'; readonly direction: 'pix2sky' | 'sky2pix' }
  /** Native <-> celestial spherical rotation (FITS WCS Paper II): phi = celestial lon of the pole (alpha_p), theta = delta_p, psi = native lon of the pole (phi_p), deg. */
  | { readonly type: 'rotate3d'; readonly phi: number; readonly theta: number; readonly psi: number; readonly direction: 'native2celestial' | 'celestial2native' }
  | { readonly type: 'rotate_sequence_3d'; readonly angles: readonly number[]; readonly axes_order: string; readonly rotation_type: 'cartesian' | 'spherical' }
);

export type TransformType = TransformSpec['type'];
