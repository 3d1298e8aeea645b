import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileIdentity, sameMtime } from '../common/file-identity.ts';

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
  /** Change time (whole ms) and inode the plan saw: they catch a same-size rewrite with its mtime set back. */
  ctimeMs?: number;
  ino?: number;
}

function changed(st: Stats, expected: Expected): string | null {
  if (st.size !== expected.size) return `size ${st.size}, expected ${expected.size}`;
  if (expected.mtimeMs !== null && !sameMtime(st.mtimeMs, expected.mtimeMs)) return 'modification time differs';
  const now = fileIdentity(st);
  if (expected.ino !== undefined && now.ino !== expected.ino) return 'replaced by another file';
  if (expected.ctimeMs !== undefined && now.ctimeMs !== expected.ctimeMs) return 'rewritten';
  return null;
}

/**
 * Yields bytes [start, end) of a file. The handle is opened lazily, checked against the planned size, mtime,
 * change time and inode (a changed file would corrupt a zip or a resumed download), checked again after the last
 * read (a write during the read changes the change time) before the last bytes go out, and closed as soon as the
 * consumer stops, whether it finished, failed or the client went away.
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
    const before = changed(await handle.stat(), expected);
    if (before) throw new FileChangedError(path, before);
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
      if (position >= end) {
        const during = changed(await handle.stat(), expected);
        if (during) throw new FileChangedError(path, `${during} while reading`);
      }
      yield buf;
    }
  } finally {
    await handle.close();
  }
}
