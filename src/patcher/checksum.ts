import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';

/** CRC-32 (IEEE), chained through `prev` like zlib's. */
export function crc32(data: Uint8Array, prev = 0): number {
  return zlibCrc32(data, prev) >>> 0;
}

/**
 * Adler-32 as used by xdelta3 windows (RFC 1950), chained through `prev`. It is VCDIFF's hot loop: large
 * buffers go through zlib, whose stored-block zlib stream ends with the Adler-32 of its input and whose
 * native checksum is faster than any JavaScript loop here.
 */
export function adler32(data: Uint8Array, prev = 1): number {
  if (prev === 1 && data.length >= 1 << 16) {
    const z = deflateSync(data, { level: 0 });
    return z.readUInt32BE(z.length - 4);
  }
  return adler32Js(data, prev);
}

export function adler32Js(data: Uint8Array, prev = 1): number {
  let a = prev & 0xffff;
  let b = prev >>> 16;
  const n = data.length;
  let i = 0;
  while (i < n) {
    // 5552 is the largest run before b can overflow 2^32 (zlib's NMAX); a multiple of 16.
    const end = Math.min(i + 5552, n);
    const end16 = end - 15;
    for (; i < end16; i += 16) {
      a += data[i]!;
      b += a;
      a += data[i + 1]!;
      b += a;
      a += data[i + 2]!;
      b += a;
      a += data[i + 3]!;
      b += a;
      a += data[i + 4]!;
      b += a;
      a += data[i + 5]!;
      b += a;
      a += data[i + 6]!;
      b += a;
      a += data[i + 7]!;
      b += a;
      a += data[i + 8]!;
      b += a;
      a += data[i + 9]!;
      b += a;
      a += data[i + 10]!;
      b += a;
      a += data[i + 11]!;
      b += a;
      a += data[i + 12]!;
      b += a;
      a += data[i + 13]!;
      b += a;
      a += data[i + 14]!;
      b += a;
      a += data[i + 15]!;
      b += a;
    }
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
    t[n] = c & 0xffff;
  }
  return t;
})();

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xffff), used by GBA APS blocks. */
export function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < data.length; i++) crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ data[i]!) & 0xff]!) & 0xffff;
  return crc;
}
