/**
 * Compare a measured white-light curve with the injected transit: the mean
 * drop over the integrations deepest in transit against the injected drop
 * there, with the out-of-transit scatter as the error. Integration 1 is left
 * out (MIRI's first integration has its own reset/dark behaviour).
 */
export interface WhiteLightComparison {
  readonly measured: number;
  readonly injected: number;
  /** 1-sigma error of `measured` from the out-of-transit scatter. */
  readonly sigma: number;
  readonly nIn: number;
  readonly nOut: number;
  readonly points: number;
}

export function compareWhiteLight(flux: ArrayLike<number>, relative: ArrayLike<number>, centralDepth: number): WhiteLightComparison {
  const idx = Array.from({ length: Math.min(flux.length, relative.length) }, (_, i) => i).filter((i) => i > 0 && Number.isFinite(flux[i]!));
  const out = idx.filter((i) => relative[i] === 1).map((i) => flux[i]!);
  const inT = idx.filter((i) => relative[i]! < 1 - 0.5 * centralDepth);
  const base = out.reduce((a, b) => a + b, 0) / out.length;
  const sd = Math.sqrt(out.reduce((a, b) => a + (b - base) ** 2, 0) / Math.max(1, out.length - 1)) / base;
  const measured = inT.reduce((a, i) => a + (1 - flux[i]! / base), 0) / inT.length;
  const injected = inT.reduce((a, i) => a + (1 - relative[i]!), 0) / inT.length;
  return { measured, injected, sigma: sd / Math.sqrt(inT.length), nIn: inT.length, nOut: out.length, points: flux.length };
}
