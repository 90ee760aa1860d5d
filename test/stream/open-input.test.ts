/**
 * strun/API inputs larger than WEBBDESK_CHUNK_BYTES reach the streaming
 * pipelines as stubs (big arrays left on disk), so a 2 GB exposure is never
 * loaded whole by the runner; smaller ones load as usual.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { PIPELINES } from '../../core/pipelines/index.node.ts';
import { rampStreamInfo } from '../../core/pipelines/stream/detector1-source.node.ts';
import { streamInfo } from '../../core/pipelines/stream/source.node.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';

const det1 = sharedPath('golden', 'detector1_miri', 'p01_slitlessprism_tso');
const lrs = sharedPath('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit');
const file = (dir: string, suffix: string): string => `${dir}/${readdirSync(dir).find((f) => f.endsWith(suffix))!}`;
const saved = process.env.WEBBDESK_CHUNK_BYTES;
afterEach(() => {
  if (saved === undefined) delete process.env.WEBBDESK_CHUNK_BYTES;
  else process.env.WEBBDESK_CHUNK_BYTES = saved;
});

describe.skipIf(!HAVE_SHARED)('pipeline openInput', () => {
  it('opens a large uncal as a row-streaming stub and a small one whole', async () => {
    const open = PIPELINES.calwebb_detector1!.openInput!;
    process.env.WEBBDESK_CHUNK_BYTES = '1000000';
    const stub = await open(file(det1, '_uncal.fits'));
    expect(rampStreamInfo(stub)).toBeDefined();
    expect(stub.arrays.data).toBeUndefined();
    delete process.env.WEBBDESK_CHUNK_BYTES;
    const whole = await open(file(det1, '_uncal.fits'));
    expect(rampStreamInfo(whole)).toBeUndefined();
    expect(whole.arrays.data!.shape).toEqual([4, 15, 416, 72]);
  });

  it('opens large rateints/calints for spec2 and tso3 as integration-streaming stubs', async () => {
    process.env.WEBBDESK_CHUNK_BYTES = '1000000';
    for (const [name, suffix] of [['calwebb_spec2', '_rateints.fits'], ['calwebb_tso3', '_calints.fits']] as const) {
      const m = await PIPELINES[name]!.openInput!(file(lrs, suffix));
      expect(streamInfo(m), name).toBeDefined();
      expect(m.arrays.data, name).toBeUndefined();
    }
    process.env.WEBBDESK_CHUNK_BYTES = '0';
    const m = await PIPELINES.calwebb_spec2!.openInput!(file(lrs, '_rateints.fits'));
    expect(streamInfo(m)).toBeUndefined();
    expect(m.arrays.data!.shape[0]).toBe(8);
  });
});
