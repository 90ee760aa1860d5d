/**
 * reset kernel (jwst docs, "Reset Anomaly Correction", MIRI): subtract the
 * RESET reference (nints_ref, ngroups_ref, ny, nx) from the first
 * ngroups_ref groups of each integration; integrations beyond the
 * reference's last use its last integration. NaN in the reference counts as 0.
 */

/**
 * Subtract in place from one integration.
 * @param data integration i (ngroups, ny, nx)
 * @param reset reference SCI (refNints, refNgroups, ny, nx)
 */
export function subtractResetInt(data: Float32Array, i: number, ngroups: number, npix: number,
  reset: Float32Array, refNints: number, refNgroups: number): void {
  const ir = Math.min(i, refNints - 1);
  const ng = Math.min(ngroups, refNgroups);
  for (let g = 0; g < ng; g++) {
    const o = g * npix;
    const ro = (ir * refNgroups + g) * npix;
    for (let p = 0; p < npix; p++) {
      const v = reset[ro + p];
      if (!Number.isNaN(v)) data[o + p] -= v;
    }
  }
}
