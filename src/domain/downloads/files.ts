import { lstat, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { crc32OfFile } from '../../archive/crc.ts';
import { archiveKindOfHead, archiveKindOfName, MAGIC_LENGTH } from '../../archive/kinds.ts';
import { isInside, isInsideOrAt } from '../../common/paths.ts';
import { fileIdentity, sameChange, sameMtime } from '../../common/file-identity.ts';
import type { DownloadFile, DownloadsRepository, RawCrc } from '../../db/repositories/downloads-repository.ts';

/** A database file row located on disk: the path to read and the identity the response is planned for. */
export interface ResolvedFile {
  file: DownloadFile;
  path: string;
  size: number;
  mtimeMs: number;
  /** Change time (whole ms) and inode: what a same-size rewrite with its mtime set back cannot keep. */
  ctimeMs: number;
  ino: number;
}

const STAT_CONCURRENCY = 32;

/**
 * Maps database rows to files under LIBRARY_PATH. Paths come only from the database and are checked with
 * realpath, so neither a crafted row nor a symlink can reach outside the library.
 */
export class LibraryFiles {
  private root: Promise<string> | null = null;

  constructor(
    private readonly libraryPath: string,
    private readonly repo: DownloadsRepository,
    private readonly logger: Logger,
  ) {}

  private realRoot(): Promise<string> {
    this.root ??= realpath(this.libraryPath).catch(() => path.resolve(this.libraryPath));
    return this.root;
  }

  /** The file on disk, or null when it is missing, not a regular file or outside the library. */
  async resolve(file: DownloadFile, dirs = new Map<string, Promise<string | null>>()): Promise<ResolvedFile | null> {
    const found = await this.locate(file.file_path, file.file_name, dirs);
    return found ? { file, ...found } : null;
  }

  /**
   * A library file named by its library-relative folder and file name (as the database records them): its real
   * path and identity, or null when it is missing, not a regular file, or (through `..` or a symlink) outside the
   * library.
   */
  async locate(filePath: string, fileName: string, dirs = new Map<string, Promise<string | null>>()): Promise<Omit<ResolvedFile, 'file'> | null> {
    const root = await this.realRoot();
    const inside = (p: string) => isInsideOrAt(root, p);
    const lexical = path.resolve(this.libraryPath, filePath, fileName);
    if (!isInside(this.libraryPath, lexical) || fileName.includes('/') || fileName === '..') return null;
    const dirAbs = path.dirname(lexical);
    let dir = dirs.get(dirAbs);
    if (!dir) {
      dir = realpath(dirAbs).then((p) => (inside(p) ? p : null), () => null);
      dirs.set(dirAbs, dir);
    }
    const realDir = await dir;
    if (!realDir) return null;
    let target = path.join(realDir, fileName);
    try {
      const link = await lstat(target);
      if (link.isSymbolicLink()) {
        target = await realpath(target);
        if (!inside(target)) return null;
      }
      const st = link.isSymbolicLink() ? await stat(target) : link;
      if (!st.isFile()) return null;
      const { ctimeMs, ino } = fileIdentity(st);
      return { path: target, size: st.size, mtimeMs: st.mtimeMs, ctimeMs, ino };
    } catch {
      return null;
    }
  }

  /** Resolves many rows with bounded concurrency; the result keeps the input order. */
  async resolveAll(files: readonly DownloadFile[]): Promise<(ResolvedFile | null)[]> {
    const dirs = new Map<string, Promise<string | null>>();
    const out: (ResolvedFile | null)[] = new Array<ResolvedFile | null>(files.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        out[i] = await this.resolve(files[i] as DownloadFile, dirs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, files.length) }, worker));
    return out;
  }

  /**
   * CRC-32 of each file's raw bytes. Taken from the raw-CRC cache when it matches the file's size, mtime, change
   * time and inode, else from the scanner's `crc_hash` when that provably covers the raw bytes (unchanged plain
   * file, same four), else computed now by reading the file once, and cached so the next request is instant.
   * Records without a change time (from before it was kept) are never trusted: the file is read again.
   */
  async rawCrcs(files: readonly ResolvedFile[]): Promise<number[]> {
    const cached = await this.repo.rawCrcs(files.map((f) => f.file.id));
    const fresh: RawCrc[] = [];
    const out: number[] = [];
    for (const f of files) {
      const hit = cached.get(f.file.id);
      if (hit && hit.size_bytes === f.size && sameMtime(hit.mtime_ms, f.mtimeMs)
        && sameChange({ ctimeMs: hit.ctime_ms, ino: hit.ino }, f) && /^[0-9a-f]{8}$/.test(hit.crc)) {
        out.push(parseInt(hit.crc, 16));
        continue;
      }
      let crc: number;
      if (await this.scannerCrcIsRaw(f)) {
        crc = parseInt(f.file.crc_hash as string, 16);
      } else {
        this.logger.info({ file: f.path, size: f.size }, 'computing CRC-32 for a zip download');
        crc = await crc32OfFile(f.path, f.size, f.mtimeMs, { ctimeMs: f.ctimeMs, ino: f.ino });
      }
      out.push(crc);
      fresh.push({
        rom_file_id: f.file.id, size_bytes: f.size, mtime_ms: f.mtimeMs, ctime_ms: f.ctimeMs, ino: f.ino,
        crc: crc.toString(16).padStart(8, '0'),
      });
    }
    // A cache write that loses a race with another download is harmless: both computed the same value.
    await this.repo.saveRawCrcs(fresh, Date.now()).catch((err: unknown) => this.logger.warn({ err }, 'could not cache raw CRCs'));
    return out;
  }

  private async scannerCrcIsRaw(f: ResolvedFile): Promise<boolean> {
    const { crc_hash: crc, file_size_bytes: size, last_modified: mtime, file_ctime_ms: ctimeMs, file_ino: ino } = f.file;
    if (!crc || !/^[0-9a-f]{8}$/i.test(crc) || size !== f.size || mtime === null || !sameMtime(mtime, f.mtimeMs)) return false;
    if (!sameChange({ ctimeMs, ino }, f)) return false;
    // Any archive or compressed kind, readable by the scanner or not, may have been hashed by its content.
    if (archiveKindOfName(f.file.file_name)) return false;
    if (f.size === 0) return true;
    const handle = await open(f.path, 'r');
    try {
      const head = Buffer.alloc(MAGIC_LENGTH);
      const { bytesRead } = await handle.read(head, 0, MAGIC_LENGTH, 0);
      return archiveKindOfHead(head.subarray(0, bytesRead)) === null;
    } finally {
      await handle.close();
    }
  }
}
