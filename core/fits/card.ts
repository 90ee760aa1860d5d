/**
 * FITS header cards: parsing and formatting of single 80-character card images.
 * Rules follow the FITS Standard 4.0, section 4 ("Headers"): 4.1 card image layout,
 * 4.2 value syntax, 4.4.2.4 commentary keywords. HIERARCH (ESO convention, registered
 * with the IAU FITS Working Group) and the long-string CONTINUE convention (4.2.1.2)
 * are supported.
 */
import { FitsError, type ErrorLocation } from '../errors/index.ts';

export type CardValue = boolean | number | bigint | string | { re: number; im: number } | null;

export type CardKind = 'logical' | 'integer' | 'float' | 'complex' | 'string' | 'undefined' | 'commentary';

export interface Card {
  /** Upper-case keyword; for HIERARCH cards the name after 'HIERARCH ' (e.g. 'ESO DET CHIP'). */
  keyword: string;
  /** Commentary cards hold their text here; `null` is an undefined value (4.2 "undefined"). */
  value: CardValue;
  comment?: string;
  kind: CardKind;
}

export const CARD_LENGTH = 80;
export const BLOCK_LENGTH = 2880;

/** Keywords whose cards never carry a value indicator (4.4.2.4). */
export const COMMENTARY_KEYWORDS: ReadonlySet<string> = new Set(['COMMENT', 'HISTORY', '']);

const INT_RE = /^[+-]?\d+$/;
// 4.2.4: the exponent letter is E or D; lower case is accepted on read for leniency.
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;
const STD_KEYWORD_RE = /^[A-Z0-9_-]{0,8}$/;

/** A parsed card plus whether it is a CONTINUE card (merged later by the header parser). */
export interface ParsedCard extends Card {
  isContinue?: boolean;
}

/** Normalize a keyword for lookup: upper case, trimmed, 'HIERARCH ' prefix dropped. */
export function normalizeKey(key: string): string {
  let k = key.trim().toUpperCase();
  if (k.startsWith('HIERARCH ')) k = k.slice(9).trim();
  return k;
}

