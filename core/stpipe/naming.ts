/**
 * Output file names as stpipe makes them (jwst docs, "Input and Output File
 * Conventions"): the base name comes from the input (or output_file, or an
 * association product name) with known suffixes removed, then
 * `_<index>_` for list products and `_<suffix>` and the extension.
 * uncal -> rate, rateints -> calints, jumpstep -> _0_rampfitstep ...
 */

/** Product and step suffixes jwst strips from a base name (a subset of jwst.lib.suffix, plus step names given at run time). */
export const KNOWN_SUFFIXES: readonly string[] = [
  'uncal', 'ramp', 'rate', 'rateints', 'trapsfilled', 'dark', 'refpix', 'fitopt', 'cal', 'calints', 'crf', 'crfints',
  'i2d', 's2d', 's3d', 'x1d', 'x1dints', 'c1d', 'whtlt', 'bsub', 'bsubints', 'median', 'blot', 'phot', 'cat', 'segm',
  'psfstack', 'psfalign', 'psfsub', 'ami', 'amiavg', 'aminorm', 'ami-oi', 'amimulti-oi', 'amilg', 'wfscmb', 'outlier_i2d',
  'mask', 'o2d', 'spec3', 'image2', 'image3', 'spec2', 'tso3', 'coron3', 'ami3',
  // steps and pipelines (class names lower-cased, and aliases)
  'calwebb_detector1', 'detector1pipeline', 'calwebb_spec2', 'spec2pipeline', 'calwebb_spec3', 'spec3pipeline',
  'calwebb_tso3', 'tso3pipeline', 'calwebb_image2', 'image2pipeline', 'calwebb_image3', 'image3pipeline',
  'group_scale', 'groupscalestep', 'dq_init', 'dqinitstep', 'emicorr', 'emicorrstep', 'saturation', 'saturationstep',
  'ipc', 'ipcstep', 'firstframe', 'firstframestep', 'lastframe', 'lastframestep', 'reset', 'resetstep',
  'linearity', 'linearitystep', 'rscd', 'rscdstep', 'dark_current', 'darkcurrentstep', 'refpix', 'refpixstep',
  'jump', 'jumpstep', 'ramp_fit', 'rampfitstep', 'gain_scale', 'gainscalestep', 'superbias', 'superbiasstep',
  'persistence', 'persistencestep', 'charge_migration', 'chargemigrationstep', 'clean_flicker_noise', 'cleanflickernoisestep',
  'picture_frame', 'pictureframestep', 'assign_wcs', 'assignwcsstep', 'bkg_subtract', 'background', 'backgroundstep',
  'imprint_subtract', 'imprint', 'imprintstep', 'msa_flagging', 'msaflagopenstep', 'extract_2d', 'extract2dstep',
  'srctype', 'sourcetypestep', 'master_background', 'masterbackgroundstep', 'wavecorr', 'wavecorrstep',
  'flat_field', 'flatfieldstep', 'straylight', 'straylightstep', 'fringe', 'fringestep', 'residual_fringe', 'residualfringestep',
  'pathloss', 'pathlossstep', 'barshadow', 'barshadowstep', 'photom', 'photomstep', 'pixel_replace', 'pixelreplacestep',
  'resample_spec', 'resamplespecstep', 'resample', 'resamplestep', 'cube_build', 'cubebuildstep', 'extract_1d', 'extract1dstep',
  'outlier_detection', 'outlierdetectionstep', 'white_light', 'whitelightstep', 'tso_photometry', 'tsophotometrystep',
  'nsclean', 'nscleanstep', 'badpix_selfcal', 'badpixselfcalstep', 'spectral_leak', 'spectralleakstep', 'mrs_imatch', 'mrsimatchstep',
  'combine_1d', 'combine1dstep', 'wfss_contam', 'wfsscontamstep', 'targ_centroid', 'adaptive_trace_model',
];

/**
 * Remove known suffixes (repeatedly, with an optional `_<n>` index before them)
 * from a base name without extension: 'x_mirimage_0_rampfitstep' -> 'x_mirimage'.
 */
export function removeSuffix(base: string, extra: readonly string[] = []): string {
  const known = new Set([...KNOWN_SUFFIXES, ...extra.map((s) => s.toLowerCase())]);
  const parts = base.split('_');
  for (;;) {
    const n = parts.length;
    if (n >= 3 && known.has(`${parts[n - 2]}_${parts[n - 1]}`.toLowerCase())) parts.splice(n - 2, 2);
    else if (n >= 2 && known.has(parts[n - 1].toLowerCase())) parts.splice(n - 1, 1);
    else return parts.join('_');
    // stpipe's list index (_0_rampfitstep): one to three digits, never an exposure number.
    if (parts.length >= 2 && /^\d{1,3}$/.test(parts[parts.length - 1])) parts.pop();
  }
}

/** File name part (no directory) of a path, extension removed. */
export function stem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export interface OutputNameOptions {
  /** The product's base: output_file, association product name, or the input file name. */
  readonly base: string;
  /** Suffix without underscore ('rate', 'jumpstep'); empty string = none. */
  readonly suffix: string;
  /** Index of a list product (stpipe's `_<idx>_`), when output_use_index. */
  readonly index?: number;
  /** Extension with dot, default '.fits'. */
  readonly ext?: string;
  /** Extra names to strip (the running step/pipeline names). */
  readonly extraSuffixes?: readonly string[];
}

/** `<base stripped>[_<index>]_<suffix><ext>` (no directory). */
export function outputName(o: OutputNameOptions): string {
  const baseFile = o.base.slice(o.base.lastIndexOf('/') + 1);
  const hasExt = /\.(fits|fit|asdf|ecsv|json)$/i.exec(baseFile);
  const ext = o.ext ?? (hasExt ? hasExt[0] : '.fits');
  const root = removeSuffix(hasExt ? baseFile.slice(0, -hasExt[0].length) : baseFile, o.extraSuffixes);
  const idx = o.index !== undefined ? `_${o.index}` : '';
  const sfx = o.suffix ? `_${o.suffix}` : '';
  return `${root}${idx}${sfx}${ext.startsWith('.') ? ext : '.' + ext}`;
}

/**
 * Base and suffix for saving a product under an association member's own
 * name, as jwst's save_model(output_file=<member filename>, asn_id=...):
 * `<member root>_<asn_id>_<suffix>` (golden tso3: ..._mirimage_a3001_crfints.fits).
 * Without an asn_id (a plain list input) it is `<member root>_<suffix>`.
 */
export function memberSaveName(
  m: { readonly meta: { readonly filename?: unknown }; readonly source?: string; readonly asn?: { readonly asnId?: string } },
  suffix: string,
): { base: string | undefined; suffix: string } {
  const base = typeof m.meta.filename === 'string' && m.meta.filename ? m.meta.filename : m.source;
  const id = m.asn?.asnId;
  return { base, suffix: id ? `${id}_${suffix}` : suffix };
}
