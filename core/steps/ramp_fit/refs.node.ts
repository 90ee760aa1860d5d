/**
 * Read a GAIN or READNOISE reference (FITS, SCI extension) as float32 at the
 * science subarray: a reference of another size is cut with the SUBSTRT/
 * SUBSIZE keywords of both files (jwst reffile_utils: "Extracting gain
 * subarray to match science data").
 */
import { StepError } from '../../errors/index.ts';
import { FitsFile } from '../../fits/index.node.ts';

/** Science subarray: 1-based start and size (SUBSTRT1/2, SUBSIZE1/2). */
export interface Subarray {
  xstart: number;
  ystart: number;
  xsize: number;
  ysize: number;
}

function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

/** The reference's SCI array [ysize, xsize] as float32 at the science subarray. */
export async function readReferenceSci(path: string, reftype: string, sub: Subarray): Promise<Float32Array> {
  const ff = await FitsFile.open(path);
  try {
    const info = ff.find('SCI') ?? ff.hdus.find((h) => h.index === 1);
    if (!info) throw new StepError('bad-reference', `${reftype} reference has no SCI extension`, { file: path });
    const img = await ff.readImage(info.index);
    if (img.shape.length !== 2) throw new StepError('bad-reference', `${reftype} SCI is not 2-D (shape [${img.shape.join(', ')}])`, { file: path, extname: 'SCI' });
    const [rny, rnx] = img.shape;
    const src = Float32Array.from(img.data as ArrayLike<number>);
    if (rny === sub.ysize && rnx === sub.xsize) return src;
    const h0 = ff.hdus[0].header;
    const rx0 = num(info.header.get('SUBSTRT1') ?? h0.get('SUBSTRT1'), 1);
    const ry0 = num(info.header.get('SUBSTRT2') ?? h0.get('SUBSTRT2'), 1);
    const x0 = sub.xstart - rx0;
    const y0 = sub.ystart - ry0;
    if (x0 < 0 || y0 < 0 || x0 + sub.xsize > rnx || y0 + sub.ysize > rny) {
      throw new StepError('bad-reference', `${reftype} reference (${rnx}x${rny} at ${rx0},${ry0}) does not cover the science subarray (${sub.xsize}x${sub.ysize} at ${sub.xstart},${sub.ystart})`, { file: path });
    }
    const out = new Float32Array(sub.xsize * sub.ysize);
    for (let y = 0; y < sub.ysize; y++) {
      out.set(src.subarray((y0 + y) * rnx + x0, (y0 + y) * rnx + x0 + sub.xsize), y * sub.xsize);
    }
    return out;
  } finally {
    await ff.close();
  }
}
