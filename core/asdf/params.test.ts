import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { AsdfError } from '../errors/index.ts';
import { isMarkedFloat, parseAsdf, readParameterFile, serializeAsdf, Tagged, writeParameterFile, type StepParameters } from './index.ts';

const TWEAKREG = ['external', 'reffiles', 'pars-and-apcorr', 'jwst_miri_pars-tweakreg_0001.asdf'];

describe.skipIf(!HAVE_SHARED)('the real pars-tweakreg file (legacy layout, 2019)', () => {
  const file = sharedPath(...TWEAKREG);
  const p = HAVE_SHARED ? readParameterFile(readFileSync(file), file) : undefined;

  it('reads class, derived name, parameters and meta', () => {
    expect(p!.className).toBe('jwst.tweakreg.TweakRegStep');
    expect(p!.name).toBe('TweakRegStep');
    expect(p!.steps).toEqual([]);
    expect(p!.parameters).toEqual({
      brightest: 100, catalog_format: 'ecsv', enforce_user_order: false, expand_refcat: false,
      fitgeometry: 'general', kernel_fwhm: 3.2, minobj: 15, nclip: 3, save_catalogs: false,
      searchrad: 1.0, separation: 0.5, sigma: 3.0, snr_threshold: 10.0, tolerance: 1.0,
      use2dhist: true, xoffset: 0.0, yoffset: 0.0,
    });
    expect(Object.keys(p!.parameters)[0]).toBe('brightest');
    expect(isMarkedFloat(p!.parameters, 'searchrad')).toBe(true);
    expect(isMarkedFloat(p!.parameters, 'brightest')).toBe(false);
    expect(p!.meta).toMatchObject({ reftype: 'pars-tweakreg', instrument: { detector: 'MIRIMAGE', name: 'MIRI' }, date: '2019-02-30T01:02:03.456' });
  });

  it('writes it back in the legacy layout byte-for-value', () => {
    const orig = parseAsdf(readFileSync(file), file);
    const out = writeParameterFile(p!, { layout: 'legacy', history: orig.tree.history });
    const again = parseAsdf(out);
    expect(again.tree.parameters).toEqual(orig.tree.parameters);
    expect(again.tree.meta).toEqual(orig.tree.meta);
    expect(again.tree.history).toEqual(orig.tree.history);
    expect(new TextDecoder().decode(out)).toContain('\nparameters:\n  class: jwst.tweakreg.TweakRegStep\n  brightest: 100\n');
    expect(new TextDecoder().decode(out)).toContain('\n  searchrad: 1.0\n');
  });

  it('converts to the current stpipe layout and reads it back', () => {
    const out = writeParameterFile(p!);
    const text = new TextDecoder().decode(out);
    expect(text).toMatch(/\nclass: jwst\.tweakreg\.TweakRegStep\nmeta:\n[\s\S]*\nname: TweakRegStep\nparameters:\n  brightest: 100\n/);
    expect(readParameterFile(out, 'new.asdf')).toEqual(p);
  });
});

describe('parameter files', () => {
  const pipeline: StepParameters = {
    className: 'jwst.pipeline.calwebb_spec2.Spec2Pipeline',
    name: 'Spec2Pipeline',
    parameters: { save_bsub: false, fail_on_exception: true, output_dir: null, suffix: 'cal' },
    steps: [
      { className: 'jwst.assign_wcs.assign_wcs_step.AssignWcsStep', name: 'assign_wcs', parameters: { skip: false, sip_degree: null, slit_y_low: -0.55 }, steps: [] },
      { className: 'jwst.extract_1d.extract_1d_step.Extract1dStep', name: 'extract_1d', parameters: { skip: false, smoothing_length: 0, bkg_fit: null, apply_apcorr: true }, steps: [] },
    ],
    meta: { author: 'WebbDesk test', reftype: 'pars-spec2pipeline', exposure: { type: 'MIR_LRS-SLITLESS' } },
  };

  it('writes a pipeline with steps and reads the same structure back', () => {
    const out = writeParameterFile(pipeline);
    const back = readParameterFile(out, 'pars-spec2pipeline.asdf');
    expect(back).toEqual(pipeline);
    const tree = parseAsdf(out).tree;
    expect(Object.keys(tree)).toEqual(['asdf_library', 'class', 'meta', 'name', 'parameters', 'steps']);
    expect((tree.steps as Array<Record<string, unknown>>)[1]).toEqual({
      class: 'jwst.extract_1d.extract_1d_step.Extract1dStep', name: 'extract_1d',
      parameters: { skip: false, smoothing_length: 0, bkg_fit: null, apply_apcorr: true },
    });
  });

  it('accepts tagged step entries and missing names', () => {
    const tree = {
      class: 'jwst.pipeline.Detector1Pipeline',
      parameters: { save_calibrated_ramp: true },
      steps: [new Tagged('asdf://stsci.edu/stpipe/tags/step_config-1.0.0', { class: 'jwst.jump.JumpStep', parameters: { rejection_threshold: 4.0 } })],
    };
    const p = readParameterFile(serializeAsdf(tree));
    expect(p.name).toBe('Detector1Pipeline');
    expect(p.steps[0]).toEqual({ className: 'jwst.jump.JumpStep', name: 'JumpStep', parameters: { rejection_threshold: 4 }, steps: [] });
  });

  it('names the file and the missing key in errors', () => {
    const noClass = serializeAsdf({ name: 'X', parameters: { a: 1 } });
    expect(() => readParameterFile(noClass, 'pars-x.asdf')).toThrow(AsdfError);
    expect(() => readParameterFile(noClass, 'pars-x.asdf')).toThrow(/^pars-x\.asdf, parameter class: parameter file has no "class" at the top level/);
    const badStep = serializeAsdf({ class: 'a.B', parameters: {}, steps: [{ name: 'c', parameters: {} }] });
    expect(() => readParameterFile(badStep, 'p.asdf')).toThrow(/no "class" in steps\[0\]/);
    const badParams = serializeAsdf({ class: 'a.B', parameters: [1, 2] });
    expect(() => readParameterFile(badParams, 'p.asdf')).toThrow(/"parameters" at the top level is not a mapping/);
  });
});
