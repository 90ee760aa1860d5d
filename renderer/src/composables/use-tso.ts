/** TSO view logic: time axis, normalisation, binning, outliers, MAD vs photon noise, exports (plain data for charts). */
import { computed } from 'vue';
import type { useTsoStore } from '../stores/tso.ts';
import { binSeries, binnedLightCurves, madNoise, median, normalise, timeAxis, toCsv } from './lightcurve.ts';

export function useTso(store: ReturnType<typeof useTsoStore>) {
  const excluded = computed(() => new Set(store.outliers.map((i) => i - 1)));
  const t = computed(() => (store.curve ? timeAxis(store.curve.timeMjdUtc, store.curve.timeBjdTdb, store.axis) : []));
  const norm = computed(() => (store.curve ? normalise(store.curve.flux, excluded.value) : []));
  const binned = computed(() => binSeries(t.value, norm.value, store.binSize, excluded.value));
  /** Enough decimals for ~5 distinct tick labels over the time span (days can span 1e-4). */
  const decimals = computed(() => {
    const span = t.value.length > 1 ? Math.abs(t.value[t.value.length - 1] - t.value[0]) : 1;
    return Math.min(8, Math.max(0, Math.ceil(-Math.log10((span || 1) / 5))));
  });
  const axisName = computed(() => ({ mjd: 'MJD UTC (d)', bjd: 'BJD TDB (d)', hours: 'hours from mid-time' })[store.axis]);
  const whiteOption = computed(() => ({
    animation: false,
    tooltip: { trigger: 'item' },
    toolbox: { feature: { dataZoom: {}, brush: { type: ['lineX', 'clear'] } } },
    brush: { xAxisIndex: 0 },
    dataZoom: [{ type: 'inside' }, { type: 'slider' }],
    grid: { left: 64, right: 40, top: 40, bottom: 92 },
    xAxis: { type: 'value', name: axisName.value, nameLocation: 'middle', nameGap: 26, scale: true, axisLabel: { formatter: (v: number) => v.toFixed(decimals.value) } },
    yAxis: { type: 'value', name: 'normalised flux', scale: true },
    series: [
      { name: 'integrations', type: 'scatter', symbolSize: 6, data: t.value.map((x, i) => [x, norm.value[i]]).filter((_, i) => !excluded.value.has(i)) },
      { name: 'outliers', type: 'scatter', symbol: 'diamond', symbolSize: 9, itemStyle: { color: '#e55' }, data: t.value.map((x, i) => [x, norm.value[i]]).filter((_, i) => excluded.value.has(i)) },
      ...(store.binSize > 1 ? [{ name: `binned x${store.binSize}`, type: 'line', data: binned.value.t.map((x, i) => [x, binned.value.f[i]]) }] : []),
    ],
  }));
  /** Integration (1-based) behind a clicked point of series 0 or 1. */
  function integrationAt(series: number, dataIndex: number): number {
    const idx = t.value.map((_, i) => i).filter((i) => (series === 1) === excluded.value.has(i));
    return idx[dataIndex] + 1;
  }
  const spectral = computed(() => {
    const s = store.spectra;
    if (!s || store.wavelengthEdges.length < 2) return null;
    const [nspec, nwave] = s.flux.shape;
    const lcs = binnedLightCurves(new Float64Array(s.wavelength.buffer), new Float64Array(s.flux.buffer), nspec, nwave, store.wavelengthEdges);
    return lcs.map((lc, b) => ({ label: `${store.wavelengthEdges[b]}–${store.wavelengthEdges[b + 1]} ${s.wavelengthUnit}`, flux: normalise(lc, excluded.value) }));
  });
  /** Vertical offset between stacked curves: 6x the largest point-to-point scatter (at least 0.005), so they do not overlap. */
  const spectralStep = computed(() => {
    const m = Math.max(0, ...(spectral.value ?? []).map((c) => madNoise(c.flux)).filter(Number.isFinite));
    return Number(Math.max(0.005, 6 * m).toPrecision(1));
  });
  const PALETTE = ['#5b8ff9', '#f6bd16', '#e8684a', '#5ad8a6', '#c17de8', '#6dc8ec', '#ff9d4d', '#e86452'];
  const spectralOption = computed(() => ({
    animation: false, legend: { bottom: 4 }, tooltip: { trigger: 'item' }, color: PALETTE,
    grid: { left: 64, right: 40, top: 40, bottom: 70 },
    xAxis: { type: 'value', name: axisName.value, nameLocation: 'middle', nameGap: 26, scale: true, axisLabel: { formatter: (v: number) => v.toFixed(decimals.value) } },
    yAxis: { type: 'value', scale: true, name: `normalised flux (curves offset by ${spectralStep.value})` },
    series: (spectral.value ?? []).map((c, k) => ({
      name: k ? `${c.label} (−${(k * spectralStep.value).toPrecision(2)})` : c.label, type: 'scatter', symbolSize: 5,
      data: t.value.map((x, i) => [x, c.flux[i] - spectralStep.value * k]).filter((_, i) => !excluded.value.has(i)),
    })),
  }));
  /** Per channel: MAD scatter of the normalised light curve vs the photon-noise expectation 1/sqrt(counts) from the error column. */
  const noise = computed(() => {
    const s = store.spectra;
    if (!s) return null;
    const [nspec, nwave] = s.flux.shape;
    const w = new Float64Array(s.wavelength.buffer), f = new Float64Array(s.flux.buffer), e = new Float64Array(s.fluxError.buffer);
    const out = { wave: [] as number[], mad: [] as number[], photon: [] as number[] };
    for (let j = 0; j < nwave; j++) {
      const lc = Array.from({ length: nspec }, (_, k) => f[k * nwave + j]);
      const m = normalise(lc, excluded.value);
      const rel = Array.from({ length: nspec }, (_, k) => e[k * nwave + j] / Math.abs(f[k * nwave + j])).filter(Number.isFinite);
      if (!Number.isFinite(w[j])) continue;
      out.wave.push(w[j]);
      out.mad.push(madNoise(m) * 1e6);
      out.photon.push(rel.length ? median(rel) * 1e6 : NaN);
    }
    return out;
  });
  const noiseOption = computed(() => ({
    animation: false, legend: { bottom: 4 }, tooltip: { trigger: 'axis' }, color: ['#5b8ff9', '#f6bd16'],
    grid: { left: 80, right: 40, top: 40, bottom: 70 },
    xAxis: { type: 'value', name: `wavelength (${store.spectra?.wavelengthUnit ?? ''})`, nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax', axisLabel: { showMinLabel: false, formatter: (v: number) => String(Number(v.toPrecision(3))) } },
    yAxis: { type: 'log', name: 'scatter per integration (ppm)' },
    series: noise.value ? [
      { name: 'MAD scatter', type: 'line', showSymbol: false, data: noise.value.wave.map((x, i) => [x, noise.value!.mad[i]]) },
      { name: 'photon noise (ERR)', type: 'line', showSymbol: false, data: noise.value.wave.map((x, i) => [x, noise.value!.photon[i]]) },
    ] : [],
  }));
  /** The shown curves, one row per integration: white light, then each spectroscopic bin (normalised, no display offset). */
  const csv = () => toCsv({
    integration: store.curve?.integration ?? [], [`time_${store.axis}`]: t.value, flux_normalised: norm.value,
    ...Object.fromEntries((spectral.value ?? []).map((c) => [`flux_${c.label.replace(/[^0-9A-Za-z.]+/g, '_')}`, c.flux])),
    outlier: norm.value.map((_, i) => (excluded.value.has(i) ? 1 : 0)),
  });
  return { t, norm, spectral, noise, whiteOption, spectralOption, noiseOption, integrationAt, csv, excluded };
}
