import { CHUNK_SIZE } from './file-range.ts';

/**
 * Reusable read buffers for one download. A chunk goes back to the pool only once the socket has taken it
 * (the write callback fired), so at most a few buffers exist per download and no garbage is made per chunk:
 * memory stays flat at any throughput instead of waiting for the GC to free a buffer per MiB sent.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];
  private readonly owned = new WeakSet<ArrayBufferLike>();

  constructor(private readonly keep = 4) {}

  take(size: number): Buffer {
    if (size > CHUNK_SIZE) return Buffer.allocUnsafe(size);
    let buf = this.free.pop();
    if (!buf) {
      buf = Buffer.allocUnsafeSlow(CHUNK_SIZE);
      this.owned.add(buf.buffer);
    }
    return buf.subarray(0, size);
  }

  /** Returns the buffer behind `chunk` when it came from this pool; other buffers are left to the GC. */
  release(chunk: Buffer): void {
    if (!this.owned.has(chunk.buffer) || this.free.length >= this.keep) return;
    if (this.free.some((b) => b.buffer === chunk.buffer)) return;
    this.free.push(Buffer.from(chunk.buffer, 0, CHUNK_SIZE));
  }
}
