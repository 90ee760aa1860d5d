import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { groupView, summaryLine, useProjectStore, viewerFor } from './project.ts';
import { installFakeApi } from '../test-support/fake-api.ts';
import type { ExposureGroup, FileSummary, ProjectFile, ProjectScan, Stage } from '../../../core/api/types.ts';

const file = (name: string, stage: Stage, runId: string | null = null): ProjectFile => ({
  path: `/p/${name}`, relative: name, name, size: 1000, stage, program: '09999', observation: '001', visit: '001', exposure: '00001', segment: '001', detector: 'mirimage', runId,
});
const SUM: FileSummary = { path: '/p/a_uncal.fits', model: 'RampModel', instrument: 'MIRI', expType: 'MIR_LRS-SLITLESS', detector: 'MIRIMAGE', subarray: 'SLITLESSPRISM', filter: 'P750L', nints: 20, ngroups: 5, error: null };
const GROUP: ExposureGroup = {
  key: 'jw09999001001_00001_mirimage', observation: '001', visit: '001', exposure: '00001', detector: 'mirimage',
  files: [file('a_x1dints.fits', 'x1dints'), file('r_calints.fits', 'calints', 'run1'), file('a_calints.fits', 'calints'), file('a_uncal.fits', 'uncal'), file('a_rateints.fits', 'rateints')],
};

describe('project store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('groups files in processing order with run outputs last, and a header summary line', () => {
    const g = groupView(GROUP, { '/p/a_uncal.fits': SUM });
    expect(g.files.map((f) => f.name)).toEqual(['a_uncal.fits', 'a_rateints.fits', 'a_calints.fits', 'a_x1dints.fits', 'r_calints.fits']);
    expect(g.title).toBe('obs 001 visit 001 exp 00001 · mirimage');
    expect(g.meta).toBe('MIRI · MIR_LRS-SLITLESS · MIRIMAGE · SLITLESSPRISM · P750L · nints 20 · ngroups 5');
    expect(groupView({ ...GROUP, exposure: 'level3', detector: 'miri' }, {}).title).toBe('obs 001 level 3 · miri');
    expect(summaryLine({ ...SUM, nints: null, filter: null })).toBe('MIRI · MIR_LRS-SLITLESS · MIRIMAGE · SLITLESSPRISM · ngroups 5');
  });

  it('chooses the viewer from the stage', () => {
    expect(viewerFor(file('w_whtlt.ecsv', 'whtlt'))).toBe('tso');
    expect(viewerFor(file('a_x1d.fits', 'x1d'))).toBe('spectrum');
    expect(viewerFor(file('a_s3d.fits', 's3d'))).toBe('cube');
    expect(viewerFor(file('a_rateints.fits', 'rateints'))).toBe('image');
    expect(viewerFor(file('a_asn.json', 'asn'))).toBe('none');
  });

  it('opens a project and reads the summaries of its FITS files once', async () => {
    const scan: ProjectScan = { root: '/p', name: 'p', groups: [GROUP], other: [file('notes.txt', 'other')], scannedAt: '' };
    const api = installFakeApi({
      'projects.open': () => scan,
      'projects.summaries': (a: { paths: string[] }) => a.paths.map((path) => ({ ...SUM, path })),
    });
    const s = useProjectStore();
    await s.open('/p');
    expect(s.allFiles.length).toBe(6);
    expect(Object.keys(s.summaries).sort()).toEqual(GROUP.files.map((f) => f.path).sort());
    expect(s.groupViews[0].meta).toContain('nints 20');
    await s.loadSummaries();
    expect(api.calls.filter((c) => c.method === 'projects.summaries').length).toBe(1);
  });

  it('shows the error of a project that cannot be opened', async () => {
    installFakeApi({ 'projects.open': () => { throw new Error('project folder /nope does not exist'); } });
    const s = useProjectStore();
    await s.open('/nope');
    expect(s.error).toBe('project folder /nope does not exist');
    expect(s.loading).toBe(false);
  });
});
