import { fail, truncated } from '../errors.ts';

const NUM_STATES = 12;
const POS_STATES_MAX = 16;
const END_POS_MODEL_INDEX = 14;
const NUM_FULL_DISTANCES = 128;
const ALIGN_BITS = 4;
const LEN_LOW_BITS = 3;
const LEN_MID_BITS = 3;
const LEN_HIGH_BITS = 8;
const PROB_INIT = 1024;

/** Range decoder over one LZMA2 chunk held in memory. */
class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    if (end - start < 5 || buf[start] !== 0) fail('LZMA chunk has an invalid range coder header');
    this.pos = start + 1;
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | buf[this.pos++]!) >>> 0;
  }

  private next(): number {
    if (this.pos >= this.end) truncated('LZMA chunk');
    return this.buf[this.pos++]!;
  }

  bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    const bound = (this.range >>> 11) * p;
    let b: number;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      this.range -= bound;
      this.code -= bound;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    if (this.range < 0x1000000) {
      this.range = (this.range * 256) >>> 0;
      this.code = ((this.code * 256) | this.next()) >>> 0;
    }
    return b;
  }

  direct(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      this.range >>>= 1;
      let b = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        b = 1;
      }
      v = ((v << 1) | b) >>> 0;
      if (this.range < 0x1000000) {
        this.range = (this.range * 256) >>> 0;
        this.code = ((this.code * 256) | this.next()) >>> 0;
      }
    }
    return v;
  }

  tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }

  reverseTree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let v = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) | b;
      v |= b << i;
    }
    return v;
  }
}

class LenDecoder {
  readonly choice = new Uint16Array(2);
  readonly low = new Uint16Array(POS_STATES_MAX << LEN_LOW_BITS);
  readonly mid = new Uint16Array(POS_STATES_MAX << LEN_MID_BITS);
  readonly high = new Uint16Array(1 << LEN_HIGH_BITS);

  reset(): void {
    this.choice.fill(PROB_INIT);
    this.low.fill(PROB_INIT);
    this.mid.fill(PROB_INIT);
    this.high.fill(PROB_INIT);
  }

  decode(rc: RangeDecoder, posState: number): number {
    if (!rc.bit(this.choice, 0)) return rc.tree(this.low, posState << LEN_LOW_BITS, LEN_LOW_BITS);
    if (!rc.bit(this.choice, 1)) return 8 + rc.tree(this.mid, posState << LEN_MID_BITS, LEN_MID_BITS);
    return 16 + rc.tree(this.high, 0, LEN_HIGH_BITS);
  }
}

/**
 * LZMA decoder state (probabilities, reps, dictionary) that survives across LZMA2 chunks and across
 * calls, since xdelta3 keeps one LZMA stream per section kind for the whole patch. The dictionary is a
 * ring buffer that grows on demand up to min(dictionary size, cap).
 */
export class LzmaState {
  lc = 0;
  lp = 0;
  pb = 0;
  private probs = new Uint16Array(0);
  private literalBase = 0;
  private readonly posSlot = new Uint16Array(4 << 6);
  private readonly posSpecial = new Uint16Array(1 + NUM_FULL_DISTANCES - END_POS_MODEL_INDEX);
  private readonly align = new Uint16Array(1 << ALIGN_BITS);
  private readonly lenDec = new LenDecoder();
  private readonly repLenDec = new LenDecoder();
  private state = 0;
  private reps = [0, 0, 0, 0];
  dict: Uint8Array = new Uint8Array(1 << 16);
  dictPos = 0;
  /** Bytes written into the dictionary so far (saturating at its final size). */
  dictFull = 0;
  /** Uncompressed position since the last dictionary reset (its low bits select literal/pos states). */
  private totalPos = 0;
  private readonly dictMax: number;

  constructor(dictSize: number, cap: number) {
    if (dictSize > cap) dictSize = cap; // larger distances are rejected when they occur
    this.dictMax = Math.max(4096, dictSize);
  }

  // Probability layout inside `probs`: isMatch, isRep, isRepG0..2, isRep0Long, then literals.
  private static readonly IS_MATCH = 0;
  private static readonly IS_REP = NUM_STATES * POS_STATES_MAX;
  private static readonly IS_REP_G0 = LzmaState.IS_REP + NUM_STATES;
  private static readonly IS_REP_G1 = LzmaState.IS_REP_G0 + NUM_STATES;
  private static readonly IS_REP_G2 = LzmaState.IS_REP_G1 + NUM_STATES;
  private static readonly IS_REP0_LONG = LzmaState.IS_REP_G2 + NUM_STATES;
  private static readonly LITERAL = LzmaState.IS_REP0_LONG + NUM_STATES * POS_STATES_MAX;

  setProperties(props: number): void {
    if (props >= 9 * 5 * 5) fail('LZMA properties are invalid');
    this.lc = props % 9;
    this.lp = Math.floor(props / 9) % 5;
    this.pb = Math.floor(props / 45);
    if (this.lc + this.lp > 4) fail('LZMA2 properties are invalid (lc + lp > 4)');
  }

