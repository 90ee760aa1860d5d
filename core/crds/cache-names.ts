/**
 * File-name facts the cache manager needs without a full mapping parser:
 * which names a mapping's selector mentions, and what kind of file a name is.
 * The selector of a .pmap names .imaps, of an .imap names .rmaps (or N/A,
 * OMIT), of an .rmap names reference files; the header is skipped so
 * `derived_from`, `name` and `.tpn` entries do not count.
 */

const MAPPING_RE = /\.(pmap|imap|rmap)$/i;
/** Reference file extensions CRDS serves for JWST (plus a few generic ones). */
const REFERENCE_RE = /\.(fits|asdf|json|yaml|yml|txt|dat|csv)$/i;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

export function isMappingName(name: string): boolean {
  return MAPPING_RE.test(name);
}

export function isReferenceName(name: string): boolean {
  return REFERENCE_RE.test(name) && NAME_RE.test(name);
}

/** A plain basename with no directory part or odd characters (what the server and cache accept). */
export function isPlainFileName(name: string): boolean {
  return NAME_RE.test(name) && !name.includes('..');
}

function selectorStrings(text: string): string[] {
  const at = text.search(/^selector\s*=/m);
  const body = at < 0 ? '' : text.slice(at);
  const out: string[] = [];
  for (const m of body.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

/** The mappings (imaps of a pmap, rmaps of an imap) a mapping's selector names. */
export function mappingNamesOf(text: string): string[] {
  return [...new Set(selectorStrings(text).filter((s) => isMappingName(s) && NAME_RE.test(s)))];
}

/** The reference files an rmap's selector names (N/A and OMIT excluded). */
export function referenceNamesOf(text: string): string[] {
  return [...new Set(selectorStrings(text).filter(isReferenceName))];
}

/** A string-valued header field of a mapping (`'instrument' : 'MIRI'`). */
export function headerField(text: string, field: string): string | undefined {
  const end = text.search(/^selector\s*=/m);
  const head = end < 0 ? text : text.slice(0, end);
  const m = new RegExp(`['"]${field}['"]\\s*:\\s*['"]([^'"]*)['"]`).exec(head);
  return m?.[1];
}

/**
 * Instrument and reference type guessed from a JWST file name
 * (`jwst_<instrument>_<reftype>_NNNN.ext`); undefined parts when the name
 * does not follow the pattern.
 */
export function partsOfName(name: string): { instrument?: string; reftype?: string } {
  const m = /^jwst_([a-z0-9]+)_(.+?)_\d{4}\.[a-z]+$/i.exec(name);
  if (!m) {
    const i = /^jwst_([a-z0-9]+)_\d{4}\.imap$/i.exec(name);
    return i ? { instrument: i[1]!.toLowerCase() } : {};
  }
  return { instrument: m[1]!.toLowerCase(), reftype: m[2]!.toLowerCase() };
}
