/** A stand-in step engine for API tests: three steps, progress per integration, honours skip and cancel. */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError } from '../../core/errors/index.ts';
import type { Engine } from '../../core/api/engine.node.ts';

export const FAKE_STEPS = ['dq_init', 'jump', 'ramp_fit'];

export function fakeEngine(opts: { delayMs?: number; nints?: number } = {}): Engine {
  const delay = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError('run cancelled'));
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(new CancelledError('run cancelled')); }, { once: true });
  });
  return {
    async plan(_file, _h, pipeline) {
      return {
        pipeline: pipeline ?? 'calwebb_detector1', className: 'Detector1Pipeline',
        steps: FAKE_STEPS.map((name) => ({
          name, className: name, summary: `the ${name} step`, applies: true, declaredOnly: false, referenceTypes: name === 'jump' ? ['gain', 'readnoise'] : ['dark'],
          spec: { rejection_threshold: { kind: 'float', default: 4, doc: 'sigma threshold' } },
        })),
      };
    },
    async run(req) {
      const names = req.step ? [req.step] : FAKE_STEPS;
      const nints = opts.nints ?? 3;
      let last = req.input;
      for (const name of names) {
        req.onEvent({ kind: 'step-start', step: name });
        if (req.params[`${name}.skip`] === true) {
          req.onEvent({ kind: 'step-end', step: name, state: 'skipped' });
          continue;
        }
        for (let k = 1; k <= nints; k++) {
          await delay(opts.delayMs ?? 1, req.signal);
          req.onEvent({ kind: 'progress', step: name, done: k, total: nints, unit: 'integrations' });
        }
        req.onEvent({ kind: 'log', step: name, level: 'info', message: `${name} done` });
        const out = path.join(req.outputDir, `${name}.fits`);
        await copyFile(last, out);
        last = out;
        req.onEvent({ kind: 'step-end', step: name, state: 'complete', output: out, references: { dark: 'crds://jwst_miri_dark_9102.fits' }, params: { rejection_threshold: 4 } });
      }
      return { outputs: [last] };
    },
  };
}
