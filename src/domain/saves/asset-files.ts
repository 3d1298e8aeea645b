import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError, badRequest } from '../../common/errors.ts';
import { isInside } from '../../common/paths.ts';
import { sanitizeFilename } from '../downloads/names.ts';
import type { ResolvedFile } from '../downloads/files.ts';

/** One uploaded file part: the client's name and its bytes. */
export interface UploadPart {
  filename: string;
  file: Readable;
  /** True once the part was cut at the size limit (known after its stream ended). */
  truncated(): boolean;
}

/** Upload and restore temporary files are named so, in the folder of their destination. */
export const TEMP_PREFIX = '.romm_tmp_';

/** A fully written, fsynced temporary file next to its destination. */
export interface StagedFile {
  temp: string;
  size: number;
  md5: string;
}

/** `asset.file_name` is a varchar(450). */
const MAX_NAME_LENGTH = 450;
/** The longest file name common file systems store. */
const MAX_NAME_BYTES = 255;
/** Zips that would expand beyond this are hashed as plain files (no unbounded decompression for a hash). */
const MAX_ZIP_HASH_BYTES = 1024 ** 3;

/** RomM's per-user folder name: `"User:<id>"` as hex, stable across renames. */
export const userFolder = (userId: number): string => Buffer.from(`User:${userId}`).toString('hex');

/**
 * The stored name of an uploaded asset: RomM's `sanitize_filename` (basename, `\ / : |` to `-`, `* ? " < > +` and NUL
 * removed, trimmed), plus: no other control characters, at most 450 characters. Errors read `Invalid <what>
 * filename: <reason>`.
 */
export function assetFileName(raw: string, what: string): string {
  try {
    const name = sanitizeFilename(raw);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) throw badRequest('Filename contains control characters');
    checkNameLength(name);
    return name;
  } catch (err) {
    if (err instanceof AppError) throw badRequest(`Invalid ${what} filename: ${err.message}`);
    throw err;
  }
}

/**
 * A stored name fits its column (450 characters) and the file system (255 bytes per name on common ones; longer
 * would fail the write with a 500).
 */
