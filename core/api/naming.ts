/**
 * JWST file names -> program/observation/visit/exposure/detector/stage
 * (JWST "File naming schemes" documentation: jw<ppppp><ooo><vvv>_<gg><s><aa>_<eeeee>[-seg<nnn>]_<detector>_<suffix>.fits
 * for exposures; jw<ppppp>-o<ooo>_<target>_<instrument>_<optical>_<suffix> for level 3).
 */
import type { Stage } from './types.ts';

export interface ParsedName {
  readonly program: string;
  readonly observation: string;
  readonly visit: string;
  readonly exposure: string;
  readonly segment: string | null;
  readonly detector: string;
  readonly suffix: string;
}

const LEVEL2 = /^jw(\d{5})(\d{3})(\d{3})_(\d{5})_(\d{5})(?:-seg(\d{3}))?_([a-z0-9]+)(?:_(?:a\d+|\d+))?_([a-z0-9]+)\.(fits|ecsv|asdf)$/i;
const LEVEL3 = /^jw(\d{5})-o(\d{3})_([a-z0-9-]+)_([a-z0-9]+)_([a-z0-9-]+)_([a-z0-9]+)\.(fits|ecsv|asdf)$/i;
const LEVEL3_TSO = /^jw(\d{5})(\d{3})(\d{3})-o(\d{3})_([a-z0-9-]+)_([a-z0-9]+)_([a-z0-9-]+)_([a-z0-9]+)\.(fits|ecsv|asdf)$/i;

const STAGES: ReadonlySet<string> = new Set(['uncal', 'ramp', 'rate', 'rateints', 'cal', 'calints', 'x1d', 'x1dints', 'whtlt', 's2d', 's3d', 'crf', 'crfints', 'asn']);

export function stageOf(suffix: string, name = ''): Stage {
  const s = suffix.toLowerCase();
  if (STAGES.has(s)) return s as Stage;
  if (/_asn\.json$/i.test(name)) return 'asn';
  return 'other';
}

/** Parse a JWST product name; undefined when it follows neither scheme. */
export function parseJwstName(name: string): ParsedName | undefined {
  let m = LEVEL2.exec(name);
  if (m) return { program: m[1], observation: m[2], visit: m[3], exposure: m[5], segment: m[6] ?? null, detector: m[7].toLowerCase(), suffix: m[8].toLowerCase() };
  m = LEVEL3_TSO.exec(name);
  if (m) return { program: m[1], observation: m[2], visit: m[3], exposure: 'level3', segment: null, detector: m[6].toLowerCase(), suffix: m[8].toLowerCase() };
  m = LEVEL3.exec(name);
  if (m) return { program: m[1], observation: m[2], visit: 'level3', exposure: 'level3', segment: null, detector: m[4].toLowerCase(), suffix: m[6].toLowerCase() };
  return undefined;
}
