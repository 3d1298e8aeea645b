/**
 * Opening a provider's media file safely: the real path (after every symlink) must lie inside the real path of
 * the file's root, the open handle must be a regular file, and its size is checked against the limit before a
 * byte is read. Reads never go past the size seen at open time, so a file that grows meanwhile is not a way round
 * the limit.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isInside } from '../../common/paths.ts';
import type { MediaFile } from '../types.ts';
import { MediaError } from './errors.ts';

export interface OpenSource {
  handle: FileHandle;
  realPath: string;
  size: number;
}

// O_NONBLOCK keeps a FIFO posing as a cover from blocking the open; O_NOFOLLOW refuses a last component swapped
// for a symlink after realpath. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

async function realInside(file: MediaFile): Promise<string> {
  let root: string;
  let real: string;
  try {
    root = await realpath(file.root);
  } catch {
    throw new MediaError('media-failed', file.path, `media root ${file.root} is missing`);
  }
  try {
    real = await realpath(file.path);
  } catch {
    throw new MediaError('media-failed', file.path, 'media file not found');
  }
  if (!isInside(root, real)) throw new MediaError('path-outside-root', file.path, `media file resolves outside ${file.root}`);
  return real;
}

/** `${realpath}|${size}|${mtimeMs}`, or null when the file is missing, not a regular file, or outside its root. */
export async function sourceOrigin(file: MediaFile): Promise<string | null> {
  let real: string;
  let st: Stats;
  try {
    real = await realInside(file);
    st = await stat(real);
  } catch {
    return null;
  }
  return st.isFile() ? `${real}|${st.size}|${st.mtimeMs}` : null;
}

export async function openSource(file: MediaFile, maxBytes: number, what: string): Promise<OpenSource> {
  const realPath = await realInside(file);
  let handle: FileHandle;
  try {
    handle = await open(realPath, OPEN_FLAGS);
  } catch (err) {
    throw new MediaError('media-failed', file.path, `${what} could not be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new MediaError('media-rejected', file.path, `${what} is not a regular file`);
    if (st.size === 0) throw new MediaError('media-rejected', file.path, `${what} is empty`);
    if (st.size > maxBytes) {
      throw new MediaError('media-too-large', file.path, `${what} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
    }
    return { handle, realPath, size: st.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The first `size` bytes (fewer if the file shrank); one buffer, the only copy of the file held. */
export async function readUpTo(handle: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await handle.read(buf, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === size ? buf : buf.subarray(0, done);
}