export function checkNameLength(name: string): void {
  if ([...name].length > MAX_NAME_LENGTH) throw badRequest(`Filename is longer than ${MAX_NAME_LENGTH} characters`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw badRequest(`Filename is longer than ${MAX_NAME_BYTES} bytes`);
}

/** An emulator folder name: one plain path segment of at most 50 characters; empty means none. */
export function emulatorSegment(raw: string | undefined): string | null {
  const value = raw?.trim() ?? '';
  if (!value) return null;
  // eslint-disable-next-line no-control-regex
  if (value === '.' || value === '..' || /[/\\:*?"<>|\u0000-\u001f\u007f]/.test(value) || [...value].length > 50) {
    throw badRequest(`Invalid emulator: ${JSON.stringify(value.slice(0, 60))}`);
  }
  return value;
}

/** RomM's file-name fields (§0.2): extension by `\.(([a-z]+\.)*\w+)$`, name without it, and without trailing tags. */
export function assetNameFields(fileName: string): { file_name_no_tags: string; file_name_no_ext: string; file_extension: string } {
  const m = /\.(([a-z]+\.)*\w+)$/u.exec(fileName);
  const ext = m?.[1] ?? '';
  const noExt = (m ? fileName.slice(0, m.index) : fileName).trim();
  const noTags = noExt.replace(/(\s*(\([^()]*\)|\[[^[\]]*\]))+$/u, '').trim();
  return { file_name_no_tags: noTags, file_name_no_ext: noExt, file_extension: ext };
}

/** Python's `os.path.splitext` stem and extension (leading dots never start an extension). */
export function splitExt(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(name.slice(0, dot))) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

const DATETIME_TAG = / \[\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\]/g;

/** RomM's slot naming: `name [YYYY-MM-DD_HH-MM-SS].ext` in UTC, replacing any such tag already in the stem. */
export function withDatetimeTag(fileName: string, now: number): string {
  const [stem, ext] = splitExt(fileName);
  const iso = new Date(now).toISOString();
  const tag = `${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '-')}`;
  return `${stem.replace(DATETIME_TAG, '')} [${tag}]${ext}`;
}

/**
 * The assets root (`DATA_PATH/assets`) and every file operation under it. Relative paths come from the database
 * (built by the server, never by a client) and are still checked to stay inside the root after resolving symlinks.
 */
export class AssetStore {
  constructor(readonly root: string) {}

  /** Absolute path of a folder under the root; 500-free: an escaping path is a 400. */
  abs(rel: string, ...more: string[]): string {
    const full = path.resolve(this.root, rel, ...more);
    if (!isInside(this.root, full)) throw badRequest('Invalid asset path');
    return full;
  }

  /** Creates the folder and checks that, symlinks resolved, it is still inside the root. */
  async ensureDir(rel: string): Promise<string> {
    const dir = this.abs(rel);
    await mkdir(dir, { recursive: true });
    const [root, real] = await Promise.all([realpath(this.root), realpath(dir)]);
    if (!isInside(root, real)) throw new AppError(409, 'Asset folder is outside the assets root');
    return dir;
  }

  /**
   * Streams a part to a temporary file in `dir` (same file system as its destination), hashing it; fsyncs it. Over
   * `maxBytes` (0: no limit) the temporary file is removed and a 413 names `what`.
   */
  async stage(dir: string, part: UploadPart, maxBytes: number, what: string): Promise<StagedFile> {
    const temp = path.join(dir, `${TEMP_PREFIX}${randomUUID()}`);
    const md5 = createHash('md5');
    let size = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(part.file, tee, createWriteStream(temp, { flags: 'wx', mode: 0o644 }));
      if (part.truncated() || (maxBytes > 0 && size > maxBytes)) {
        throw new AppError(413, `${what} exceeds the maximum allowed size of ${maxBytes} bytes`);
      }
      await fsyncFile(temp);
    } catch (err) {
      part.file.resume();
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    return { temp, size, md5: md5.digest('hex') };
  }

  /** Copies a stored file to a fsynced temporary file in `dir`. */
  async stageCopy(dir: string, source: string): Promise<string> {
    const temp = path.join(dir, `${TEMP_PREFIX}${randomUUID()}`);
    try {
      await copyFile(source, temp);
      await fsyncFile(temp);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    return temp;
  }

  /** Moves a staged file into place (atomic on one file system) and syncs the folder entry. */
  async commit(temp: string, dest: string): Promise<void> {
    await rename(temp, dest);
    await fsyncDir(path.dirname(dest));
  }

  async discard(temp: string): Promise<void> {
    await unlink(temp).catch(() => undefined);
  }

  /**
   * Keeps a copy of `source` at `dest` (a hard link when possible: no bytes copied, and the original path still holds
   * its content until the caller replaces it). False when the source does not exist.
   */
  async preserve(source: string, dest: string): Promise<boolean> {
    await mkdir(path.dirname(dest), { recursive: true });
    try {
      await link(source, dest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      await copyFile(source, dest);
      await fsyncFile(dest);
    }
    await fsyncDir(path.dirname(dest));
    return true;
  }

  /**
   * Removes temporary files a crash left behind: regular files named `.romm_tmp_*` under the root whose last write is
   * older than `olderThanMs` (a live upload writes to its file all the time). Symlinks are neither followed nor
   * removed; nothing else is touched. Returns how many were removed.
   */
  async sweepTemps(olderThanMs: number, now = Date.now()): Promise<number> {
    const cutoff = now - olderThanMs;
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile() && entry.name.startsWith(TEMP_PREFIX)) {
          const st = await lstat(full).catch(() => null);
          if (!st?.isFile() || st.mtimeMs >= cutoff) continue;
          if (await unlink(full).then(() => true, () => false)) removed++;
        }
      }
    };
    await walk(this.root);
    return removed;
  }

  async remove(file: string): Promise<void> {
    await unlink(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** A regular file inside the root (symlinks resolved), with what a download needs; null when missing. */
  async locate(file: string): Promise<Omit<ResolvedFile, 'file'> | null> {
    try {
      const st = await lstat(file);
      if (!st.isFile()) return null;
      const [root, real] = await Promise.all([realpath(this.root), realpath(file)]);
      if (!isInside(root, real)) return null;
      const s = await stat(real, { bigint: false });
      return { path: real, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: Math.floor(s.ctimeMs), ino: s.ino };
    } catch {
      return null;
    }
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some file systems (and Windows) cannot sync a directory; the rename itself is still atomic.
  }
}

/** The MD5 of a file's bytes, streamed. */
export async function fileMd5(file: string): Promise<string> {
  const md5 = createHash('md5');
  await pipeline(createReadStream(file), new Transform({
    transform(chunk: Buffer, _enc, done) {
      md5.update(chunk);
      done();
    },
  }));
  return md5.digest('hex');
}

/**
 * RomM's save `content_hash`: the MD5 of the file, or, for a zip, the MD5 of `"<entry>:<md5 of entry>"` lines (joined
 * by `\n`) of every file entry sorted by name. A file that is not a readable zip keeps its plain MD5.
 */
export async function contentHash(file: string, plainMd5: string): Promise<string> {
  const lines = await zipEntryHashes(file).catch(() => null);
  if (!lines) return plainMd5;
  return createHash('md5').update(lines.join('\n')).digest('hex');
}

function zipEntryHashes(file: string): Promise<string[] | null> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err) {
        resolve(null);
        return;
      }
      const out: [string, string][] = [];
      zip.on('error', reject);
      zip.on('end', () => {
        out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        resolve(out.map(([n, h]) => `${n}:${h}`));
      });
      let expanded = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        expanded += entry.uncompressedSize;
        if (expanded > MAX_ZIP_HASH_BYTES) {
          zip.close();
          resolve(null);
          return;
        }
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e) {
            reject(e);
            return;
          }
          const h = createHash('md5');
          stream.on('data', (c: Buffer) => h.update(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push([entry.fileName, h.digest('hex')]);
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
