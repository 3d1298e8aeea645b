import { truncated } from '../errors.ts';

/** MSB-first bit reader over an in-memory view (bzip2 and LZMA's framing read whole bytes from it). */
export class MsbBitReader {
  private bitBuf = 0;
  private bitCount = 0;
  pos = 0;

  constructor(
    readonly data: Uint8Array,
    private readonly what: string,
  ) {}

  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.data.length) truncated(this.what);
      this.bitBuf = ((this.bitBuf << 8) | this.data[this.pos++]!) >>> 0;
      this.bitCount += 8;
    }
    this.bitCount -= n;
    const v = (this.bitBuf >>> this.bitCount) & ((1 << n) - 1);
    this.bitBuf &= (1 << this.bitCount) - 1;
    return v;
  }

  bit(): number {
    return this.bits(1);
  }

  /** Bits already loaded but not consumed (0-7 after whole-byte reads). */
  get pendingBits(): number {
    return this.bitCount;
  }

  /** Restores a partially consumed byte when resuming on a new view. */
  preload(value: number, count: number): void {
    this.bitBuf = value & ((1 << count) - 1);
    this.bitCount = count;
  }

  get pendingValue(): number {
    return this.bitBuf;
  }
}
