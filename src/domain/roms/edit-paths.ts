/**
 * File names and library paths for ROM renames and deletes. Every path that reaches the file system is built
 * here and checked to stay inside the library: names are reduced to one safe path segment, and the resulting
 * absolute path must lie strictly inside the ROM's platform directory.
 */
import { lstat, rename } from 'node:fs/promises';
import path from 'node:path';
import { AppError, badRequest, conflict } from '../../common/errors.ts';
import { resolveInside } from '../../common/paths.ts';

/** File-system limit for one name on ext4, XFS, Btrfs, ZFS, NTFS (in bytes of UTF-8). */
export const NAME_MAX_BYTES = 255;

// Bidirectional overrides and zero-width characters make a name display differently from what it is.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * RomM's `sanitize_filename` (basename only; `\ / : |` → `-`; `* ? " < > +` removed; NUL removed; trimmed;
 * empty, `.` and `..` refused), plus: NFC normalisation, control and invisible formatting characters removed, and
 * a 255-byte limit. The result is always a single path segment.
 */
export function sanitizeFsName(input: string): string {
  let name = input.normalize('NFC');
  name = name.slice(name.lastIndexOf('/') + 1);
  name = name.replace(/[\\/:|]/g, '-').replace(/[*?"<>+]/g, '').replace(CONTROL, '').replace(INVISIBLE, '').trim();
  if (!name || name === '.' || name === '..') throw badRequest('Filename cannot be empty after sanitization');
  if (Buffer.byteLength(name, 'utf8') > NAME_MAX_BYTES) throw badRequest(`File name is too long (max ${NAME_MAX_BYTES} bytes)`);
  return name;
}

/**
 * A new name asked for by a user must be one plain segment: sanitizing `../../x.sfc` to `x.sfc` would rename the file
 * to something the user did not ask for. Without separators `..` can only be the whole name, so names merely
 * containing dots (`Wait... What.sfc`) stay valid.
 */
export function refusePathAsName(field: string, input: string): void {
  if (/[/\\\0]/.test(input)) throw badRequest(`${field} must be a file name, without path separators or NUL characters`);
  const trimmed = input.trim();
  if (trimmed === '.' || trimmed === '..') throw badRequest(`${field} must be a file name, not . or ..`);
}

/** Absolute path of a library-relative directory; refuses anything that is not strictly inside the library. */
export function libraryDir(libraryRoot: string, relDir: string): string {
  const abs = resolveInside(libraryRoot, relDir);
  if (!abs) throw unsafe();
  return abs;
}

/** Absolute path of `name` inside `dir`, which must be exactly one level below it. */
export function childPath(dir: string, name: string): string {
  if (!name || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw unsafe();
  const abs = path.resolve(dir, name);
  if (path.dirname(abs) !== dir) throw unsafe();
  return abs;
}

const unsafe = () => new AppError(400, 'Path is outside the library');

/**
 * Renames `from` to `to` without replacing anything: 409 when `to` exists (unless it is the same entry, as after
 * a case-only rename on a case-insensitive file system). Returns false, touching nothing, when `from` is not on
 * disk (a ROM flagged missing can still be renamed in the database).
 */
export async function moveNoReplace(from: string, to: string, displayName: string): Promise<boolean> {
  let source;
  try {
    source = await lstat(from);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    const target = await lstat(to);
    if (!source || target.ino !== source.ino || target.dev !== source.dev) throw conflict(`Can't rename: ${displayName} already exists`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!source) return false;
  await rename(from, to);
  return true;
}
