import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { Hashes } from './types.ts';

export type Sink = (chunk: Uint8Array) => void;

/** CRC32 + MD5 + SHA-1 updated from the same chunks: one read of the data feeds all three. */
export class MultiHasher {
  private crc = 0;
  private readonly md5: Hash = createHash('md5');
  private readonly sha1: Hash = createHash('sha1');
  bytes = 0;

  update(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.crc = crc32(chunk, this.crc);
    this.md5.update(chunk);
    this.sha1.update(chunk);
    this.bytes += chunk.length;
  }

  /** RomM's rendering: lowercase hex (CRC32 as 8 big-endian digits), `""` for a hash that saw no bytes. */
  digest(): Hashes {
    if (this.bytes === 0) return { crc: '', md5: '', sha1: '' };
    return this.digestAlways();
  }

  /** The digests even of no bytes (an empty firmware file has RomM's MD5 of nothing, not `""`). */
  digestAlways(): Hashes {
    return {
      crc: (this.crc >>> 0).toString(16).padStart(8, '0'),
      md5: this.md5.digest('hex'),
      sha1: this.sha1.digest('hex'),
    };
  }
}

/** Size and hashes of a file's raw bytes, read as a stream (never whole in memory). */
export async function hashRawFile(abs: string): Promise<Hashes & { size: number }> {
  const h = new MultiHasher();
  for await (const chunk of createReadStream(abs, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) h.update(chunk);
  return { ...h.digestAlways(), size: h.bytes };
}
