/**
 * Our Wcs -> a gwcs `wcs` node for the ASDF tree (meta.wcs), and the glue
 * model-io uses to carry a model's WCS through files.
 *
 * Structure copied from what jwst 3.0 (gwcs 1.0.3, asdf-wcs-schemas 0.5)
 * writes in the golden LRS calints and the stdatamodels zoo files:
 * `gwcs/wcs-1.4.0` {name: '', pixel_shape: null, steps}, `gwcs/step-1.3.0`
 * {frame, transform} (last transform null), frames `gwcs/frame2d-1.2.0`,
 * `gwcs/celestial_frame-1.2.0` (ICRS), `gwcs/spectral_frame-1.2.0`,
 * `gwcs/composite_frame-1.0.0`, `gwcs/frame-1.2.0` (n-D pixel), units as
 * `unit/unit-1.0.0`. Our WcsFrame keeps only name, axes and units, so the
 * frame kind is inferred from them (pixel, spectral units, degrees).
 */
import { AsdfError } from '../errors/index.ts';
import type { AsdfBlock } from '../asdf/blocks.ts';
import { parseAsdfInFits, serializeAsdfInFits } from '../asdf/fits-embed.ts';
import { Tagged } from '../asdf/scalars.ts';
import { buildTransform } from '../asdf/transforms/build.ts';
import { specToAsdf } from '../asdf/transforms/serialize.ts';
import type { HduSpec } from '../fits/index.ts';
import type { JwstModel } from '../stpipe/model.ts';
import { asdfCellBytes } from '../stpipe/model-io-asdf.ts';
import { modelWcs, setModelWcs } from './attach.ts';
import { Wcs, wcsFromGwcs, type WcsFrame } from './wcs.ts';

const G = 'tag:stsci.edu:gwcs/';
export const GWCS_TAGS = {
  wcs: `${G}wcs-1.4.0`,
  step: `${G}step-1.3.0`,
  frame: `${G}frame-1.2.0`,
  frame2d: `${G}frame2d-1.2.0`,
  celestial: `${G}celestial_frame-1.2.0`,
  spectral: `${G}spectral_frame-1.2.0`,
  composite: `${G}composite_frame-1.0.0`,
} as const;
const UNIT_TAG = 'tag:stsci.edu:asdf/unit/unit-1.0.0';
const ICRS_TAG = 'tag:astropy.org:astropy/coordinates/frames/icrs-1.1.0';

const WAVE_UNITS = new Set(['um', 'micron', 'nm', 'Angstrom', 'angstrom', 'AA', 'm', 'cm', 'mm']);
const FREQ_UNITS = new Set(['Hz', 'kHz', 'MHz', 'GHz', 'THz']);
const SPECTRAL_NAMES = /^(?:lambda|wavelength|wave|freq|frequency)$/i;

const unit = (u: string): Tagged => new Tagged(UNIT_TAG, u);
const isSpectral = (name: string, u: string): boolean => WAVE_UNITS.has(u) || FREQ_UNITS.has(u) || (u !== 'pixel' && SPECTRAL_NAMES.test(name));

interface Axes { idx: number[]; names: string[]; units: string[] }

function pick(f: WcsFrame, idx: number[]): Axes {
  return { idx, names: idx.map((i) => f.axes[i]!), units: idx.map((i) => f.units[i]!) };
}

function spectralFrame(name: string, a: Axes): Tagged {
  const type = a.units.map((u) => (FREQ_UNITS.has(u) ? 'em.freq' : 'em.wl'));
  return new Tagged(GWCS_TAGS.spectral, { axes_names: a.names, axes_order: a.idx, axis_physical_types: type, name, unit: a.units.map(unit) });
}

/** Two spatial axes: celestial (ICRS) when both are in degrees and not V2/V3, else frame2d; other counts: generic frame. */
function spatialFrame(name: string, a: Axes, celestialName?: string): Tagged {
  const pixel = a.units.every((u) => u === 'pixel');
  if (a.idx.length === 2 && a.units.every((u) => u === 'deg') && !a.names.some((n) => /^v[23]$/i.test(n))) {
    return new Tagged(GWCS_TAGS.celestial, {
      axes_names: a.names, axes_order: a.idx, axis_physical_types: ['pos.eq.ra', 'pos.eq.dec'], name: celestialName ?? name,
      reference_frame: new Tagged(ICRS_TAG, { frame_attributes: {} }), unit: a.units.map(unit),
    });
  }
  const types = a.names.map((n) => `custom:${n}`);
  if (a.idx.length === 2) return new Tagged(GWCS_TAGS.frame2d, { axes_names: a.names, axes_order: a.idx, axis_physical_types: types, name, unit: a.units.map(unit) });
  return new Tagged(GWCS_TAGS.frame, {
    axes_names: a.names, axes_order: a.idx, axes_type: a.idx.map(() => (pixel ? 'PIXEL' : 'SPATIAL')),
    axis_physical_types: pixel ? a.idx.map(() => 'custom:PIXEL') : types, name, naxes: a.idx.length, unit: a.units.map(unit),
  });
}

