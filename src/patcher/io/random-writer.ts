import { copyFile, open, type FileHandle } from 'node:fs/promises';
import { fail } from '../errors.ts';
import { writeAll } from './target-writer.ts';

const BUFFER = 1 << 20;

/**
 * Output for the formats that copy the ROM and overwrite ranges (IPS, PPF, APS, RUP): the copy is done
 * by the kernel (copy_file_range), then records are written in place. Adjacent records are coalesced
 * into one write, since IPS patches often hold thousands of tiny records.
 */
export class RandomWriter {
  private readonly buf = Buffer.allocUnsafe(BUFFER);
  private bufPos = 0; // file offset of buf[0]
  private used = 0;
  private size: number;

  private constructor(
    private readonly fh: FileHandle,
    initialSize: number,
    private readonly maxSize: number,
  ) {
    this.size = initialSize;
  }

  static async fromSource(sourcePath: string, targetPath: string, maxSize: number): Promise<RandomWriter> {
    await copyFile(sourcePath, targetPath);
    const fh = await open(targetPath, 'r+');
    const { size } = await fh.stat();
    return new RandomWriter(fh, size, maxSize);
  }

  get length(): number {
    return Math.max(this.size, this.bufPos + this.used);
  }

  async write(pos: number, data: Uint8Array): Promise<void> {
    const end = pos + data.length;
    if (end > this.maxSize) fail(`Patched output would exceed the size limit of ${this.maxSize} bytes`, 'limit');
    if (this.used > 0 && pos === this.bufPos + this.used && this.used + data.length <= BUFFER) {
      this.buf.set(data, this.used);
      this.used += data.length;
      return;
    }
    await this.flush();
    if (data.length > BUFFER / 2) {
      await writeAll(this.fh, data, pos);
      this.size = Math.max(this.size, end);
      return;
    }
    this.bufPos = pos;
    this.buf.set(data, 0);
    this.used = data.length;
  }

  async fill(pos: number, value: number, n: number): Promise<void> {
    const chunk = Buffer.alloc(Math.min(n, BUFFER / 2), value);
    while (n > 0) {
      const k = Math.min(n, chunk.length);
      await this.write(pos, chunk.subarray(0, k));
      pos += k;
      n -= k;
    }
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    await writeAll(this.fh, this.buf.subarray(0, this.used), this.bufPos);
    this.size = Math.max(this.size, this.bufPos + this.used);
    this.used = 0;
  }

  /** Sets the final size (IPS truncation, RUP/APS target size). */
  async truncate(size: number): Promise<void> {
    if (size > this.maxSize) fail(`Patched output would exceed the size limit of ${this.maxSize} bytes`, 'limit');
    await this.flush();
    await this.fh.truncate(size);
    this.size = size;
  }

  /** Reads back current output bytes (for checks after writing). */
  async read(pos: number, dst: Buffer): Promise<number> {
    await this.flush();
    const { bytesRead } = await this.fh.read(dst, 0, dst.length, pos);
    return bytesRead;
  }

  async close(): Promise<number> {
    await this.flush();
    const { size } = await this.fh.stat();
    await this.fh.close();
    return size;
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}
