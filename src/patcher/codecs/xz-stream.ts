import { crc32 } from '../checksum.ts';
import { fail, truncated } from '../errors.ts';
import { LzmaState } from './lzma.ts';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const LZMA2_FILTER = 0x21;

/**
 * xdelta3's LZMA secondary compression (VCDIFF secondary id 2): one .xz stream with a single LZMA2
 * block per section kind, spanning the whole patch; the encoder sync-flushes after each section, so
 * every section holds whole LZMA2 chunks and the decoder state carries over to the next section.
 */
export class XzSectionStream {
  private headerDone = false;
  private lzma: LzmaState | undefined;
  private needProps = true;
  private needDictReset = true;

  constructor(private readonly dictCap: number) {}

  decode(input: Uint8Array, outLen: number): Buffer {
    const out = Buffer.allocUnsafe(outLen);
    let p = 0;
    if (!this.headerDone) {
      if (input.length < 12) truncated('xz stream header');
      for (let i = 0; i < 6; i++) if (input[i] !== XZ_MAGIC[i]) fail('LZMA secondary section is not an xz stream');
      if (crc32(input.subarray(6, 8)) !== readU32le(input, 8)) fail('xz stream header CRC mismatch', 'checksum');
      p = 12;
      this.headerDone = true;
    }
    if (!this.lzma) p = this.readBlockHeader(input, p);
    const lzma = this.lzma!;
    let o = 0;
    while (o < outLen) {
      if (p >= input.length) truncated('LZMA2 chunk');
      const ctrl = input[p++]!;
      if (ctrl === 0x00) fail('LZMA2 stream ended before the section was complete');
      if (ctrl === 0x01 || ctrl === 0x02) {
        if (p + 2 > input.length) truncated('LZMA2 chunk header');
        const size = ((input[p]! << 8) | input[p + 1]!) + 1;
        p += 2;
        if (ctrl === 0x01) {
          lzma.resetDictionary();
          this.needDictReset = false;
        } else if (this.needDictReset) fail('LZMA2 stream does not start with a dictionary reset');
        if (p + size > input.length) truncated('LZMA2 uncompressed chunk');
        if (o + size > outLen) fail('LZMA2 chunk crosses a section boundary', 'unsupported');
        lzma.copyUncompressed(input.subarray(p, p + size), out, o);
        p += size;
        o += size;
        continue;
      }
      if (ctrl < 0x80) fail('LZMA2 chunk type is invalid');
      if (p + 4 > input.length) truncated('LZMA2 chunk header');
      const unpacked = (ctrl & 0x1f) * 65536 + ((input[p]! << 8) | input[p + 1]!) + 1;
      const packed = ((input[p + 2]! << 8) | input[p + 3]!) + 1;
      p += 4;
      const reset = (ctrl >>> 5) & 3;
      if (reset === 3) {
        lzma.resetDictionary();
        this.needDictReset = false;
      } else if (this.needDictReset) fail('LZMA2 stream does not start with a dictionary reset');
      if (reset >= 2) {
        if (p >= input.length) truncated('LZMA2 properties');
        lzma.setProperties(input[p++]!);
        this.needProps = false;
      } else if (this.needProps) fail('LZMA2 chunk lacks properties');
      if (reset >= 1) lzma.resetState();
      if (p + packed > input.length) truncated('LZMA2 chunk');
      if (o + unpacked > outLen) fail('LZMA2 chunk crosses a section boundary', 'unsupported');
      lzma.decodeChunk(input, p, p + packed, out, o, unpacked);
      p += packed;
      o += unpacked;
    }
    if (p !== input.length) fail('LZMA secondary decoder finished with unused input');
    return out;
  }

  private readBlockHeader(input: Uint8Array, p: number): number {
    if (p >= input.length) truncated('xz block header');
    const sizeByte = input[p]!;
    if (sizeByte === 0) fail('xz stream has no block');
    const size = (sizeByte + 1) * 4;
    if (p + size > input.length) truncated('xz block header');
    if (crc32(input.subarray(p, p + size - 4)) !== readU32le(input, p + size - 4)) {
      fail('xz block header CRC mismatch', 'checksum');
    }
    const flags = input[p + 1]!;
    if ((flags & 0x03) !== 0) fail('xz filter chains other than LZMA2 alone are not supported', 'unsupported');
    let q = p + 2;
    const varint = (): number => {
      let v = 0;
      for (let shift = 0; shift < 63; shift += 7) {
        const b = input[q++];
        if (b === undefined) truncated('xz block header');
        v += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return v;
      }
      return fail('xz block header value is invalid');
    };
    if (flags & 0x40) varint();
    if (flags & 0x80) varint();
    if (varint() !== LZMA2_FILTER) fail('xz filter is not LZMA2', 'unsupported');
    if (varint() !== 1) fail('LZMA2 filter properties are invalid');
    const dictProp = input[q]! & 0x3f;
    if (dictProp > 40) fail('LZMA2 dictionary size is invalid');
    const dictSize = dictProp === 40 ? 0xffffffff : (2 | (dictProp & 1)) * 2 ** (Math.floor(dictProp / 2) + 11);
    this.lzma = new LzmaState(dictSize, this.dictCap);
    return p + size;
  }
}

function readU32le(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}
