/**
 * Benchmark: load jwst_0541.pmap completely from the shared CRDS cache and
 * answer best references (every reftype of the header's instrument) for
 * 1000 headers, cycling the golden headers.
 * Run: npx tsx bench/crds-bestrefs.bench.ts
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sharedPath } from '../test/shared.ts';
import { bestrefs } from '../core/crds/bestrefs.ts';
import { resolveConfig } from '../core/crds/config.node.ts';
import { loadContext } from '../core/crds/context.node.ts';

const CONTEXT = 'jwst_0541.pmap';
const N = 1000;
const config = resolveConfig({ CRDS_PATH: sharedPath('external', 'crds-mappings', 'crds_cache'), HOME: '/nonexistent' });
const headers = (JSON.parse(readFileSync(sharedPath('golden', 'crds_bestrefs', 'headers.json'), 'utf8')) as { header: Record<string, unknown> }[]).map((h) => h.header);

const t0 = performance.now();
const ctx = loadContext(CONTEXT, config, { full: true });
const loadMs = performance.now() - t0;
const nMappings = ctx.loadAll().length;

function run(): { ms: number; answers: number } {
  let answers = 0;
  const t = performance.now();
  for (let i = 0; i < N; i++) answers += Object.keys(bestrefs(ctx, headers[i % headers.length]!).answers).length;
  return { ms: (performance.now() - t) / N, answers };
}
const cold = run(); // includes JIT warm-up
const warm = run();

console.log(`context ${CONTEXT}: ${nMappings} mappings loaded (parsed + sha1-checked) in ${loadMs.toFixed(1)} ms (aim < 1000 ms)`);
console.log(`bestrefs: ${N} headers, ${cold.answers} answers (all reftypes of each header's instrument)`);
console.log(`  first pass ${cold.ms.toFixed(3)} ms per header (cold, JIT warming), second pass ${warm.ms.toFixed(3)} ms per header (aim < 1 ms)`);
