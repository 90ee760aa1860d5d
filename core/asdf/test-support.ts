/**
 * Test-only helpers for the ASDF tests: locate the ASDF HDU of a FITS file by
 * walking 2880-byte header blocks (FITS Standard 4.0, sections 3.3 and 4.4),
 * without depending on core/fits. Not exported from index.ts.
 */

export interface RawHdu {
  extname?: string;
  extver: number;
  xtension?: string;
  /** Byte offset of the data unit. */
  dataStart: number;
  /** NAXIS values, NAXIS1 first. */
  naxis: number[];
}

function cardValue(card: string): string {
  const raw = card.slice(10);
  if (raw.trimStart().startsWith("'")) {
    const m = /^\s*'((?:[^']|'')*)'/.exec(raw);
    return m ? m[1].replace(/''/g, "'").trimEnd() : '';
  }
  return raw.split('/')[0].trim();
}

/** Every HDU of a FITS file, with EXTNAME/EXTVER and data offset. */
export function listHdus(bytes: Uint8Array): RawHdu[] {
  const dec = new TextDecoder('latin1');
  const hdus: RawHdu[] = [];
  let pos = 0;
  while (pos + 2880 <= bytes.length) {
    const cards = new Map<string, string>();
    let end = false;
    while (!end) {
      if (pos + 2880 > bytes.length) throw new Error('truncated FITS header');
      const block = dec.decode(bytes.subarray(pos, pos + 2880));
      pos += 2880;
      for (let i = 0; i < 36 && !end; i++) {
        const card = block.slice(i * 80, i * 80 + 80);
        const key = card.slice(0, 8).trim();
        if (key === 'END') end = true;
        else if (card.slice(8, 10) === '= ' && !cards.has(key)) cards.set(key, cardValue(card));
      }
    }
    const naxis = Array.from({ length: Number(cards.get('NAXIS') ?? 0) }, (_, i) => Number(cards.get(`NAXIS${i + 1}`)));
    const bitpix = Math.abs(Number(cards.get('BITPIX')));
    const size = naxis.length ? (naxis.reduce((a, b) => a * b, 1) * bitpix) / 8 + Number(cards.get('PCOUNT') ?? 0) : 0;
    const extname = cards.get('EXTNAME');
    hdus.push({
      ...(extname !== undefined ? { extname } : {}),
      extver: Number(cards.get('EXTVER') ?? 1),
      ...(cards.has('XTENSION') ? { xtension: cards.get('XTENSION') } : {}),
      dataStart: pos,
      naxis,
    });
    pos += Math.ceil(size / 2880) * 2880;
  }
  return hdus;
}

/** The ASDF_METADATA cell of the EXTNAME='ASDF' BINTABLE (one row, one `nB` column). */
export function asdfCellOf(bytes: Uint8Array): Uint8Array {
  const hdu = listHdus(bytes).find((h) => h.extname === 'ASDF');
  if (!hdu) throw new Error('no ASDF extension');
  return bytes.slice(hdu.dataStart, hdu.dataStart + hdu.naxis[0]);
}
