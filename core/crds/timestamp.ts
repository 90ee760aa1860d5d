/**
 * Date/time parsing for UseAfter selection, following crds.core.timestamp
 * (parse_date / reformat_date): accepts 'YYYY-MM-DD HH:MM:SS[.ffffff]',
 * ISO with 'T', slashed and alphabetical-month forms; yields the sortable
 * 'YYYY-MM-DD HH:MM:SS[.ffffff]' text that is compared with USEAFTER keys.
 */
import { LookupError } from './lookup-error.ts';
import { pyFloat, pyInt } from './pycompat.ts';

/** A date that could not be parsed; the message mimics Python's. */
export class DateParseError extends Error {}

interface DateParts { y: number; mo: number; d: number; h: number; mi: number; s: number; us: number }

const T_SEPARATED = /^\d\d\d\d[-/]\d\d[-/]\d\dT\d\d(:\d\d){1,2}(\.\d{1,6})?$/;
const ALPHABETICAL = /[A-Za-z]{3,10}/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const reformatted = new Map<string, string>();

/** Reformat any accepted date text to CRDS standard form (memoized: headers repeat dates per rmap). */
export function reformatDate(date: string): string {
  let r = reformatted.get(date);
  if (r === undefined) {
    r = formatDate(parseDate(date));
    if (reformatted.size > 4096) reformatted.clear();
    reformatted.set(date, r);
  }
  return r;
}

export function parseDate(input: string): DateParts {
  let date = input;
  if (date.includes('UNDEFINED')) {
    throw new LookupError('InvalidDatetimeError', 'One or more required date/time values is UNDEFINED');
  }
  if (date.endsWith(' UT')) date = date.slice(0, -3);
  if (T_SEPARATED.test(date)) date = date.replace(/T/g, ' ');
  return ALPHABETICAL.test(date) ? parseAlphabetical(date) : parseNumerical(date);
}

function formatDate(p: DateParts): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const base = `${String(p.y).padStart(4, '0')}-${two(p.mo)}-${two(p.d)} ${two(p.h)}:${two(p.mi)}:${two(p.s)}`;
  return p.us ? `${base}.${String(p.us).padStart(6, '0')}` : base;
}

function int(text: string): number {
  const v = pyInt(text);
  if (v === undefined) throw new DateParseError(`invalid literal for int() with base 10: '${text}'`);
  return v;
}

function parseTime(input: string): [number, number, number, number] {
  let time = input.trim();
  let ampm = '';
  const tail = time.slice(-2).toUpperCase();
  if (tail === 'AM' || tail === 'PM') {
    ampm = tail;
    time = time.slice(0, -2);
  }
  const parts = time.split(':');
  if (parts.length < 2 || parts.length > 4) throw new DateParseError(`not enough values to unpack: '${input}'`);
  let hour = int(parts[0]!);
  const minute = int(parts[1]!);
  const sec = pyFloat(parts[2] ?? '00');
  if (sec === undefined) throw new DateParseError(`could not convert string to float: '${parts[2]}'`);
  if (!Number.isFinite(sec)) throw new DateParseError('cannot convert float to integer');
  const isec = Math.trunc(sec);
  const us = Math.trunc((sec - isec) * 1e6);
  if (ampm === 'PM' && hour < 12) hour += 12;
  else if (ampm === 'AM' && hour === 12) hour -= 12;
  return [hour, minute, isec, us];
}

function parseNumerical(input: string): DateParts {
  const dstr = input.replace(/-/g, '/');
  const parts = dstr.split(/\s+/).filter((x) => x);
  if (!parts.length) throw new DateParseError('list index out of range');
  const date = parts[0]!;
  let [h, mi, s, us] = parseTime(parts.length === 1 ? '00:00:00' : parts.slice(1).join(' '));
  let y: string, mo: string, d: string;
  if (/^\d\d\/\d\d\/\d\d\d\d$/.test(date)) [mo, d, y] = date.split('/') as [string, string, string];
  else if (/^\d\d\d\d\/\d\d\/\d\d$/.test(date)) [y, mo, d] = date.split('/') as [string, string, string];
  else if (/^\d\d\/\d\d\/9\d$/.test(date)) { [d, mo, y] = date.split('/') as [string, string, string]; y = '19' + y; }
  else if (/^\d\d\/\d\d\/[0-3]\d$/.test(date)) { [d, mo, y] = date.split('/') as [string, string, string]; y = '20' + y; }
  else if (/^\d{8}:\d{6}$/.test(date)) {
    y = date.slice(0, 4); mo = date.slice(4, 6); d = date.slice(6, 8);
    h = Number(date.slice(9, 11)); mi = Number(date.slice(11, 13)); s = Number(date.slice(13, 15)); us = 0;
  } else throw new DateParseError(`Unknown numerical date format: '${dstr}'`);
  return checked(int(y), int(mo), int(d), h, mi, s, us);
}

function monthNum(month: string): number {
  const m = month.slice(0, 3);
  const i = MONTHS.indexOf(m.charAt(0).toUpperCase() + m.slice(1).toLowerCase());
  if (i < 0) throw new DateParseError(`Invalid month value '${month}'`);
  return i + 1;
}

function parseAlphabetical(input: string): DateParts {
  let date = input;
  while (date.toLowerCase().endsWith(' am')) date = date.toLowerCase().replace(' am', 'am');
  while (date.toLowerCase().endsWith(' pm')) date = date.toLowerCase().replace(' pm', 'pm');
  const parts = date.replace(/-/g, ' ').replace(/\//g, ' ').split(/\s+/).filter((x) => x);
  if (parts.length !== 3 && parts.length !== 4) throw new DateParseError(`cannot parse date '${input}'`);
  const year = parts[2]!;
  let [month, day] = parts as [string, string];
  const time = parts[3] ?? '00:00AM';
  if (day.endsWith(',')) day = day.slice(0, -1);
  let imonth: number;
  try {
    imonth = monthNum(month);
    int(day);
  } catch {
    [day, month] = [month, day];
    imonth = monthNum(month);
  }
  const [h, mi, s, us] = parseTime(time);
  return checked(int(year), imonth, int(day), h, mi, s, us);
}

function checked(y: number, mo: number, d: number, h: number, mi: number, s: number, us: number): DateParts {
  if (y < 1 || y > 9999) throw new DateParseError(`year ${y} is out of range`);
  if (mo < 1 || mo > 12) throw new DateParseError('month must be in 1..12');
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d < 1 || d > dim) throw new DateParseError('day is out of range for month');
  if (h < 0 || h > 23) throw new DateParseError('hour must be in 0..23');
  if (mi < 0 || mi > 59) throw new DateParseError('minute must be in 0..59');
  if (s < 0 || s > 59) throw new DateParseError('second must be in 0..59');
  if (us < 0 || us > 999999) throw new DateParseError('microsecond must be in 0..999999');
  return { y, mo, d, h, mi, s, us };
}

/** Seconds between two parsed dates (for ClosestTime). */
export function dateSeconds(p: DateParts): number {
  const t = new Date(Date.UTC(2000, p.mo - 1, p.d, p.h, p.mi, p.s));
  t.setUTCFullYear(p.y);
  return t.getTime() / 1000 + p.us / 1e6;
}
