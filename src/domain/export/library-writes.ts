/**
 * The two ways an export writes into the library: a whole file replaced atomically (temp file in the same folder,
 * then rename, the previous file kept once as `<name>.bak`), and a media file linked or copied in beside it. Neither
 * follows a symlink planted at the destination, and neither writes outside the platform folder.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isInsideOrAt } from '../../common/paths.ts';

/** Buffers text and writes it in 64 KiB blocks. */
export interface TextSink {
  write(text: string): Promise<void>;
}

const BLOCK = 64 * 1024;

const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Writes `dir/name` from `produce`, atomically; an existing file is first kept as `name.bak`, unless one exists. */
export async function replaceFile(dir: string, name: string, produce: (sink: TextSink) => Promise<void>): Promise<void> {
  const target = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    let pending = '';
    const sink: TextSink = {
      write: async (text) => {
        pending += text;
        if (pending.length >= BLOCK) {
          const out = pending;
          pending = '';
          await fh.write(out);
        }
      },
    };
    await produce(sink);
    if (pending) await fh.write(pending);
    await fh.sync();
    await fh.close();
    await backupOnce(target, `${target}.bak`);
    await rename(tmp, target);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Keeps the file about to be replaced as `bak`, the first time only (a hard link costs nothing). */
async function backupOnce(target: string, bak: string): Promise<void> {
  try {
    const st = await lstat(target);
    if (!st.isFile()) return;
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    throw err;
  }
  try {
    await link(target, bak);
  } catch (err) {
    const code = errCode(err);
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw err;
    await copyFile(target, bak, constants.COPYFILE_EXCL).catch((e: unknown) => {
      if (errCode(e) !== 'EEXIST') throw e;
    });
  }
}

/**
 * Creates the folders from `root` down to `dir` one at a time, refusing any that exists as a symlink or a file, so
 * a link planted in the platform folder (`assets` → elsewhere) is never followed. Returns `dir`'s real path.
 */
async function makeFoldersInside(root: string, dir: string): Promise<string> {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`asset folder leaves the platform folder: ${dir}`);
  let current = root;
  for (const segment of rel.split(path.sep).filter(Boolean)) {
    current = path.join(current, segment);
    try {
      const st = await lstat(current);
      if (!st.isDirectory()) throw new Error(`not a plain folder: ${current}`);
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
      await mkdir(current).catch((e: unknown) => {
        if (errCode(e) !== 'EEXIST') throw e;
      });
    }
  }
  const [realDir, realRoot] = await Promise.all([realpath(dir), realpath(root)]);
  if (!isInsideOrAt(realRoot, realDir)) throw new Error(`asset folder leaves the platform folder: ${dir}`);
  return realDir;
}

/**
 * Places `source` at `dest` (hard link, else copy) unless something is already there, as RomM's exporters do.
 * `dest` must stay inside `platformDir` after resolving the folders on the way. False when the source is missing.
 */
export async function placeAsset(source: string, dest: string, platformDir: string): Promise<boolean> {
  try {
    if (!(await lstat(source)).isFile()) return false;
  } catch {
    return false;
  }
  const realDir = await makeFoldersInside(platformDir, path.dirname(dest));
  const final = path.join(realDir, path.basename(dest));
  try {
    await lstat(final);
    return true;
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw err;
  }
  const tmp = path.join(realDir, `.romshelf-asset-${randomBytes(6).toString('hex')}`);
  try {
    try {
      await link(source, tmp);
    } catch {
      await copyFile(source, tmp, constants.COPYFILE_EXCL);
    }
    await rename(tmp, final);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return true;
}
