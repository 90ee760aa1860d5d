/**
 * Source type decision (jwst docs, srctype "Description"), in the order the
 * jwst 3.0 step applies it: a user value (only for single-target modes), a
 * background target (BKGDTARG) -> EXTENDED, a TSO (NRC_TSGRISM,
 * NRS_BRIGHTOBJ or TSOVISIT) -> POINT, the APT choice (SRCTYAPT POINT or
 * EXTENDED), a nodded pattern (PATTTYPE POINT-SOURCE or containing NOD; MIRI
 * MRS: DITHOPFR POINT-SOURCE) -> POINT, then the per-EXP_TYPE default.
 */

export type SourceType = 'POINT' | 'EXTENDED' | 'UNKNOWN';

export interface SourceTypeInput {
  readonly expType: string;
  /** SRCTYAPT (may be absent or UNKNOWN). */
  readonly apt?: string;
  readonly bkgdtarg?: boolean;
  readonly tsovisit?: boolean;
  readonly patttype?: string;
  readonly dithopfr?: string;
  /** The step's source_type parameter. */
  readonly user?: string | null;
}

/** Exposure types with one predefined target, where the user may set the type. */
export const USER_SETTABLE = ['MIR_LRS-FIXEDSLIT', 'MIR_LRS-SLITLESS', 'MIR_MRS', 'NRC_TSGRISM', 'NRS_FIXEDSLIT', 'NRS_BRIGHTOBJ', 'NRS_IFU'];

/** Default SRCTYPE per EXP_TYPE (srctype docs table); others UNKNOWN. */
export const DEFAULT_SOURCE_TYPE: Readonly<Record<string, SourceType>> = {
  'MIR_LRS-FIXEDSLIT': 'POINT', 'MIR_LRS-SLITLESS': 'POINT', MIR_MRS: 'EXTENDED', NIS_SOSS: 'POINT',
  NRS_FIXEDSLIT: 'POINT', NRS_BRIGHTOBJ: 'POINT', NRS_IFU: 'EXTENDED',
};

/** The source type and the reason (for the log). */
export function decideSourceType(i: SourceTypeInput): { type: SourceType; reason: string } {
  const user = i.user?.toUpperCase();
  if (user && USER_SETTABLE.includes(i.expType)) {
    if (user !== 'POINT' && user !== 'EXTENDED') throw new RangeError(`source_type must be POINT or EXTENDED, got ${i.user}`);
    return { type: user, reason: `Using user-supplied source type = ${user}` };
  }
  if (i.bkgdtarg) return { type: 'EXTENDED', reason: 'Input is a background target; setting SRCTYPE = EXTENDED' };
  if (i.expType === 'NRC_TSGRISM' || i.expType === 'NRS_BRIGHTOBJ' || i.tsovisit) {
    return { type: 'POINT', reason: 'Input is a TSO exposure; setting SRCTYPE = POINT' };
  }
  const apt = i.apt?.toUpperCase();
  if (apt === 'POINT' || apt === 'EXTENDED') return { type: apt, reason: `Using input source type = ${apt}` };
  const nod = i.expType === 'MIR_MRS'
    ? i.dithopfr?.toUpperCase() === 'POINT-SOURCE'
    : i.patttype !== undefined && (i.patttype.toUpperCase() === 'POINT-SOURCE' || i.patttype.toUpperCase().includes('NOD'));
  if (nod) return { type: 'POINT', reason: 'Exposure is nodded; setting SRCTYPE = POINT' };
  const d = DEFAULT_SOURCE_TYPE[i.expType] ?? 'UNKNOWN';
  return { type: d, reason: `Using default source type = ${d}` };
}
