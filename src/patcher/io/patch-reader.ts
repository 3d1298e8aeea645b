import { open, type FileHandle } from 'node:fs/promises';
import { fail, truncated } from '../errors.ts';

const CHUNK = 1 << 20;

/**
 * Sequential reader over a patch file through one bounded buffer. Call `need(n)` (async) before the
 * synchronous getters; getters never read past what `need` guaranteed.
 */
export class PatchReader {
  private buf = Buffer.alloc(CHUNK);
  private start = 0; // offset in buf of the next unread byte
  private end = 0; // offset in buf past the last valid byte
  private filePos = 0; // file offset of buf[end]

  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<PatchReader> {
    const fh = await open(path, 'r');
    const { size } = await fh.stat();
    return new PatchReader(fh, size);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  /** File offset of the next byte. */
  get pos(): number {
    return this.filePos - (this.end - this.start);
  }

  get remaining(): number {
    return this.size - this.pos;
  }

  get available(): number {
    return this.end - this.start;
  }

  /** Makes `n` bytes available or throws a truncation error naming `what`. */
  async need(n: number, what = 'record'): Promise<void> {
    if (this.end - this.start >= n) return;
    if (n > this.remaining) truncated(what);
    await this.fill(n);
  }

  /** Makes up to `n` bytes available (fewer only at end of file); returns how many are. */
  async want(n: number): Promise<number> {
    if (this.end - this.start < n && this.filePos < this.size) await this.fill(Math.min(n, this.remaining));
    return Math.min(n, this.end - this.start);
  }

  private async fill(n: number): Promise<void> {
    const have = this.end - this.start;
    if (n > this.buf.length) {
      const bigger = Buffer.alloc(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.buf = bigger;
    } else if (have > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
    }
    this.start = 0;
    this.end = have;
    while (this.end < n && this.filePos < this.size) {
      const { bytesRead } = await this.fh.read(this.buf, this.end, this.buf.length - this.end, this.filePos);
      if (bytesRead === 0) break;
      this.end += bytesRead;
      this.filePos += bytesRead;
    }
  }

  u8(): number {
    return this.buf[this.start++]!;
  }
  u16le(): number {
    const v = this.buf.readUInt16LE(this.start);
    this.start += 2;
    return v;
  }
  u16be(): number {
    const v = this.buf.readUInt16BE(this.start);
    this.start += 2;
    return v;
  }
  u24be(): number {
    const v = this.buf.readUIntBE(this.start, 3);
    this.start += 3;
    return v;
  }
  u32le(): number {
    const v = this.buf.readUInt32LE(this.start);
    this.start += 4;
    return v;
  }
  u32be(): number {
    const v = this.buf.readUInt32BE(this.start);
    this.start += 4;
    return v;
  }
  /** 64-bit little-endian; sizes above 2^53 are never legitimate here and are rejected. */
  u64le(what: string): number {
    const v = this.buf.readBigUInt64LE(this.start);
    this.start += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} is out of range (${v})`, 'limit');
    return Number(v);
  }
  /** A view of the next `n` bytes, valid until the next `need`/`want`. */
  bytes(n: number): Buffer {
    const v = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    return v;
  }
  peek(n: number): Buffer {
    return this.buf.subarray(this.start, this.start + n);
  }
  skipBuffered(n: number): void {
    this.start += n;
  }

  async skip(n: number, what = 'record'): Promise<void> {
    if (n > this.remaining) truncated(what);
    const have = this.end - this.start;
    if (n <= have) {
      this.start += n;
      return;
    }
    this.filePos += n - have;
    this.start = this.end = 0;
  }

  /** Streams `n` bytes to `sink` in chunks no larger than the buffer. */
  async stream(n: number, sink: (chunk: Buffer) => Promise<void> | void, what = 'data'): Promise<void> {
    if (n > this.remaining) truncated(what);
    while (n > 0) {
      const got = await this.want(Math.min(n, CHUNK));
      if (got === 0) truncated(what);
      await sink(this.bytes(got));
      n -= got;
    }
  }
}
