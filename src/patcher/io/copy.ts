import type { SourceReader } from './source-reader.ts';
import type { TargetWriter } from './target-writer.ts';

const CHUNK = 1 << 20;

/**
 * Appends source bytes [pos, pos+len) to the output without an intermediate copy. With `zeroPastEnd`,
 * bytes beyond the end of the source read as zero (UPS, APS); otherwise reading past the end throws.
 */
export async function copySource(
  src: SourceReader,
  out: TargetWriter,
  pos: number,
  len: number,
  zeroPastEnd = false,
  onSource?: (bytes: Buffer) => void,
): Promise<void> {
  while (len > 0) {
    const n = Math.min(len, CHUNK);
    const dst = await out.reserve(n);
    await readSourceInto(src, pos, n, dst, zeroPastEnd);
    onSource?.(dst.subarray(0, Math.max(0, Math.min(n, src.size - pos))));
    out.commit(n);
    pos += n;
    len -= n;
  }
}

export async function readSourceInto(
  src: SourceReader,
  pos: number,
  n: number,
  dst: Buffer,
  zeroPastEnd: boolean,
): Promise<void> {
  const inSource = zeroPastEnd ? Math.max(0, Math.min(n, src.size - pos)) : n;
  if (inSource > 0) await src.read(pos, inSource, dst, 0);
  if (inSource < n) dst.fill(0, Math.max(inSource, 0), n);
}

/** CRC-32 of the whole source, read sequentially in bounded chunks. */
export async function sourceCrc32(src: SourceReader, crc: (data: Uint8Array, prev: number) => number): Promise<number> {
  let value = 0;
  await src.scan(0, src.size, (chunk) => {
    value = crc(chunk, value);
  });
  return value;
}
