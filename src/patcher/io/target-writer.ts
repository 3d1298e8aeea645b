import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from '../checksum.ts';
import { fail } from '../errors.ts';

const BUFFER = 4 << 20;

/**
 * Sequential writer of the patched output through one bounded buffer. Keeps a running CRC-32 when asked
 * and can copy from any earlier output byte (BPS TargetCopy), reading back from the file when the bytes
 * have already been flushed.
 */
export class TargetWriter {
  private buf = Buffer.allocUnsafe(BUFFER);
  private used = 0;
  private flushed = 0; // bytes already in the file
  private crc = 0;

  private constructor(
    private readonly fh: FileHandle,
    private readonly maxSize: number,
    private readonly withCrc: boolean,
  ) {}

  static async create(path: string, maxSize: number, withCrc = false): Promise<TargetWriter> {
    return new TargetWriter(await open(path, 'w+'), maxSize, withCrc);
  }

  get length(): number {
    return this.flushed + this.used;
  }

  get crc32(): number {
    return this.crc;
  }

  /** Reserve room for `n` more bytes, flushing when the buffer is full. */
  private async room(n: number): Promise<void> {
    if (this.length + n > this.maxSize) {
      fail(`Patched output would exceed the size limit of ${this.maxSize} bytes`, 'limit');
    }
    if (this.used + n > this.buf.length) await this.flush();
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.length + data.length > this.maxSize) {
      fail(`Patched output would exceed the size limit of ${this.maxSize} bytes`, 'limit');
    }
    if (data.length >= this.buf.length) {
      await this.flush();
      if (this.withCrc) this.crc = crc32(data, this.crc);
      await writeAll(this.fh, data, this.flushed);
      this.flushed += data.length;
      return;
    }
    await this.room(data.length);
    this.buf.set(data, this.used);
    this.used += data.length;
  }

  /** Direct access to `n` bytes of buffer space to fill in place (n ≤ 4 MiB); commit with `commit(n)`. */
  async reserve(n: number): Promise<Buffer> {
    await this.room(n);
    return this.buf.subarray(this.used, this.used + n);
  }

  commit(n: number): void {
    this.used += n;
  }

  async fill(value: number, n: number): Promise<void> {
    while (n > 0) {
      const k = Math.min(n, this.buf.length >> 1);
      const dst = await this.reserve(k);
      dst.fill(value);
      this.commit(k);
      n -= k;
    }
  }

  /**
   * Appends `len` bytes copied from output offset `from` (< length). Overlapping copies repeat the pattern,
   * byte by byte, as BPS and VCDIFF require.
   */
  async copyFromOutput(from: number, len: number): Promise<void> {
    if (from < 0 || from >= this.length) fail('Patch copies from output that was not written yet');
    while (len > 0) {
      if (from < this.flushed) {
        const n = Math.min(len, this.flushed - from, 1 << 20);
        const dst = await this.reserve(n);
        await readAll(this.fh, dst, from);
        this.commit(n);
        from += n;
        len -= n;
        continue;
      }
      const distance = this.length - from;
      const n = Math.min(len, this.buf.length >> 1);
      const dst = await this.reserve(n);
      // reserve() may have flushed: recompute where `from` lives.
      if (from < this.flushed) continue;
      const src = from - this.flushed;
      const out = this.used;
      if (distance >= n) {
        this.buf.copy(this.buf, out, src, src + n);
      } else {
        // Overlapping: the output repeats with period `distance`; copy whole periods at a time.
        let done = 0;
        while (done < n) {
          const periods = Math.floor((out + done - src) / distance) * distance;
          const k = Math.min(n - done, periods);
          this.buf.copy(this.buf, out + done, out + done - periods, out + done - periods + k);
          done += k;
        }
      }
      void dst;
      this.commit(n);
      from += n;
      len -= n;
    }
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const data = this.buf.subarray(0, this.used);
    if (this.withCrc) this.crc = crc32(data, this.crc);
    await writeAll(this.fh, data, this.flushed);
    this.flushed += this.used;
    this.used = 0;
  }

  /** Reads back already-written output (flushes first). */
  async readBack(pos: number, len: number, dst: Uint8Array, dstOff = 0): Promise<void> {
    await this.flush();
    if (pos + len > this.flushed) fail('Patch copies from output that was not written yet');
    await readAll(this.fh, dst.subarray(dstOff, dstOff + len), pos);
  }

  async close(): Promise<number> {
    await this.flush();
    await this.fh.close();
    return this.flushed;
  }

  /** Closes without flushing, after an error. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

export async function writeAll(fh: FileHandle, data: Uint8Array, pos: number): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off, pos + off);
    off += bytesWritten;
  }
}

export async function readAll(fh: FileHandle, dst: Uint8Array, pos: number): Promise<void> {
  let off = 0;
  while (off < dst.length) {
    const { bytesRead } = await fh.read(dst, off, dst.length - off, pos + off);
    if (bytesRead === 0) fail('Unexpected end of file while patching');
    off += bytesRead;
  }
}
