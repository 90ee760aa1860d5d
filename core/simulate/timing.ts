/**
 * Exposure timing of a simulated MIRI exposure and the INT_TIMES columns.
 *
 * MIRI FASTR1/SLOWR1 read one frame per group and reset once between
 * integrations, so an integration lasts (ngroups + 1) frames and the effective
 * integration time is (ngroups - 1) * TGROUP (jwst "Exposure timing" keywords:
 * EFFINTTM, EFFEXPTM, DURATION; these match files written by the real
 * pipeline, e.g. the golden detector1 uncal).
 *
 * BJD_TDB: TDB - UTC = 37 leap seconds + 32.184 s (valid since 2017), plus the
 * Roemer delay of the observer toward the target. The observer is placed at
 * Sun-Earth L2 (1.01 x the Earth-Sun vector) and the Earth's heliocentric
 * position comes from the low-precision solar coordinates of the Astronomical
 * Almanac (good to ~0.01 deg); heliocentric rather than barycentric and the
 * periodic TDB-TT terms are ignored. Accuracy: about 10 s, enough for a
 * simulator (the column is there because real files carry it).
 */

export interface ExposureTiming {
  readonly tframe: number;
  readonly tgroup: number;
  readonly ngroups: number;
  readonly nints: number;
  /** MJD (UTC) of the exposure start. */
  readonly expstart: number;
}

export const SECONDS_PER_DAY = 86400;
const TT_MINUS_UTC = 37 + 32.184;
const AU_LIGHT_SECONDS = 499.004784;

/** Seconds one integration occupies (groups plus the reset frame). */
export function integrationDuration(t: ExposureTiming): number {
  return (t.ngroups + 1) * t.tframe;
}

export function effectiveIntegrationTime(t: ExposureTiming): number {
  return (t.ngroups - 1) * t.tgroup;
}

/** Start, mid and end MJD (UTC) of integration k (0-based). */
export function integrationTimes(t: ExposureTiming, k: number): { start: number; mid: number; end: number } {
  const d = integrationDuration(t) / SECONDS_PER_DAY;
  const start = t.expstart + k * d;
  return { start, mid: start + d / 2, end: start + d };
}

/** Exposure-level keywords (EXPSTART/EXPMID/EXPEND, EFFINTTM, EFFEXPTM, DURATION ...). */
export function exposureKeywords(t: ExposureTiming): Record<string, number> {
  const duration = t.nints * integrationDuration(t);
  const effint = effectiveIntegrationTime(t);
  return {
    EXPSTART: t.expstart,
    EXPMID: t.expstart + duration / 2 / SECONDS_PER_DAY,
    EXPEND: t.expstart + duration / SECONDS_PER_DAY,
    TFRAME: t.tframe,
    TGROUP: t.tgroup,
    EFFINTTM: effint,
    EFFEXPTM: effint * t.nints,
    DURATION: duration,
  };
}

/** Unit vector toward (ra, dec) in degrees, equatorial (ICRS ~ J2000). */
function unitVector(raDeg: number, decDeg: number): [number, number, number] {
  const ra = (raDeg * Math.PI) / 180, dec = (decDeg * Math.PI) / 180;
  return [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)];
}

/** Heliocentric position of the observer (AU, equatorial) at MJD. */
export function observerPosition(mjd: number): [number, number, number] {
  const n = mjd + 2400000.5 - 2451545.0;
  const deg = Math.PI / 180;
  const L = 280.46 + 0.9856474 * n;
  const g = (357.528 + 0.9856003 * n) * deg;
  const lam = (L + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * deg;
  const R = 1.00014 - 0.01671 * Math.cos(g) - 0.00014 * Math.cos(2 * g);
  const eps = (23.439 - 0.0000004 * n) * deg;
  // The Sun as seen from Earth; the observer (L2) is on the opposite side, 1% further out.
  const sun = [R * Math.cos(lam), R * Math.cos(eps) * Math.sin(lam), R * Math.sin(eps) * Math.sin(lam)];
  return [-1.01 * sun[0]!, -1.01 * sun[1]!, -1.01 * sun[2]!];
}

/** BJD_TDB - 2400000.5 for an MJD (UTC) and a target (ra, dec in degrees). */
export function mjdUtcToBjdTdb(mjd: number, raDeg: number, decDeg: number): number {
  const r = observerPosition(mjd);
  const u = unitVector(raDeg, decDeg);
  const roemer = (r[0] * u[0] + r[1] * u[1] + r[2] * u[2]) * AU_LIGHT_SECONDS;
  return mjd + (TT_MINUS_UTC + roemer) / SECONDS_PER_DAY;
}

/** DATE-OBS (yyyy-mm-dd) and TIME-OBS (hh:mm:ss.sss) for an MJD (UTC). */
export function mjdToDateTime(mjd: number): { date: string; time: string } {
  const ms = Math.round((mjd - 40587) * SECONDS_PER_DAY * 1000);
  const iso = new Date(ms).toISOString(); // 2024-03-14T10:11:12.345Z
  return { date: iso.slice(0, 10), time: iso.slice(11, 23) };
}

/** MJD (UTC) of an ISO date-time string (UTC). */
export function isoToMjd(iso: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + 'Z');
  return ms / 1000 / SECONDS_PER_DAY + 40587;
}

/** INT_TIMES columns (the seven columns real uncal files carry). */
export function intTimesColumns(t: ExposureTiming, raDeg: number, decDeg: number): { name: string; tform: string; data: Float64Array | Int32Array }[] {
  const n = t.nints;
  const num = new Int32Array(n);
  const cols = ['start', 'mid', 'end'] as const;
  const utc = { start: new Float64Array(n), mid: new Float64Array(n), end: new Float64Array(n) };
  const bjd = { start: new Float64Array(n), mid: new Float64Array(n), end: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    num[k] = k + 1;
    const tk = integrationTimes(t, k);
    for (const c of cols) {
      utc[c][k] = tk[c];
      bjd[c][k] = mjdUtcToBjdTdb(tk[c], raDeg, decDeg);
    }
  }
  return [
    { name: 'integration_number', tform: 'J', data: num },
    ...cols.map((c) => ({ name: `int_${c}_MJD_UTC`, tform: 'D', data: utc[c] })),
    ...cols.map((c) => ({ name: `int_${c}_BJD_TDB`, tform: 'D', data: bjd[c] })),
  ];
}