  resetState(): void {
    this.literalBase = LzmaState.LITERAL;
    const size = LzmaState.LITERAL + (0x300 << (this.lc + this.lp));
    if (this.probs.length !== size) this.probs = new Uint16Array(size);
    this.probs.fill(PROB_INIT);
    this.posSlot.fill(PROB_INIT);
    this.posSpecial.fill(PROB_INIT);
    this.align.fill(PROB_INIT);
    this.lenDec.reset();
    this.repLenDec.reset();
    this.state = 0;
    this.reps = [0, 0, 0, 0];
  }

  resetDictionary(): void {
    this.dictPos = 0;
    this.dictFull = 0;
    this.totalPos = 0;
  }

  private put(b: number): void {
    if (this.dictPos === this.dict.length) {
      if (this.dict.length < this.dictMax) {
        const bigger = new Uint8Array(Math.min(this.dictMax, this.dict.length * 2));
        bigger.set(this.dict);
        this.dict = bigger;
      } else {
        this.dictPos = 0;
      }
    }
    this.dict[this.dictPos++] = b;
    this.totalPos++;
    if (this.dictFull < this.dictMax) this.dictFull++;
  }

  private back(distance: number): number {
    let i = this.dictPos - distance - 1;
    if (i < 0) i += this.dict.length;
    return this.dict[i]!;
  }

  /** Appends raw bytes (LZMA2 uncompressed chunk) to the dictionary and the output. */
  copyUncompressed(src: Uint8Array, out: Uint8Array, outPos: number): void {
    for (let i = 0; i < src.length; i++) {
      this.put(src[i]!);
      out[outPos + i] = src[i]!;
    }
  }

  /** Decodes exactly `outLen` bytes from one LZMA chunk at buf[start, end) into out[outPos..]. */
  decodeChunk(buf: Uint8Array, start: number, end: number, out: Uint8Array, outPos: number, outLen: number): void {
    const rc = new RangeDecoder(buf, start, end);
    const probs = this.probs;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    const lc = this.lc;
    const outEnd = outPos + outLen;
    let state = this.state;
    let [rep0, rep1, rep2, rep3] = this.reps as [number, number, number, number];
    while (outPos < outEnd) {
      const posState = this.totalPos & pbMask;
      if (!rc.bit(probs, LzmaState.IS_MATCH + (state << 4) + posState)) {
        const prev = this.dictFull > 0 ? this.back(0) : 0;
        const base = this.literalBase + 0x300 * (((this.totalPos & lpMask) << lc) + (prev >>> (8 - lc)));
        let sym = 1;
        if (state >= 7) {
          let matchByte = this.back(rep0);
          while (sym < 0x100) {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const bit = rc.bit(probs, base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | bit;
            if (matchBit !== bit) break;
          }
        }
        while (sym < 0x100) sym = (sym << 1) | rc.bit(probs, base + sym);
        const b = sym & 0xff;
        this.put(b);
        out[outPos++] = b;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (rc.bit(probs, LzmaState.IS_REP + state)) {
        if (this.dictFull === 0) fail('LZMA data repeats before any output');
        if (!rc.bit(probs, LzmaState.IS_REP_G0 + state)) {
          if (!rc.bit(probs, LzmaState.IS_REP0_LONG + (state << 4) + posState)) {
            if (rep0 >= this.dictFull) fail('LZMA match distance exceeds the decoded data', 'limit');
            state = state < 7 ? 9 : 11;
            const b = this.back(rep0);
            this.put(b);
            out[outPos++] = b;
            continue;
          }
        } else {
          let dist: number;
          if (!rc.bit(probs, LzmaState.IS_REP_G1 + state)) {
            dist = rep1;
          } else {
            if (!rc.bit(probs, LzmaState.IS_REP_G2 + state)) {
              dist = rep2;
            } else {
              dist = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = dist;
        }
        len = this.repLenDec.decode(rc, posState);
        state = state < 7 ? 8 : 11;
      } else {
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        len = this.lenDec.decode(rc, posState);
        state = state < 7 ? 7 : 10;
        rep0 = this.decodeDistance(rc, len);
        if (rep0 === 0xffffffff) fail('LZMA end marker inside an LZMA2 chunk');
      }
      len += 2;
      if (rep0 >= this.dictFull) fail('LZMA match distance exceeds the decoded data', 'limit');
      if (outPos + len > outEnd) fail('LZMA match runs past the chunk size');
      for (let i = 0; i < len; i++) {
        const b = this.back(rep0);
        this.put(b);
        out[outPos++] = b;
      }
    }
    this.state = state;
    this.reps = [rep0, rep1, rep2, rep3];
    if (rc.pos !== end) fail('LZMA chunk size does not match its data');
  }

  private decodeDistance(rc: RangeDecoder, len: number): number {
    const lenState = len < 3 ? len : 3;
    const slot = rc.tree(this.posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const direct = (slot >>> 1) - 1;
    let dist = ((2 | (slot & 1)) << direct) >>> 0;
    if (slot < END_POS_MODEL_INDEX) {
      dist += rc.reverseTree(this.posSpecial, dist - slot, direct);
    } else {
      dist = (dist + ((rc.direct(direct - ALIGN_BITS) << ALIGN_BITS) >>> 0)) >>> 0;
      dist = (dist + rc.reverseTree(this.align, 0, ALIGN_BITS)) >>> 0;
    }
    return dist >>> 0;
  }
}
