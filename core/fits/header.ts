/**
 * FITS headers: an ordered list of cards with keyword lookup, and the 2880-byte block
 * codec (FITS Standard 4.0, sections 3.1-3.3 for blocks, 4.1-4.4 for cards).
 */
import { FitsError, type ErrorLocation } from '../errors/index.ts';
import {
  BLOCK_LENGTH, CARD_LENGTH, COMMENTARY_KEYWORDS, formatCard, kindOf, normalizeKey, parseCard,
  type Card, type CardKind, type CardValue, type ParsedCard,
} from './card.ts';

export interface Where {
  file?: string;
  hdu?: number;
  extname?: string;
}

export class Header {
  cards: Card[];
  /** Where this header came from, for error messages. */
  where: Where;

  constructor(cards: Card[] = [], where: Where = {}) {
    this.cards = cards;
    this.where = where;
  }

  private indexOf(key: string): number {
    const k = normalizeKey(key);
    return this.cards.findIndex((c) => c.keyword === k);
  }

  /** The first card with this keyword. */
  card(key: string): Card | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.cards[i];
  }

  /** Value of the first card with this keyword; undefined when absent (null = undefined value). */
  get(key: string): CardValue | undefined {
    return this.card(key)?.value;
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  /** Every card with this keyword, e.g. all HISTORY cards. */
  getAll(key: string): Card[] {
    const k = normalizeKey(key);
    return this.cards.filter((c) => c.keyword === k);
  }

  private wrongType(key: string, want: string, v: CardValue): FitsError {
    return new FitsError('bad-keyword-type', `expected ${want}, found ${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)}`, { ...this.where, keyword: normalizeKey(key) });
  }

  getString(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || this.card(key)?.kind !== 'string') throw this.wrongType(key, 'a string', v);
    return v;
  }

  /** A number (integers beyond 2^53 are converted, losing precision). */
  getNumber(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v !== 'number') throw this.wrongType(key, 'a number', v);
    return v;
  }

  /** A safe integer; throws for non-integers and integers beyond 2^53. */
  getInt(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw this.wrongType(key, 'an integer', v);
    return v;
  }

  /** An integer of any size (bigint beyond 2^53). */
  getInteger(key: string): number | bigint | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'bigint') return v;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw this.wrongType(key, 'an integer', v);
    return v;
  }

  getBool(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.wrongType(key, 'a logical (T or F)', v);
    return v;
  }

  /**
   * Replace the first card with this keyword in place (keeping its comment unless one is
   * given, and keeping kind 'float' for numbers), or append a new card. Commentary
   * keywords (COMMENT, HISTORY, blank) always append.
   */
  set(key: string, value: CardValue, comment?: string, kind?: CardKind): this {
    const k = normalizeKey(key);
    if (COMMENTARY_KEYWORDS.has(k)) return this.add(k, value, comment, 'commentary');
    const i = this.indexOf(k);
    if (i < 0) return this.add(k, value, comment, kind);
    const old = this.cards[i];
    let newKind = kind ?? kindOf(value);
    if (kind === undefined && old.kind === 'float' && typeof value === 'number') newKind = 'float';
    const card: Card = { keyword: k, value, kind: newKind };
    const c = comment ?? old.comment;
    if (c !== undefined) card.comment = c;
    this.cards[i] = card;
    return this;
  }

  /** Append a card (before END, which is never stored). */
  add(key: string, value: CardValue, comment?: string, kind?: CardKind): this {
    const k = normalizeKey(key);
    const card: Card = { keyword: k, value, kind: kind ?? (COMMENTARY_KEYWORDS.has(k) ? 'commentary' : kindOf(value)) };
    if (comment !== undefined) card.comment = comment;
    this.cards.push(card);
    return this;
  }

  /** Remove every card with this keyword; returns how many were removed. */
  remove(key: string): number {
    const k = normalizeKey(key);
    const before = this.cards.length;
    this.cards = this.cards.filter((c) => c.keyword !== k);
    return before - this.cards.length;
  }

  clone(): Header {
    return new Header(this.cards.map((c) => ({ ...c, value: cloneValue(c.value) })), { ...this.where });
  }
}

