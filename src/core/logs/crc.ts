/**
 * Checksums of the binary run formats: CRC-32C (Castagnoli) for TFRecord framing, masked as
 * TensorFlow writes it, and CRC-32 (IEEE, zlib's) for W&B's LevelDB-style transaction log.
 * Table-driven, slicing by 8 (eight table lookups per 8 bytes): about 1 GB/s in V8, so the CRC is
 * not what bounds parsing speed. No dependency: the native packages would need a build per platform.
 */

function tables(poly: number): Uint32Array[] {
  const t: Uint32Array[] = [];
  for (let k = 0; k < 8; k++) t.push(new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let j = 0; j < 8; j++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[0][i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = t[0][i];
    for (let k = 1; k < 8; k++) {
      c = t[0][c & 0xff] ^ (c >>> 8);
      t[k][i] = c >>> 0;
    }
  }
  return t;
}

function make(poly: number): (buf: Uint8Array, start?: number, end?: number, init?: number) => number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables(poly);
  return (buf, start = 0, end = buf.length, init = 0) => {
    let c = ~init;
    let i = start;
    const fast = end - ((end - i) & 7);
    while (i < fast) {
      const a = c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
      c = t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
        t3[buf[i + 4]] ^ t2[buf[i + 5]] ^ t1[buf[i + 6]] ^ t0[buf[i + 7]];
      i += 8;
    }
    while (i < end) c = t0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
  };
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of buf[start, end). */
export const crc32c = make(0x82f63b78);
/** CRC-32 (IEEE 802.3, as zlib.crc32) of buf[start, end), continuing from `init`. */
export const crc32 = make(0xedb88320);

/** TFRecord's masked CRC: rotate right by 15 and add a constant (so a CRC of CRCs is not trivial). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
