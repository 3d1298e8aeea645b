import { fail, truncated } from '../errors.ts';

const ALPHABET = 256;
const MAX_CODELEN = 20;
const TOTAL_CODES = MAX_CODELEN + 2; // RUN_0, RUN_1, lengths 1..20
const RUN_1 = 1;
const EXTRA_12OFFSET = 7; // basic codes (5) + run codes (2)
const EXTRA_CODE_BITS = 4;
const GROUP_BITS = 3;
const SECTORSZ_MULT = 5;
const SECTORSZ_BITS = 5;
const MAX_CLCLEN = 15;
const CLCLEN_BITS = 4;
const MAX_GBCLEN = 7;
const GBCLEN_BITS = 3;
const ENCODE_12BASIC = [4, 5, 6, 7, 8];
const ENCODE_12EXTRA = [9, 10, 3, 11, 2, 12, 13, 1, 14, 15, 16, 17, 18, 19, 20];

/** xdelta3 bit state: bytes are consumed least-significant bit first. */
class Bits {
  private cur = 0;
  private mask = 0x100;
  pos = 0;
  constructor(private readonly input: Uint8Array) {}

  bit(): number {
    if (this.mask === 0x100) {
      if (this.pos >= this.input.length) truncated('DJW secondary section');
      this.cur = this.input[this.pos++]!;
      this.mask = 1;
    }
    const b = this.cur & this.mask ? 1 : 0;
    this.mask <<= 1;
    return b;
  }

  /** An n-bit value, most significant bit first. */
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }
}

interface Decoder {
  inorder: Uint8Array;
  count: number;
  base: Int32Array;
  limit: Int32Array;
  minLen: number;
  maxLen: number;
}

/** Canonical prefix decoder tables from code lengths (zero = unused symbol). */
function buildDecoder(clen: Uint8Array, absMax: number): Decoder {
  const nr = new Int32Array(TOTAL_CODES + 1);
  for (const l of clen) nr[l]!++;
  let minLen = 1;
  while (minLen <= absMax && nr[minLen] === 0) minLen++;
  let maxLen = absMax;
  while (maxLen !== 0 && nr[maxLen] === 0) maxLen--;
  const base = new Int32Array(TOTAL_CODES + 1);
  const limit = new Int32Array(TOTAL_CODES + 1);
  const tmpBase = new Int32Array(TOTAL_CODES + 2);
  const inorder = new Uint8Array(clen.length);
  if (maxLen === 0) return { inorder, count: 0, base, limit, minLen, maxLen };
  tmpBase[minLen] = 0;
  base[minLen] = 0;
  limit[minLen] = nr[minLen]! - 1;
  for (let i = minLen + 1; i <= maxLen; i++) {
    const lastLimit = (limit[i - 1]! + 1) << 1;
    tmpBase[i] = tmpBase[i - 1]! + nr[i - 1]!;
    limit[i] = lastLimit + nr[i]! - 1;
    base[i] = lastLimit - tmpBase[i]!;
  }
  let count = 0;
  for (let i = 0; i < clen.length; i++) {
    const l = clen[i]!;
    if (l !== 0) {
      inorder[tmpBase[l]!++] = i;
      count++;
    }
  }
  return { inorder, count, base, limit, minLen, maxLen };
}

function decodeSymbol(bits: Bits, d: Decoder): number {
  let code = 0;
  for (let len = 1; len <= d.maxLen; len++) {
    code = (code << 1) | bits.bit();
    if (len >= d.minLen && code <= d.limit[len]!) {
      const offset = code - d.base[len]!;
      if (offset < 0 || offset >= d.count) break;
      return d.inorder[offset]!;
    }
  }
  return fail('DJW secondary data has an invalid code');
}

function moveToFront(mtf: Uint8Array, i: number): number {
  if (i >= mtf.length) fail('DJW secondary data has an invalid move-to-front index');
  const sym = mtf[i]!;
  mtf.copyWithin(1, 0, i);
  mtf[0] = sym;
  return sym;
}

