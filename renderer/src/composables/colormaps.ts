/** Colormaps as 256-entry RGBA tables, interpolated from anchor colours of the matplotlib maps. */
const ANCHORS: Readonly<Record<string, readonly string[]>> = {
  gray: ['#000000', '#ffffff'],
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4'],
  magma: ['#000004', '#180f3d', '#440f76', '#721f81', '#9e2f7f', '#cd4071', '#f1605d', '#fd9668', '#feca8d', '#fcfdbf'],
  plasma: ['#0d0887', '#46039f', '#7201a8', '#9c179e', '#bd3786', '#d8576b', '#ed7953', '#fb9f3a', '#fdca26', '#f0f921'],
  cividis: ['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8779', '#a69d75', '#c4b56c', '#e4cf5b', '#fee838'],
};
export const COLORMAPS = Object.keys(ANCHORS);

/** 256 x RGBA8 table. */
export function colormapTable(name: string): Uint8Array {
  const a = (ANCHORS[name] ?? ANCHORS.gray).map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const out = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (a.length - 1);
    const k = Math.min(a.length - 2, Math.floor(x));
    const f = x - k;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(a[k][c] + f * (a[k + 1][c] - a[k][c]));
    out[i * 4 + 3] = 255;
  }
  return out;
}
