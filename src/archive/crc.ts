import { crc32 } from 'node:zlib';
import { FileChangedError, readFileRange, type Expected } from './file-range.ts';

/** CRC-32 of a file's raw bytes, streamed once; fails when the file changes while it is read. */
export async function crc32OfFile(
  path: string, size: number, mtimeMs: number, change: Pick<Expected, 'ctimeMs' | 'ino'> = {},
): Promise<number> {
  let crc = 0;
  let seen = 0;
  for await (const chunk of readFileRange(path, 0, size, { ...change, size, mtimeMs })) {
    crc = crc32(chunk, crc);
    seen += chunk.length;
  }
  if (seen !== size) throw new FileChangedError(path, 'short read');
  return crc >>> 0;
}

export const crcToHex = (crc: number): string => (crc >>> 0).toString(16).padStart(8, '0');

export const crcOfBytes = (data: Buffer | string): number => crc32(data) >>> 0;