/** MTF with RUN_0/RUN_1 bijective run lengths, as used for code lengths and group selectors. */
function decode12(bits: Bits, d: Decoder, mtf: Uint8Array, values: Uint8Array, skipOffset: number): void {
  const elts = values.length;
  let n = 0;
  let rep = 0;
  let next = 0;
  let s = 0;
  while (n < elts) {
    if (skipOffset !== 0 && n >= skipOffset && values[n - skipOffset] === 0) {
      values[n++] = 0;
      continue;
    }
    if (rep !== 0) {
      values[n++] = mtf[0]!;
      rep--;
      continue;
    }
    if (next !== 0) {
      values[n++] = moveToFront(mtf, next);
      next = 0;
      continue;
    }
    const sym = decodeSymbol(bits, d);
    if (sym <= RUN_1) {
      rep = (sym + 1) << s;
      s++;
      if (s > 24) fail('DJW secondary data has an invalid repeat code');
    } else {
      next = sym - 1;
      s = 0;
    }
  }
  if (rep !== 0) fail('DJW secondary data has an invalid repeat code');
}

/**
 * xdelta3's DJW static Huffman secondary decoder (VCDIFF secondary id 1): up to 8 code tables chosen
 * per sector, their code lengths themselves MTF- and Huffman-coded. Stateless between sections.
 */
export function decodeDjw(input: Uint8Array, outLen: number): Buffer {
  if (outLen === 0) fail('DJW secondary section has no output');
  const bits = new Bits(input);
  const groups = bits.bits(GROUP_BITS) + 1;
  const sectorSize = groups > 1 ? (bits.bits(SECTORSZ_BITS) + 1) * SECTORSZ_MULT : outLen;
  const sectors = 1 + Math.floor((outLen - 1) / sectorSize);

  // Code-length code: 7 basic lengths plus up to 15 extra.
  const numCodes = bits.bits(EXTRA_CODE_BITS) + EXTRA_12OFFSET;
  const clClen = new Uint8Array(TOTAL_CODES);
  for (let i = 0; i < numCodes; i++) clClen[i] = bits.bits(CLCLEN_BITS);
  const clDecoder = buildDecoder(clClen, MAX_CLCLEN);
  const clMtf = Uint8Array.from([0, ...ENCODE_12BASIC, ...ENCODE_12EXTRA]);
  const clen = new Uint8Array(ALPHABET * groups);
  decode12(bits, clDecoder, clMtf, clen, ALPHABET);
  const decoders: Decoder[] = [];
  for (let g = 0; g < groups; g++) {
    const lengths = clen.subarray(g * ALPHABET, (g + 1) * ALPHABET);
    for (const l of lengths) if (l > MAX_CODELEN) fail('DJW secondary data has an invalid code length');
    decoders.push(buildDecoder(lengths, MAX_CODELEN));
  }

  let selectors: Uint8Array | undefined;
  if (groups > 1) {
    const selClen = new Uint8Array(groups + 1);
    const selMtf = new Uint8Array(groups + 1);
    for (let g = 0; g < groups + 1; g++) {
      selClen[g] = bits.bits(GBCLEN_BITS);
      selMtf[g] = g;
    }
    selectors = new Uint8Array(sectors);
    decode12(bits, buildDecoder(selClen, MAX_GBCLEN), selMtf, selectors, 0);
  }

  const out = Buffer.allocUnsafe(outLen);
  let o = 0;
  for (let c = 0; c < sectors; c++) {
    const g = selectors ? selectors[c]! : 0;
    const d = decoders[g];
    if (!d) fail('DJW secondary data selects a missing table');
    const end = Math.min(outLen, o + sectorSize);
    while (o < end) out[o++] = decodeSymbol(bits, d);
  }
  if (bits.pos !== input.length) fail('DJW secondary decoder finished with unused input');
  return out;
}

