/**
 * Comparing all FITS products a golden case's tolerances name (shared by the
 * detector1 and ramp_fit_jump golden tests): each file against the golden
 * one at the case.json tolerances, except GROUPDQ, which may differ in at
 * most 0.01% of the flags (golden README, jump tolerance) in the file whose
 * name ends with `groupdqSuffix`.
 */
import path from 'node:path';
import { FitsFile } from '../../core/fits/index.node.ts';
import { compareFiles, countDifferent, hduNames, tolerancesFromCase } from './compare.ts';

/** Number of GROUPDQ flags that differ between two files, and the GROUPDQ size. */
export async function groupdqDiff(actual: string, expected: string): Promise<{ differ: number; n: number }> {
  const [a, e] = await Promise.all([FitsFile.open(actual), FitsFile.open(expected)]);
  try {
    const ia = await a.readImage(a.hdus.find((h) => h.extname === 'GROUPDQ')!.index);
    const ie = await e.readImage(e.hdus.find((h) => h.extname === 'GROUPDQ')!.index);
    return { differ: countDifferent(ia.data as Uint8Array, ie.data as Uint8Array), n: ie.data.length };
  } finally {
    await Promise.all([a.close(), e.close()]);
  }
}

/**
 * Compare `outDir/<file>` with `caseDir/<file>` for every `.fits` key of the
 * case's tolerances. Returns the failure messages and one report line per
 * compared extension/column (max |d| and max relative deviation).
 */
export async function compareCaseOutputs(
  caseDir: string, tolerances: Record<string, unknown>, outDir: string, groupdqSuffix: string,
): Promise<{ failures: string[]; report: string[] }> {
  const failures: string[] = [];
  const report: string[] = [];
  for (const [file, block] of Object.entries(tolerances)) {
    if (!file.endsWith('.fits')) continue;
    const golden = path.join(caseDir, file);
    const tol = tolerancesFromCase(block as Record<string, unknown>, await hduNames(golden), ['GROUPDQ']);
    const res = await compareFiles(path.join(outDir, file), golden, tol);
    failures.push(...res.failures);
    for (const [k, s] of Object.entries(res.stats)) report.push(`${file} ${k}: max|d| ${s.maxAbs.toExponential(2)} rel ${s.maxRel.toExponential(2)}`);
    if (file.endsWith(groupdqSuffix)) {
      const g = await groupdqDiff(path.join(outDir, file), golden);
      report.push(`${file} GROUPDQ: ${g.differ}/${g.n} differ`);
      if (g.differ > 1e-4 * g.n) failures.push(`${file} GROUPDQ: ${g.differ}/${g.n} flags differ (allowed 0.01%)`);
    }
  }
  return { failures, report };
}
