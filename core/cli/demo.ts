/**
 * `webbdesk demo [DIR]`: writes the demo project. For now it holds one
 * synthetic MIRI LRS slitless TSO `_rateints` product (a dispersed trace on
 * the SLITLESSPRISM subarray with read and photon noise and INT_TIMES), enough
 * to browse with `webbdesk info`; the simulated transit through the full
 * pipeline replaces it when calwebb_tso3 exists.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFits } from '../fits/index.node.ts';
import { Header } from '../fits/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { gaussian } from '../random/index.ts';
import type { Command } from './main.ts';

export async function writeDemoRateints(dir: string, nints = 20): Promise<string> {
  const ny = 416, nx = 72;
  const n = nints * ny * nx;
  const sci = new Float32Array(n), err = new Float32Array(n), dq = new Uint32Array(n);
  const vp = new Float32Array(n), vr = new Float32Array(n);
  const rnd = gaussian(20261121);
  const tEff = 9.5; // seconds of effective integration
  const rnVar = 0.02; // (DN/s)^2 read-noise variance of a slope
  for (let k = 0; k < nints; k++) {
    for (let y = 0; y < ny; y++) {
      // Trace brighter toward the blue end of the prism (low rows), centred on column 36.
      const spectral = y > 20 && y < 400 ? 400 * Math.exp(-(((y - 300) / 140) ** 2)) : 0;
      for (let x = 0; x < nx; x++) {
        const i = (k * ny + y) * nx + x;
        const bkg = 5 + 0.02 * (ny - y);
        const rate = bkg + spectral * Math.exp(-0.5 * (((x - 36) / 1.2) ** 2));
        const poisson = rate / tEff;
        sci[i] = rate + Math.sqrt(poisson + rnVar) * rnd();
        vp[i] = poisson;
        vr[i] = rnVar;
        err[i] = Math.sqrt(poisson + rnVar);
        if (x < 4) dq[i] = 2147483649; // reference columns: REFERENCE_PIXEL | DO_NOT_USE
      }
    }
  }
  const primary = new Header();
  const kv: Array<[string, string | number | boolean]> = [
    ['DATAMODL', 'CubeModel'], ['TELESCOP', 'JWST'], ['INSTRUME', 'MIRI'], ['DETECTOR', 'MIRIMAGE'], ['FILTER', 'P750L'],
    ['EXP_TYPE', 'MIR_LRS-SLITLESS'], ['TSOVISIT', true], ['NINTS', nints], ['NGROUPS', 50], ['NFRAMES', 1], ['GROUPGAP', 0],
    ['READPATT', 'FASTR1'], ['TFRAME', 0.159], ['TGROUP', 0.159], ['EFFINTTM', tEff], ['SUBARRAY', 'SLITLESSPRISM'],
    ['SUBSTRT1', 1], ['SUBSTRT2', 529], ['SUBSIZE1', nx], ['SUBSIZE2', ny], ['DATE-OBS', '2026-11-21'], ['TIME-OBS', '00:00:00.000'],
    ['EXPSTART', 61000.0], ['S_RAMP', 'COMPLETE'], ['FILENAME', 'jw09999001001_03101_00001-seg001_mirimage_rateints.fits'],
  ];
  for (const [k, v] of kv) primary.set(k, v);
  const ext = (name: string, extra: Array<[string, string]> = []) => {
    const h = new Header().set('EXTNAME', name);
    for (const [k, v] of extra) h.set(k, v);
    return h;
  };
  const shape = [nints, ny, nx];
  const tStart = Float64Array.from({ length: nints }, (_, k) => 61000 + (k * tEff) / 86400);
  const file = path.join(dir, 'jw09999001001_03101_00001-seg001_mirimage_rateints.fits');
  await writeFits(file, [
    { header: primary },
    { header: ext('SCI', [['BUNIT', 'DN/s'], ['SRCTYPE', 'POINT']]), image: ndarray(sci, shape) },
    { header: ext('ERR', [['BUNIT', 'DN/s']]), image: ndarray(err, shape) },
    { header: ext('DQ'), image: ndarray(dq, shape) },
    {
      header: ext('INT_TIMES'),
      table: {
        nrows: nints,
        columns: [
          { name: 'integration_number', tform: 'J', data: Int32Array.from({ length: nints }, (_, k) => k + 1) },
          { name: 'int_start_MJD_UTC', tform: 'D', data: tStart },
          { name: 'int_mid_MJD_UTC', tform: 'D', data: tStart.map((t) => t + tEff / 2 / 86400) },
          { name: 'int_end_MJD_UTC', tform: 'D', data: tStart.map((t) => t + tEff / 86400) },
        ],
      },
    },
    { header: ext('VAR_POISSON'), image: ndarray(vp, shape) },
    { header: ext('VAR_RNOISE'), image: ndarray(vr, shape) },
  ]);
  return file;
}

export const demoCommand: Command = async (argv, io) => {
  const args = argv.filter((a) => !a.startsWith('--'));
  const dir = path.resolve(args[0] ?? 'webbdesk-demo');
  await mkdir(dir, { recursive: true });
  const file = await writeDemoRateints(dir);
  io.stdout(`webbdesk demo: wrote ${file}\n`);
  return 0;
};
