import { fail } from '../errors.ts';
import type { PatchReader } from '../io/patch-reader.ts';
import { MsbBitReader } from './bit-reader.ts';

const BLOCK_MAGIC_HI = 0x314159;
const BLOCK_MAGIC_LO = 0x265359;
const END_MAGIC_HI = 0x177245;
const END_MAGIC_LO = 0x385090;
const MAX_GROUPS = 6;
const MAX_CODE_LEN = 20;
const GROUP_SIZE = 50;
/** A bzip2 block compresses 900 kB at most, to well under this many bytes. */
const MAX_COMPRESSED_BLOCK = 2 << 20;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/**
 * Streaming bzip2 decoder with bounded memory: one block (≤ 900 kB of BWT data) at a time, and output
 * pulled in caller-sized pieces, so a run-length "bomb" never materialises more than the caller asks for.
 * Reads its compressed bytes from `reader`, which must be positioned at the stream and limited to `length`.
 */
export class Bzip2Reader {
  private tt = new Uint32Array(0);
  private blockLen = 0;
  private tPos = 0;
  private emitted = 0; // BWT bytes emitted from the current block
  private runChar = -1;
  private runCount = 0; // identical bytes seen in a row (RLE1)
  private pendingRepeat = 0; // bytes still to emit from an RLE1 run
  private blockCrc = 0;
  private expectedCrc = 0;
  private maxBlock = 0;
  private finished = false;
  private bitValue = 0;
  private bitCount = 0;
  private consumed = 0;

  constructor(
    private readonly reader: PatchReader,
    private readonly length: number,
  ) {}

  /** Fills up to `len` bytes of `dst`; returns how many (0 only at the end of the stream). */
  async read(dst: Uint8Array, off: number, len: number): Promise<number> {
    let n = 0;
    while (n < len) {
      if (this.pendingRepeat > 0) {
        const k = Math.min(this.pendingRepeat, len - n);
        dst.fill(this.runChar, off + n, off + n + k);
        this.updateCrc(dst, off + n, k);
        this.pendingRepeat -= k;
        n += k;
        continue;
      }
      if (this.emitted >= this.blockLen) {
        if (this.blockLen > 0) this.endBlock();
        if (this.finished || !(await this.nextBlock())) break;
        continue;
      }
      // Inverse BWT walk, undoing the initial run-length stage (4 equal bytes + count byte).
      const t = this.tt;
      let pos = this.tPos;
      const first = n;
      while (n < len && this.emitted < this.blockLen) {
        pos = t[pos]!;
        const ch = pos & 0xff;
        pos >>>= 8;
        this.emitted++;
        if (this.runCount === 4) {
          this.runCount = 0;
          this.pendingRepeat = ch;
          break;
        }
        if (ch === this.runChar) this.runCount++;
        else {
          this.runChar = ch;
          this.runCount = 1;
        }
        dst[off + n] = ch;
        n++;
      }
      this.updateCrc(dst, off + first, n - first);
      this.tPos = pos;
    }
    return n;
  }

