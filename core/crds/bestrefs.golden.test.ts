/**
 * TRUTH TEST: every answer of the real crds client (crds 13.2.7,
 * getrecommendations, CRDS_MODE=local) for 273 headers x 3 contexts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { bestrefs } from './bestrefs.ts';
import { resolveConfig } from './config.node.ts';
import { loadContext } from './context.node.ts';
import { parseMapping, verifyMappingChecksum } from './mapping.ts';

const CACHE = sharedPath('external', 'crds-mappings', 'crds_cache');

interface Expected {
  call: { status: string; exception?: string; message?: string };
  bestrefs?: Record<string, { kind: string; value: string; rmap: string; exception?: string; bad_reference?: boolean }>;
  minimized_header?: Record<string, string>;
  instrument_mapping?: string;
}

describe.skipIf(!HAVE_SHARED)('crds_bestrefs golden', () => {
  it('all 170 mappings parse and their sha1sums verify', () => {
    const dir = `${CACHE}/mappings/jwst`;
    const names = readdirSync(dir).filter((n) => /\.[pir]map$/.test(n));
    expect(names).toHaveLength(170);
    for (const n of names) {
      const text = readFileSync(`${dir}/${n}`, 'utf8');
      expect(verifyMappingChecksum(text).ok, n).toBe(true);
      expect(parseMapping(text, n).name).toBe(n);
    }
  });

  it('agrees with crds.getrecommendations on every header, context and reftype', () => {
    const headers = JSON.parse(readFileSync(sharedPath('golden', 'crds_bestrefs', 'headers.json'), 'utf8')) as { id: string; header: Record<string, unknown> }[];
    const expected = JSON.parse(readFileSync(sharedPath('golden', 'crds_bestrefs', 'expected.json'), 'utf8')) as Record<string, Record<string, Expected>>;
    const config = resolveConfig({ CRDS_PATH: CACHE, HOME: '/nonexistent' });
    let answers = 0;
    let agree = 0;
    let calls = 0;
    let callsAgree = 0;
    const problems: string[] = [];
    for (const h of headers) {
      for (const [ctxName, exp] of Object.entries(expected[h.id]!)) {
        const ctx = loadContext(ctxName, config);
        const call = bestrefs(ctx, h.header);
        calls++;
        const got = call.call;
        if (got.status === exp.call.status && (got.status === 'ok' || got.exception === exp.call.exception)) callsAgree++;
        else problems.push(`${h.id} ${ctxName} call ${JSON.stringify(exp.call)} vs ${JSON.stringify(got)}`);
        const r = bestrefs(ctx, h.header, { allowBad: true });
        if (exp.instrument_mapping && r.instrumentMapping !== exp.instrument_mapping) problems.push(`${h.id} ${ctxName} imap ${r.instrumentMapping}`);
        const sorted = (o: object | undefined): string => JSON.stringify(Object.entries(o ?? {}).sort());
        if (exp.minimized_header && sorted(r.minimizedHeader) !== sorted(exp.minimized_header)) problems.push(`${h.id} ${ctxName} minimized header`);
        if (Object.keys(r.answers).sort().join() !== Object.keys(exp.bestrefs ?? {}).sort().join()) problems.push(`${h.id} ${ctxName} reftypes`);
        for (const [rt, a] of Object.entries(exp.bestrefs ?? {})) {
          answers++;
          const g = r.answers[rt];
          if (g && g.kind === a.kind && g.value === a.value && g.exception === a.exception && !!g.badReference === !!a.bad_reference && g.rmap === a.rmap) agree++;
          else problems.push(`${h.id} ${ctxName} ${rt}: ${JSON.stringify(a)} vs ${JSON.stringify(g)}`);
        }
      }
    }
    console.log(`crds_bestrefs golden: answers ${agree}/${answers}, calls ${callsAgree}/${calls}`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(answers).toBe(41463);
    expect(calls).toBe(819);
  });
});
