import { open } from 'node:fs/promises';
import { crc32 } from '../checksum.ts';
import { readAll } from './target-writer.ts';

/** CRC-32 of the first `len` bytes of a patch file (BPS and UPS checksum themselves). */
export async function patchCrc32(path: string, len: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let crc = 0;
    for (let pos = 0; pos < len; ) {
      const n = Math.min(buf.length, len - pos);
      await readAll(fh, buf.subarray(0, n), pos);
      crc = crc32(buf.subarray(0, n), crc);
      pos += n;
    }
    return crc;
  } finally {
    await fh.close();
  }
}

/** The last `n` bytes of a file. */
export async function readTail(path: string, size: number, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    await readAll(fh, buf, size - n);
    return buf;
  } finally {
    await fh.close();
  }
}