  private updateCrc(buf: Uint8Array, off: number, len: number): void {
    let c = this.blockCrc;
    for (let i = off; i < off + len; i++) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ buf[i]!) & 0xff]!) >>> 0;
    this.blockCrc = c;
  }

  private endBlock(): void {
    if (this.pendingRepeat > 0) return;
    if (~this.blockCrc >>> 0 !== this.expectedCrc) fail('bzip2 block CRC mismatch: the patch is corrupt', 'checksum');
    this.blockLen = 0;
    this.emitted = 0;
  }

  /** Decodes the next block's Huffman/MTF stage into `tt`; false at the end-of-stream marker. */
  private async nextBlock(): Promise<boolean> {
    const avail = await this.reader.want(Math.min(MAX_COMPRESSED_BLOCK, this.length - this.consumed));
    const view = this.reader.peek(avail);
    const bits = new MsbBitReader(view, 'bzip2 data');
    bits.preload(this.bitValue, this.bitCount);
    if (this.maxBlock === 0) {
      if (bits.bits(8) !== 0x42 || bits.bits(8) !== 0x5a || bits.bits(8) !== 0x68) fail('bzip2 stream header is invalid');
      const level = bits.bits(8) - 0x30;
      if (level < 1 || level > 9) fail('bzip2 block size is invalid');
      this.maxBlock = level * 100000;
    }
    const hi = bits.bits(24);
    const lo = bits.bits(24);
    let more = true;
    if (hi === END_MAGIC_HI && lo === END_MAGIC_LO) {
      // Combined CRC: every block CRC was already checked.
      bits.bits(16);
      bits.bits(16);
      this.finished = true;
      more = false;
    } else if (hi === BLOCK_MAGIC_HI && lo === BLOCK_MAGIC_LO) {
      this.decodeBlock(bits);
    } else {
      fail('bzip2 block header is invalid');
    }
    // Hand back whole consumed bytes; keep the partial byte's bits for the next block.
    this.reader.skipBuffered(bits.pos);
    this.consumed += bits.pos;
    this.bitValue = bits.pendingValue;
    this.bitCount = bits.pendingBits;
    return more;
  }

  private decodeBlock(bits: MsbBitReader): void {
    this.expectedCrc = (bits.bits(16) * 65536 + bits.bits(16)) >>> 0;
    if (bits.bit()) fail('bzip2 randomised blocks are not supported', 'unsupported');
    const origPtr = bits.bits(24);

    const used = bits.bits(16);
    const seqToUnseq: number[] = [];
    for (let i = 0; i < 16; i++) {
      if (used & (0x8000 >> i)) {
        const row = bits.bits(16);
        for (let j = 0; j < 16; j++) if (row & (0x8000 >> j)) seqToUnseq.push(i * 16 + j);
      }
    }
    if (seqToUnseq.length === 0) fail('bzip2 block uses no symbols');
    const alphaSize = seqToUnseq.length + 2;

    const nGroups = bits.bits(3);
    if (nGroups < 2 || nGroups > MAX_GROUPS) fail('bzip2 Huffman group count is invalid');
    const nSelectors = bits.bits(15);
    if (nSelectors < 1) fail('bzip2 selector count is invalid');
    const mtfGroups = [0, 1, 2, 3, 4, 5].slice(0, nGroups);
    const selectors = new Uint8Array(nSelectors);
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (bits.bit()) if (++j >= nGroups) fail('bzip2 selector is invalid');
      const v = mtfGroups[j]!;
      mtfGroups.splice(j, 1);
      mtfGroups.unshift(v);
      selectors[i] = v;
    }

    const tables: HuffTable[] = [];
    for (let g = 0; g < nGroups; g++) {
      const lengths = new Uint8Array(alphaSize);
      let curr = bits.bits(5);
      for (let s = 0; s < alphaSize; s++) {
        for (;;) {
          if (curr < 1 || curr > MAX_CODE_LEN) fail('bzip2 code length is invalid');
          if (!bits.bit()) break;
          curr += bits.bit() ? -1 : 1;
        }
        lengths[s] = curr;
      }
      tables.push(buildTable(lengths));
    }

    // Huffman + MTF + RUNA/RUNB decode straight into the BWT vector's low byte.
    if (this.tt.length < this.maxBlock) this.tt = new Uint32Array(this.maxBlock);
    const tt = this.tt;
    const counts = new Uint32Array(256);
    const mtf = Uint8Array.from(seqToUnseq.map((_, i) => i));
    const eob = alphaSize - 1;
    let n = 0;
    let groupIndex = 0;
    let groupLeft = 0;
    let table = tables[0]!;
    let run = 0;
    let runWeight = 1;
    for (;;) {
      if (groupLeft === 0) {
        if (groupIndex >= nSelectors) fail('bzip2 data overruns its selectors');
        table = tables[selectors[groupIndex++]!]!;
        groupLeft = GROUP_SIZE;
      }
      groupLeft--;
      const sym = decodeSymbol(bits, table);
      if (sym <= 1) {
        run += (sym + 1) * runWeight;
        runWeight *= 2;
        if (run > this.maxBlock) fail('bzip2 run exceeds the block size', 'limit');
        continue;
      }
      if (run > 0) {
        if (n + run > this.maxBlock) fail('bzip2 block exceeds its declared size', 'limit');
        const ch = seqToUnseq[mtf[0]!]!;
        counts[ch]! += run;
        tt.fill(ch, n, n + run);
        n += run;
        run = 0;
        runWeight = 1;
      }
      if (sym === eob) break;
      if (n >= this.maxBlock) fail('bzip2 block exceeds its declared size', 'limit');
      const idx = sym - 1;
      const v = mtf[idx]!;
      mtf.copyWithin(1, 0, idx);
      mtf[0] = v;
      const ch = seqToUnseq[v]!;
      counts[ch]!++;
      tt[n++] = ch;
    }
    if (origPtr >= n) fail('bzip2 block origin pointer is invalid');

    let sum = 0;
    const cftab = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      cftab[i] = sum;
      sum += counts[i]!;
    }
    for (let i = 0; i < n; i++) {
      const ch = tt[i]! & 0xff;
      tt[cftab[ch]!++]! |= i << 8;
    }
    this.blockLen = n;
    this.tPos = tt[origPtr]! >>> 8;
    this.emitted = 0;
    this.runChar = -1;
    this.runCount = 0;
    this.blockCrc = 0xffffffff;
    this.pendingRepeat = 0;
  }
}

interface HuffTable {
  limit: Int32Array;
  base: Int32Array;
  perm: Uint16Array;
  minLen: number;
  maxLen: number;
}

function buildTable(lengths: Uint8Array): HuffTable {
  let minLen = 32;
  let maxLen = 0;
  for (const l of lengths) {
    if (l > maxLen) maxLen = l;
    if (l < minLen) minLen = l;
  }
  const perm = new Uint16Array(lengths.length);
  let pp = 0;
  for (let l = minLen; l <= maxLen; l++) for (let s = 0; s < lengths.length; s++) if (lengths[s] === l) perm[pp++] = s;
  const count = new Int32Array(MAX_CODE_LEN + 2);
  for (const l of lengths) count[l]!++;
  const limit = new Int32Array(MAX_CODE_LEN + 2).fill(-1);
  const base = new Int32Array(MAX_CODE_LEN + 2);
  let code = 0;
  let index = 0;
  for (let l = minLen; l <= maxLen; l++) {
    base[l] = index - code; // symbol index = code + base
    code += count[l]!;
    index += count[l]!;
    limit[l] = code - 1;
    code <<= 1;
  }
  return { limit, base, perm, minLen, maxLen };
}

function decodeSymbol(bits: MsbBitReader, t: HuffTable): number {
  let len = t.minLen;
  let code = bits.bits(len);
  for (;;) {
    if (code <= t.limit[len]!) {
      const idx = code + t.base[len]!;
      if (idx < 0 || idx >= t.perm.length) fail('bzip2 Huffman code is invalid');
      return t.perm[idx]!;
    }
    if (++len > t.maxLen) fail('bzip2 Huffman code is invalid');
    code = (code << 1) | bits.bit();
  }
}

