import { open } from 'node:fs/promises';

/** Read size: large enough for full disk and socket throughput, small enough to keep memory flat. */
export const CHUNK_SIZE = 1024 * 1024;

/** The file on disk is not the one the response was planned for. */
export class FileChangedError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path} changed on disk (${reason})`);
    this.name = 'FileChangedError';
  }
}

export interface Expected {
  size: number;
  /** Compared at millisecond precision; null skips the check. */
  mtimeMs: number | null;
}

/** Same modification time at millisecond precision (databases and file systems round differently). */
export const sameMtime = (a: number, b: number): boolean => Math.abs(a - b) < 1;

/**
 * Yields bytes [start, end) of a file. The handle is opened lazily, checked against the planned size and
 * mtime (a changed file would corrupt a zip or a resumed download), and closed as soon as the consumer stops,
 * whether it finished, failed or the client went away.
 */
export async function* readFileRange(
  path: string,
  start: number,
  end: number,
  expected: Expected,
  take: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
): AsyncGenerator<Buffer> {
  if (end <= start) return;
  const handle = await open(path, 'r');
  try {
    const st = await handle.stat();
    if (st.size !== expected.size) throw new FileChangedError(path, `size ${st.size}, expected ${expected.size}`);
    if (expected.mtimeMs !== null && !sameMtime(st.mtimeMs, expected.mtimeMs)) {
      throw new FileChangedError(path, 'modification time differs');
    }
    let position = start;
    while (position < end) {
      const want = Math.min(CHUNK_SIZE, end - position);
      // A buffer the consumer no longer holds (fresh, or returned to a ChunkPool after the socket took it).
      const buf = take(want);
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await handle.read(buf, filled, want - filled, position + filled);
        if (bytesRead === 0) throw new FileChangedError(path, 'file shrank while reading');
        filled += bytesRead;
      }
      position += want;
      yield buf;
    }
  } finally {
    await handle.close();
  }
}
