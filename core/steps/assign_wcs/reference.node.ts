/**
 * Reading the assign_wcs reference files for MIRI LRS: the SPECWCS FITS table
 * (MiriLRSSpecwcsModel: WAVETABLE with x_center, y_center, wavelength and the
 * corner columns x0..y3; IMX/IMY/IMXSLTL/IMYSLTL in the primary header) and
 * the DISTORTION ASDF file (DistortionModel: `model` is the full-frame pixel ->
 * v2v3 arcsec transform).
 */
import { readAsdfFile } from '../../asdf/index.node.ts';
import { specFromAsdf, type TransformSpec } from '../../asdf/transforms/index.ts';
import { StepError } from '../../errors/index.ts';
import { FitsFile } from '../../fits/index.node.ts';
import type { LrsSpecwcs } from '../../wcs/index.ts';

/** The LRS SPECWCS content. Throws StepError naming the file, HDU or column that is missing. */
export async function readLrsSpecwcs(path: string): Promise<LrsSpecwcs> {
  const ff = await FitsFile.open(path);
  try {
    const prim = ff.hdus[0]!.header;
    const h = ff.hdus.find((x) => (x.extname ?? '').toUpperCase() === 'WAVETABLE');
    if (!h || h.type !== 'BINTABLE') {
      throw new StepError('ref-missing-ext', 'SPECWCS reference has no WAVETABLE table (MIRI LRS specwcs expected)', { file: path, extname: 'WAVETABLE' });
    }
    const t = await ff.readTable(h.index);
    const col = (n: string): Float64Array => {
      const c = t.columns.find((x) => x.name.toLowerCase() === n);
      if (!c) throw new StepError('ref-missing-column', `SPECWCS WAVETABLE has no ${n} column`, { file: path, extname: 'WAVETABLE' });
      return Float64Array.from(c.data as ArrayLike<number>, Number);
    };
    const num = (k: string): number | undefined => {
      const v = prim.get(k);
      return typeof v === 'number' ? v : undefined;
    };
    return {
      xCenter: col('x_center'), yCenter: col('y_center'), wavelength: col('wavelength'),
      x0: col('x0'), y0: col('y0'), x1: col('x1'), y2: col('y2'),
      imx: num('IMX'), imy: num('IMY'), imxsltl: num('IMXSLTL'), imysltl: num('IMYSLTL'),
    };
  } finally {
    await ff.close();
  }
}

/** The `model` transform of a DISTORTION reference (ASDF) as a TransformSpec. */
export async function readDistortion(path: string): Promise<TransformSpec> {
  const f = await readAsdfFile(path);
  const model = f.tree.model;
  if (model === undefined) throw new StepError('ref-format', 'DISTORTION reference has no `model` in its ASDF tree', { file: path });
  return specFromAsdf(model, { blocks: f.blocks, file: path }, '/model');
}
