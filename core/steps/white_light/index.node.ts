/**
 * WhiteLightStep (jwst 3.0 white_light): integrated flux per integration of
 * an x1dints product (or several segments), written as the _whtlt.ecsv table.
 */
import { StepError } from '../../errors/index.ts';
import { defineStep, isModel, param, type JwstModel, type StepContext, type TableProduct } from '../../stpipe/index.ts';
import { whiteLightEcsv, whiteLightRows, type WhiteLightRow } from './white_light.ts';

async function run(input: JwstModel | readonly JwstModel[], ctx: StepContext): Promise<TableProduct> {
  const models = isModel(input) ? [input] : [...input];
  if (models.length === 0) throw new StepError('bad-input', 'white_light got no input spectra');
  const lo = (ctx.params.min_wavelength as number | null) ?? null;
  const hi = (ctx.params.max_wavelength as number | null) ?? null;
  if (lo !== null && hi !== null && lo > hi) throw new StepError('bad-parameter', `min_wavelength ${lo} is above max_wavelength ${hi}`, { parameter: 'min_wavelength' });
  const wr = await ctx.reference('wavelengthrange');
  if (wr.kind === 'file') ctx.log.info(`WAVELENGTHRANGE ${wr.name} is used only for NIRISS SOSS order limits; not applied to this exposure`);
  const rows: WhiteLightRow[] = [];
  let wmin = Infinity;
  let wmax = -Infinity;
  for (const m of models) {
    const r = whiteLightRows(m, lo, hi);
    rows.push(...r.rows);
    wmin = Math.min(wmin, r.wmin); wmax = Math.max(wmax, r.wmax);
  }
  if ((lo !== null && lo > wmax) || (hi !== null && hi < wmin)) {
    throw new StepError('bad-parameter', `the wavelength range [${lo ?? '-'}, ${hi ?? '-'}] um lies outside the data (${wmin.toFixed(3)}..${wmax.toFixed(3)} um)`, { parameter: lo !== null && lo > wmax ? 'min_wavelength' : 'max_wavelength', file: models[0].source });
  }
  const unit = models[0].parts?.[0]?.table?.columns.find((c) => c.name.toUpperCase() === 'FLUX')?.unit;
  ctx.progress(rows.length, rows.length, 'integrations');
  return { kind: 'table', format: 'ecsv', text: whiteLightEcsv(rows, models[0].meta, unit), meta: models[0].meta };
}

export const step = defineStep<JwstModel | readonly JwstModel[], TableProduct>({
  name: 'white_light',
  className: 'WhiteLightStep',
  summary: 'Sum the spectral flux per integration into a white-light curve (ECSV)',
  suffix: 'whtlt',
  referenceTypes: ['wavelengthrange'],
  spec: {
    min_wavelength: param.float(null, 'Default wavelength minimum for integration', { unit: 'um' }),
    max_wavelength: param.float(null, 'Default wavelength maximum for integration', { unit: 'um' }),
  },
  run,
});
