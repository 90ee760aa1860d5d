import { describe, expect, it } from 'vitest';
import { CancelledError, WebbError } from '../errors/index.ts';
import { createPool, defaultPoolSize } from './pool.node.ts';
import { InlinePool } from './inline.ts';
import { rowBlocks, shareArray } from './types.ts';

describe('kernel pool', () => {
  it('sizes from WEBBDESK_WORKERS, else the core count; size 1 is inline', () => {
    expect(defaultPoolSize({ WEBBDESK_WORKERS: '3' })).toBe(3);
    expect(defaultPoolSize({})).toBeGreaterThanOrEqual(1);
    expect(() => defaultPoolSize({ WEBBDESK_WORKERS: 'x' })).toThrow(WebbError);
    expect(createPool({ size: 1 })).toBeInstanceOf(InlinePool);
  });

  it('row blocks cover every row once', () => {
    const b = rowBlocks(416, 2);
    expect(b[0][0]).toBe(0);
    expect(b[b.length - 1][1]).toBe(416);
    for (let i = 1; i < b.length; i++) expect(b[i][0]).toBe(b[i - 1][1]);
    expect(rowBlocks(3, 8)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it('runs kernels on shared arrays in worker threads, equal to inline; errors are typed; abort cancels', async () => {
    const a = shareArray(Float64Array.from({ length: 10000 }, (_, i) => i));
    const tasks = [0, 1, 2, 3].map((k) => ({ kernel: 'test.sum', args: { a, from: k * 2500, to: (k + 1) * 2500 } }));
    const pool = createPool({ size: 2 });
    try {
      const inline = await new InlinePool().runAll<number>(tasks);
      let done = 0;
      const got = await pool.runAll<number>(tasks, { onTaskDone: (d) => { done = d; } });
      expect(got).toEqual(inline);
      expect(got.reduce((x, y) => x + y, 0)).toBe((9999 * 10000) / 2);
      expect(done).toBe(4);
      const err = await pool.runAll([{ kernel: 'test.sum', args: { a, from: 0, to: 1, fail: 'boom' } }]).catch((e) => e);
      expect(err).toBeInstanceOf(WebbError);
      expect((err as WebbError).code).toBe('test-failure');
      const unknown = await pool.runAll([{ kernel: 'no.such', args: {} }]).catch((e) => e);
      expect((unknown as WebbError).code).toBe('unknown-kernel');
      const ac = new AbortController();
      const t0 = Date.now();
      setTimeout(() => ac.abort(), 50);
      const c = await pool.runAll([{ kernel: 'test.sum', args: { a, from: 0, to: 1, spinMs: 20000 } }], { signal: ac.signal }).catch((e) => e);
      expect(c).toBeInstanceOf(CancelledError);
      expect(Date.now() - t0).toBeLessThan(10000);
      // The pool still works after a cancel.
      expect(await pool.runAll<number>([tasks[0]])).toEqual([inline[0]]);
    } finally {
      await pool.close();
    }
  });
});