/** Parse an integer token: number when exactly representable, bigint beyond 2^53. */
export function parseIntToken(tok: string): number | bigint {
  const t = tok.startsWith('+') ? tok.slice(1) : tok;
  if (t.replace('-', '').length <= 15) return Number(t);
  const b = BigInt(t);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function parseFloatToken(tok: string): number {
  return Number(tok.replace(/[Dd]/, 'E'));
}

/**
 * Parse one 80-byte card at `pos`. `where` names file/HDU for errors.
 * Throws FitsError for non-ASCII bytes (4.1.1: only 0x20-0x7E) and malformed values.
 */
export function parseCard(bytes: Uint8Array, pos: number, where: ErrorLocation): ParsedCard {
  let s = '';
  for (let i = 0; i < CARD_LENGTH; i++) {
    const b = bytes[pos + i];
    if (b < 0x20 || b > 0x7e) {
      const kw = String.fromCharCode(...bytes.subarray(pos, pos + 8)).replace(/[^\x20-\x7e]/g, '?').trim();
      throw new FitsError('non-ascii', `card ${JSON.stringify(kw)} at byte ${pos} contains byte 0x${b.toString(16).padStart(2, '0')} (only ASCII 0x20-0x7E is allowed, FITS 4.0 sect. 4.1.1)`, { ...where, keyword: kw });
    }
    s += String.fromCharCode(b);
  }
  return parseCardString(s, where);
}

/** Parse an 80-character card string. */
export function parseCardString(s: string, where: ErrorLocation): ParsedCard {
  const rawKey = s.slice(0, 8).trimEnd();
  const keyword = rawKey.trim().toUpperCase();
  const loc = { ...where, keyword };
  if (COMMENTARY_KEYWORDS.has(keyword)) {
    return { keyword, value: s.slice(8).trimEnd(), kind: 'commentary' };
  }
  if (keyword === 'HIERARCH') {
    const eq = s.indexOf('=', 9);
    if (eq < 0) return { keyword, value: s.slice(8).trimEnd(), kind: 'commentary' };
    const name = s.slice(9, eq).trim().toUpperCase().replace(/\s+/g, ' ');
    const v = parseValue(s.slice(eq + 1), { ...where, keyword: name });
    return { keyword: name, ...v };
  }
  if (keyword === 'CONTINUE') {
    // 4.2.1.2: CONTINUE cards have no value indicator; a string starts in column 11.
    const rest = s.slice(8);
    if (rest.trimStart().startsWith("'")) {
      const v = parseValue(rest, loc);
      if (v.kind === 'string') return { keyword, ...v, isContinue: true };
    }
    return { keyword, value: rest.trimEnd(), kind: 'commentary' };
  }
  if (s.slice(8, 10) !== '= ') {
    // No value indicator: the rest is commentary text (4.1.2.2).
    return { keyword, value: s.slice(8).trimEnd(), kind: 'commentary' };
  }
  return { keyword, ...parseValue(s.slice(10), loc) };
}

interface ParsedValue {
  value: CardValue;
  kind: CardKind;
  comment?: string;
}

function parseValue(s: string, loc: ErrorLocation): ParsedValue {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  let value: CardValue;
  let kind: CardKind;
  let rest: string;
  if (i >= s.length) return { value: null, kind: 'undefined' };
  if (s[i] === "'") {
    // 4.2.1: character string, '' inside is a quote; trailing spaces are not significant.
    let j = i + 1;
    let buf = '';
    for (;;) {
      if (j >= s.length) throw new FitsError('bad-card', `unterminated string value ${JSON.stringify(s.trim())}`, loc);
      const c = s[j];
      if (c === "'") {
        if (s[j + 1] === "'") { buf += "'"; j += 2; continue; }
        j++;
        break;
      }
      buf += c;
      j++;
    }
    value = buf.replace(/ +$/, '');
    kind = 'string';
    rest = s.slice(j);
  } else if (s[i] === '(') {
    // 4.2.5/4.2.6: complex (re, im).
    const close = s.indexOf(')', i);
    if (close < 0) throw new FitsError('bad-card', `unterminated complex value ${JSON.stringify(s.trim())}`, loc);
    const parts = s.slice(i + 1, close).split(',').map((p) => p.trim());
    if (parts.length !== 2 || !parts.every((p) => FLOAT_RE.test(p))) {
      throw new FitsError('bad-card', `malformed complex value ${JSON.stringify(s.slice(i, close + 1))}`, loc);
    }
    value = { re: parseFloatToken(parts[0]), im: parseFloatToken(parts[1]) };
    kind = 'complex';
    rest = s.slice(close + 1);
  } else {
    const slash = s.indexOf('/', i);
    const end = slash < 0 ? s.length : slash;
    const tok = s.slice(i, end).trim();
    rest = s.slice(end);
    if (tok === '') { value = null; kind = 'undefined'; }
    else if (tok === 'T' || tok === 'F') { value = tok === 'T'; kind = 'logical'; }
    else if (INT_RE.test(tok)) { value = parseIntToken(tok); kind = 'integer'; }
    else if (FLOAT_RE.test(tok)) { value = parseFloatToken(tok); kind = 'float'; }
    else throw new FitsError('bad-card', `malformed value ${JSON.stringify(tok)}`, loc);
  }
  const r = rest.trim();
  if (r === '') return { value, kind };
  if (r[0] !== '/') throw new FitsError('bad-card', `unexpected text ${JSON.stringify(r)} after the value`, loc);
  const comment = r.slice(1).trim();
  return comment === '' ? { value, kind } : { value, kind, comment };
}

/** Shortest round-tripping representation, upper-case E, always with '.' or 'E' (4.2.4). */
export function formatFloat(x: number, loc: ErrorLocation = {}): string {
  if (!Number.isFinite(x)) throw new FitsError('bad-value', `cannot write non-finite number ${x} in a header (FITS 4.0 sect. 4.2.4)`, loc);
  if (Object.is(x, -0)) return '-0.0';
  let s = String(x);
  if (s.length > 20 && !s.includes('e')) s = x.toExponential();
  if (s.includes('e')) return s.replace('e', 'E');
  return s.includes('.') ? s : s + '.0';
}

/** Infer the card kind of a JS value. */
export function kindOf(value: CardValue): CardKind {
  if (value === null) return 'undefined';
  switch (typeof value) {
    case 'boolean': return 'logical';
    case 'bigint': return 'integer';
    case 'number': return Number.isSafeInteger(value) ? 'integer' : 'float';
    case 'string': return 'string';
    default: return 'complex';
  }
}

function formatScalar(card: Card, loc: ErrorLocation): string {
  const v = card.value;
  switch (card.kind) {
    case 'logical':
      if (typeof v !== 'boolean') break;
      return v ? 'T' : 'F';
    case 'integer':
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number' && Number.isInteger(v)) return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
      break;
    case 'float':
      if (typeof v === 'number') return formatFloat(v, loc);
      if (typeof v === 'bigint') return formatFloat(Number(v), loc);
      break;
    case 'complex':
      if (v !== null && typeof v === 'object') return `(${formatFloat(v.re, loc)}, ${formatFloat(v.im, loc)})`;
      break;
    case 'undefined':
      return '';
    default:
      break;
  }
  throw new FitsError('bad-value', `value ${String(v)} does not match card kind '${card.kind}'`, loc);
}

function escapeString(s: string): string {
  return s.replace(/'/g, "''");
}

function checkText(text: string, loc: ErrorLocation): void {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new FitsError('non-ascii', `text ${JSON.stringify(text)} contains characters outside ASCII 0x20-0x7E (FITS 4.0 sect. 4.1.1)`, loc);
  }
}

function withComment(base: string, comment: string | undefined): string {
  if (comment === undefined || comment === '') return base.padEnd(CARD_LENGTH);
  const room = CARD_LENGTH - base.length - 3;
  if (room <= 0) return base.padEnd(CARD_LENGTH);
  return (base + ' / ' + comment.slice(0, room)).padEnd(CARD_LENGTH);
}

/** Whether a keyword must be written with the HIERARCH convention. */
export function needsHierarch(keyword: string): boolean {
  return !STD_KEYWORD_RE.test(keyword);
}

/**
 * Format one logical card as one or more 80-character card images (long strings use
 * CONTINUE, 4.2.1.2; long commentary text is split over several cards).
 */
export function formatCard(card: Card, where: ErrorLocation = {}): string[] {
  const keyword = normalizeKey(card.keyword);
  const loc = { ...where, keyword };
  if (card.comment !== undefined) checkText(card.comment, loc);
  if (card.kind === 'commentary') {
    const text = card.value === null ? '' : String(card.value);
    checkText(text, loc);
    if (needsHierarch(keyword) && keyword !== '') throw new FitsError('bad-keyword', `commentary keyword ${JSON.stringify(keyword)} is not a valid FITS keyword`, loc);
    const out: string[] = [];
    for (let i = 0; i === 0 || i < text.length; i += 72) out.push((keyword.padEnd(8) + text.slice(i, i + 72)).padEnd(CARD_LENGTH));
    return out;
  }
  if (keyword === '' || keyword === 'END') throw new FitsError('bad-keyword', `keyword ${JSON.stringify(keyword)} cannot carry a value`, loc);
  checkText(keyword, loc);
  const hierarch = needsHierarch(keyword);
  if (card.kind === 'string') {
    if (typeof card.value !== 'string') throw new FitsError('bad-value', `value ${String(card.value)} does not match card kind 'string'`, loc);
    checkText(card.value, loc);
    const esc = escapeString(card.value);
    const quoted = `'${esc.padEnd(8)}'`;
    const head = hierarch ? `HIERARCH ${keyword} = ` : `${keyword.padEnd(8)}= `;
    if (head.length + quoted.length <= CARD_LENGTH) {
      return [withComment(head + (hierarch ? quoted : quoted.padEnd(20)), card.comment)];
    }
    if (hierarch) throw new FitsError('too-long', `HIERARCH card ${keyword} does not fit in 80 characters`, loc);
    return formatLongString(keyword, card.value, card.comment);
  }
  const text = formatScalar(card, loc);
  if (hierarch) {
    const line = `HIERARCH ${keyword} = ${text}`;
    if (line.length > CARD_LENGTH) throw new FitsError('too-long', `HIERARCH card ${keyword} does not fit in 80 characters`, loc);
    return [withComment(line, card.comment)];
  }
  // Fixed format (4.2.2-4.2.4): right-justified to column 30.
  return [withComment(`${keyword.padEnd(8)}= ${text.padStart(20)}`, card.comment)];
}

/** 4.2.1.2: split a long string over CONTINUE cards; each piece but the last ends with '&'. */
function formatLongString(keyword: string, value: string, comment: string | undefined): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const ch of value) {
    const e = ch === "'" ? "''" : ch;
    if (cur.length + e.length > 67) { pieces.push(cur); cur = ''; }
    cur += e;
  }
  pieces.push(cur);
  const cards: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const last = i === pieces.length - 1;
    const head = i === 0 ? `${keyword.padEnd(8)}= ` : 'CONTINUE  ';
    const body = `'${pieces[i]}${last ? '' : '&'}'`;
    cards.push(head + body);
  }
  if (comment !== undefined && comment !== '') {
    const lastLen = cards[cards.length - 1].length;
    if (lastLen + 3 + comment.length > CARD_LENGTH) {
      // Move the comment onto a trailing empty continuation so it is not cut short
      // (every piece is at most 67 characters, so the extra '&' always fits).
      cards[cards.length - 1] = cards[cards.length - 1].slice(0, -1) + "&'";
      cards.push(withComment("CONTINUE  ''", comment).trimEnd());
    } else {
      cards[cards.length - 1] = withComment(cards[cards.length - 1], comment).trimEnd();
    }
  }
  return cards.map((c) => c.padEnd(CARD_LENGTH));
}