function cloneValue(v: CardValue): CardValue {
  return v !== null && typeof v === 'object' ? { re: v.re, im: v.im } : v;
}

function isEndCard(bytes: Uint8Array, pos: number): boolean {
  // 4.4.1: END in columns 1-3, columns 4-80 blank.
  if (bytes[pos] !== 0x45 || bytes[pos + 1] !== 0x4e || bytes[pos + 2] !== 0x44) return false;
  for (let i = 3; i < CARD_LENGTH; i++) if (bytes[pos + i] !== 0x20) return false;
  return true;
}

/**
 * Offset just after the 2880-byte block holding the END card of the header starting at
 * `offset`, or -1 if no END card lies within `bytes`.
 */
export function findHeaderEnd(bytes: Uint8Array, offset: number): number {
  const limit = bytes.length - CARD_LENGTH;
  for (let p = offset; p <= limit; p += CARD_LENGTH) {
    if (isEndCard(bytes, p)) {
      const rel = p - offset + CARD_LENGTH;
      return offset + Math.ceil(rel / BLOCK_LENGTH) * BLOCK_LENGTH;
    }
  }
  return -1;
}

/**
 * Parse the header starting at `offset`. `end` is the offset just after the header's last
 * 2880-byte block (where the data begin, 3.3.1).
 */
export function parseHeader(bytes: Uint8Array, offset: number, where: Where = {}): { header: Header; end: number } {
  const loc: ErrorLocation = where;
  const avail = bytes.length - offset;
  if (avail < BLOCK_LENGTH) {
    throw new FitsError('truncated', `header at byte ${offset} is truncated: ${Math.max(avail, 0)} bytes left, a header block needs ${BLOCK_LENGTH} (FITS 4.0 sect. 3.1)`, loc);
  }
  const end = findHeaderEnd(bytes, offset);
  if (end < 0) {
    throw new FitsError('missing-end', `no END card in the header starting at byte ${offset} before the file ends at byte ${bytes.length}`, loc);
  }
  if (end > bytes.length) {
    throw new FitsError('truncated', `header block at byte ${offset} is truncated (file ends at byte ${bytes.length}, the block ends at ${end})`, loc);
  }
  const raw: ParsedCard[] = [];
  for (let p = offset; p < end; p += CARD_LENGTH) {
    if (isEndCard(bytes, p)) break;
    raw.push(parseCard(bytes, p, loc));
  }
  return { header: new Header(mergeContinue(raw), { ...where }), end };
}

/** 4.2.1.2: join a string ending in '&' with following CONTINUE cards. */
function mergeContinue(raw: ParsedCard[]): Card[] {
  const out: Card[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c.isContinue) {
      out.push({ keyword: 'CONTINUE', value: `'${c.value as string}'`, kind: 'commentary' });
      continue;
    }
    const card: Card = { keyword: c.keyword, value: c.value, kind: c.kind };
    if (c.comment !== undefined) card.comment = c.comment;
    if (c.kind === 'string') {
      const comments = c.comment !== undefined ? [c.comment] : [];
      let v = c.value as string;
      while (v.endsWith('&') && i + 1 < raw.length && raw[i + 1].isContinue) {
        i++;
        v = v.slice(0, -1) + (raw[i].value as string);
        if (raw[i].comment !== undefined) comments.push(raw[i].comment as string);
      }
      card.value = v;
      if (comments.length) card.comment = comments.join(' ');
    }
    out.push(card);
  }
  return out;
}

/** Header bytes: every card, END, padded with spaces to a multiple of 2880 (3.3.1). */
export function formatHeader(header: Header): Uint8Array {
  const lines: string[] = [];
  for (const c of header.cards) {
    if (c.keyword === 'END') continue;
    lines.push(...formatCard(c, header.where));
  }
  lines.push('END'.padEnd(CARD_LENGTH));
  const n = Math.ceil((lines.length * CARD_LENGTH) / BLOCK_LENGTH) * BLOCK_LENGTH;
  const out = new Uint8Array(n).fill(0x20);
  let p = 0;
  for (const line of lines) {
    for (let i = 0; i < CARD_LENGTH; i++) out[p + i] = line.charCodeAt(i);
    p += CARD_LENGTH;
  }
  return out;
}
