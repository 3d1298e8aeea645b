import { readdir, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { fileIdentity } from '../common/file-identity.ts';
import type { Exclusions } from '../library/exclusions.ts';
import type { ScanIssues } from './issues.ts';

/** A ROM candidate in a platform folder: a file (single-file ROM) or a folder (multi-file ROM). */
export interface RomEntry {
  fsName: string;
  isDir: boolean;
}

/** A file on disk with what the scanner compares on rescans. */
export interface DiskFile {
  abs: string;
  /** Library-relative directory of the file, with `/`. */
  relDir: string;
  name: string;
  size: number;
  mtimeMs: number;
  /** Change time (whole ms) and inode: a same-size rewrite with its mtime set back still changes them. */
  ctimeMs: number;
  ino: number;
}

/** Longest name that fits `roms.fs_name` / `rom_files.file_name`. */
const MAX_NAME_LENGTH = 450;

/** A name that is not valid UTF-8 cannot be stored or served faithfully: it is reported and skipped. */
function decodeName(raw: Buffer): string | null {
  const name = raw.toString('utf8');
  return Buffer.from(name, 'utf8').equals(raw) ? name : null;
}

async function readEntries(dir: string, issues: ScanIssues): Promise<{ name: string; dirent: Dirent<Buffer> }[]> {
  let dirents: Dirent<Buffer>[];
  try {
    dirents = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    issues.add('unreadable', dir, err);
    return [];
  }
  const out: { name: string; dirent: Dirent<Buffer> }[] = [];
  for (const dirent of dirents) {
    const name = decodeName(dirent.name);
    if (name === null) {
      issues.add('invalid-name', path.join(dir, dirent.name.toString('utf8')), 'name is not valid UTF-8');
      continue;
    }
    if (name.length > MAX_NAME_LENGTH) {
      issues.add('invalid-name', path.join(dir, name), `name longer than ${MAX_NAME_LENGTH} characters`);
      continue;
    }
    out.push({ name, dirent });
  }
  return out;
}

/** Kind of a directory entry, following symlinks; null (and an issue) when it cannot be resolved. */
async function entryKind(abs: string, dirent: Dirent<Buffer>, issues: ScanIssues): Promise<'file' | 'dir' | null> {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isSymbolicLink()) {
    try {
      const s = await stat(abs);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
    } catch (err) {
      issues.add('unreadable', abs, err);
      return null;
    }
  }
  return null;
}

/** The ROM candidates of one platform folder (non-recursive), exclusions applied, sorted by name. */
/**
 * Media folders EmulationStation-family frontends keep beside their gamelist.xml (`./images/x.png` …, and the
 * folders RomM's gamelist reader searches). In a platform folder that has a gamelist.xml they hold artwork, not a
 * multi-file ROM.
 */
const GAMELIST_MEDIA_DIRS = new Set([
  'images', 'videos', 'manuals', 'media', 'covers', 'backcovers', '3dboxes', 'fanart', 'marquees', 'miximages',
  'miximages_v2', 'physicalmedia', 'screenshots', 'titlescreens', 'thumbnails', 'wheel', 'downloaded_images',
  'downloaded_videos', 'downloaded_media',
]);

export async function listRomEntries(platformAbs: string, exclusions: Exclusions, issues: ScanIssues): Promise<RomEntry[]> {
  const entries: RomEntry[] = [];
  const listed = await readEntries(platformAbs, issues);
  const hasGamelist = listed.some(({ name, dirent }) => name.toLowerCase() === 'gamelist.xml' && !dirent.isDirectory());
  for (const { name, dirent } of listed) {
    const kind = await entryKind(path.join(platformAbs, name), dirent, issues);
    if (kind === 'file' && !exclusions.singleFile(name)) entries.push({ fsName: name, isDir: false });
    else if (kind === 'dir' && !exclusions.romDir(name) && !(hasGamelist && GAMELIST_MEDIA_DIRS.has(name.toLowerCase()))) {
      entries.push({ fsName: name, isDir: true });
    }
  }
  return entries.sort((a, b) => (a.fsName < b.fsName ? -1 : a.fsName > b.fsName ? 1 : 0));
}

/**
 * Firmware files of one platform (spec §3.1): the direct files of its firmware folder (sub-folders are ignored,
 * hidden files kept), minus the single-file exclusions; sorted by name. A missing folder has none.
 */
export async function listFirmwareFiles(absDir: string, exclusions: Exclusions, issues: ScanIssues): Promise<string[]> {
  try {
    if (!(await stat(absDir)).isDirectory()) return [];
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const { name, dirent } of await readEntries(absDir, issues)) {
    if ((await entryKind(path.join(absDir, name), dirent, issues)) === 'file' && !exclusions.singleFile(name)) names.push(name);
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function statFile(abs: string, relDir: string, name: string, issues: ScanIssues): Promise<DiskFile | null> {
  let s: Stats;
  try {
    s = await stat(abs);
  } catch (err) {
    issues.add('vanished', abs, err);
    return null;
  }
  if (!s.isFile()) return null;
  const { ctimeMs, ino } = fileIdentity(s);
  return { abs, relDir, name, size: s.size, mtimeMs: s.mtimeMs, ctimeMs, ino };
}

/**
 * Every file inside a folder ROM, recursively, sorted by path (so folder hashes are stable across file systems).
 * Symlinked folders are followed once: a folder already visited (same device and inode) is a loop and skipped.
 */
export async function walkRomDir(absDir: string, relDir: string, exclusions: Exclusions, issues: ScanIssues): Promise<DiskFile[]> {
  const files: DiskFile[] = [];
  const visited = new Set<string>();
  const visit = async (abs: string, rel: string): Promise<void> => {
    try {
      const s = await stat(abs);
      const key = `${s.dev}:${s.ino}`;
      if (visited.has(key)) {
        issues.add('symlink-loop', abs, 'folder already visited');
        return;
      }
      visited.add(key);
    } catch (err) {
      issues.add('unreadable', abs, err);
      return;
    }
    const children = await readEntries(abs, issues);
    for (const { name, dirent } of children) {
      if (exclusions.part(name)) continue;
      const childAbs = path.join(abs, name);
      const kind = await entryKind(childAbs, dirent, issues);
      if (kind === 'dir') await visit(childAbs, `${rel}/${name}`);
      else if (kind === 'file') {
        const f = await statFile(childAbs, rel, name, issues);
        if (f) files.push(f);
      }
    }
  };
  await visit(absDir, relDir);
  return files.sort((a, b) => {
    const ka = `${a.relDir}/${a.name}`;
    const kb = `${b.relDir}/${b.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