/** A gwcs frame node for one of our frames (a bare name when the axes are unknown, as gwcs allows). */
export function frameToGwcs(f: WcsFrame): Tagged | string {
  if (f.axes.length === 0 || f.units.length !== f.axes.length) return f.name;
  const all = f.axes.map((_, i) => i);
  const spec = all.filter((i) => isSpectral(f.axes[i]!, f.units[i]!));
  const spat = all.filter((i) => !spec.includes(i));
  if (spec.length === 0) return spatialFrame(f.name, pick(f, spat));
  if (spat.length === 0) return spectralFrame(f.name, pick(f, spec));
  return new Tagged(GWCS_TAGS.composite, {
    // Sub-frame names as jwst's MIRI LRS WCS has them (cosmetic: gwcs uses the axes, not these names).
    frames: [spatialFrame(`${f.name}_spatial`, pick(f, spat), 'icrs'), spectralFrame(f.name === 'alpha_beta' ? 'alpha_beta_spectral' : 'spec', pick(f, spec))],
    name: f.name,
  });
}

/**
 * The gwcs node (tag gwcs/wcs-1.4.0) for a Wcs. Throws AsdfError naming the
 * step when a transform cannot be written or does not fit its frames.
 */
export function wcsToGwcs(wcs: Wcs): Tagged {
  const n = wcs.steps.length;
  const steps = wcs.steps.map((s, i) => {
    const where = `step ${i} (frame '${s.frame.name}')`;
    if (i === n - 1 && s.transform) throw new AsdfError('asdf-transform-write', `${where}: the last step of a WCS has no transform`);
    if (i < n - 1 && !s.transform) throw new AsdfError('asdf-transform-write', `${where}: no transform to the next frame`);
    if (s.transform) {
      const t = buildTransform(s.transform);
      const next = wcs.steps[i + 1]!.frame;
      if (s.frame.axes.length > 0 && t.nInputs !== s.frame.axes.length) throw new AsdfError('asdf-transform-write', `${where}: transform takes ${t.nInputs} inputs for ${s.frame.axes.length} axes`);
      if (next.axes.length > 0 && t.nOutputs !== next.axes.length) throw new AsdfError('asdf-transform-write', `${where}: transform gives ${t.nOutputs} outputs for the ${next.axes.length} axes of '${next.name}'`);
    }
    let transform: Tagged | null = null;
    try {
      transform = s.transform ? specToAsdf(s.transform) : null;
    } catch (e) {
      throw new AsdfError('asdf-transform-write', `${where}: ${(e as Error).message}`);
    }
    return new Tagged(GWCS_TAGS.step, { frame: frameToGwcs(s.frame), transform });
  });
  return new Tagged(GWCS_TAGS.wcs, { name: '', pixel_shape: null, steps });
}

const LOADED_KEY = Symbol.for('webbdesk.wcs.loaded');
type Marked = JwstModel & { [LOADED_KEY]?: string };

/** Read the gwcs at meta.wcs of a carried ASDF HDU; undefined when absent. Throws AsdfError when it cannot be read. */
export function wcsFromAsdfHdu(spec: HduSpec, file?: string): Wcs | undefined {
  const bytes = asdfCellBytes(spec);
  // Parsing the YAML costs ~60 ms for a jwst tree: skip it when no gwcs tag is there at all.
  if (!bytes || !new TextDecoder('latin1').decode(bytes).includes('gwcs/wcs-')) return undefined;
  const f = parseAsdfInFits(bytes, file, { verifyChecksums: false });
  const node = (f.tree.meta as Record<string, unknown> | undefined)?.wcs;
  if (node === undefined || node === null) return undefined;
  return wcsFromGwcs(node, { blocks: f.blocks as readonly AsdfBlock[], file });
}

/**
 * loadModel: attach the WCS found in the model's ASDF extension (meta.wcs).
 * Returns a message when one is there but cannot be read (the node is still
 * carried unchanged to the output).
 */
export function attachWcsFromExtras(model: JwstModel, file?: string): string | undefined {
  const asdf = model.extras.find((s) => String(s.header.get('EXTNAME') ?? '').toUpperCase() === 'ASDF');
  if (!asdf) return undefined;
  try {
    const w = wcsFromAsdfHdu(asdf, file);
    if (!w) return undefined;
    setModelWcs(model, w);
    (model as Marked)[LOADED_KEY] = JSON.stringify(w.toJSON());
    return undefined;
  } catch (e) {
    return `meta.wcs of ${file ?? 'the input'} is carried as read but not usable here: ${(e as Error).message}`;
  }
}

/**
 * writeModel: the gwcs node to put at meta.wcs, or nothing when the model has
 * no WCS or still has the one it was loaded with (the carried node is kept).
 * A WCS that cannot be written gives a warning instead of a node.
 */
export function gwcsForWrite(model: JwstModel): { node?: Tagged; warning?: string } {
  try {
    const w = modelWcs(model);
    if (!w) return {};
    const loaded = (model as Marked)[LOADED_KEY];
    if (loaded !== undefined && loaded === JSON.stringify(w.toJSON())) return {};
    const node = wcsToGwcs(w);
    serializeAsdfInFits({ meta: { wcs: node } }, new Map()); // would the ASDF writer take it?
    return { node };
  } catch (e) {
    return { warning: `meta.wcs not written (the output has no WCS; jwst and later WebbDesk runs will not see one): ${(e as Error).message}` };
  }
}
