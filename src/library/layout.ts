import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Exclusions } from './exclusions.ts';

/**
 * Library structures (spec §10.1). A: `library/<roms>/<platform>/…`, chosen whenever `library/<roms>` exists.
 * B: `library/<platform>/<roms>/…`, only when A is absent and some platform folder holds a `<roms>` folder.
 */
export type LibraryStructure = 'A' | 'B';

export interface PlatformDir {
  fsSlug: string;
  /** Library-relative directory holding the platform's ROMs (`roms/n64` or `n64/roms`), always with `/`. */
  romsRelPath: string;
  absPath: string;
}

export interface LibraryLayout {
  structure: LibraryStructure;
  platforms: PlatformDir[];
}

export interface LayoutOptions {
  romsFolder?: string;
  /** Create `library/<roms>` when neither structure is present (what the server does at start). */
  create?: boolean;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function listDirNames(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const names: string[] = [];
    for (const e of entries) {
      if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(path.join(dir, e.name))))) names.push(e.name);
    }
    return names.sort();
  } catch {
    return [];
  }
}

export async function detectStructure(libraryPath: string, options: LayoutOptions = {}): Promise<LibraryStructure | null> {
  const romsFolder = options.romsFolder ?? 'roms';
  if (await isDir(path.join(libraryPath, romsFolder))) return 'A';
  for (const name of await listDirNames(libraryPath)) {
    if (await isDir(path.join(libraryPath, name, romsFolder))) return 'B';
  }
  return null;
}

/** Platform folders of the library, excluded names removed, sorted by name. */
export async function detectLayout(
  libraryPath: string,
  exclusions: Exclusions,
  options: LayoutOptions = {},
): Promise<LibraryLayout> {
  const romsFolder = options.romsFolder ?? 'roms';
  const structure = await detectStructure(libraryPath, options);
  if (structure === null) {
    if (options.create) await mkdir(path.join(libraryPath, romsFolder), { recursive: true });
    return { structure: 'A', platforms: [] };
  }
  const platforms: PlatformDir[] = [];
  if (structure === 'A') {
    const base = path.join(libraryPath, romsFolder);
    for (const name of await listDirNames(base)) {
      if (exclusions.platformDir(name)) continue;
      platforms.push({ fsSlug: name, romsRelPath: `${romsFolder}/${name}`, absPath: path.join(base, name) });
    }
  } else {
    for (const name of await listDirNames(libraryPath)) {
      if (exclusions.platformDir(name)) continue;
      const abs = path.join(libraryPath, name, romsFolder);
      if (await isDir(abs)) platforms.push({ fsSlug: name, romsRelPath: `${name}/${romsFolder}`, absPath: abs });
    }
  }
  return { structure, platforms };
}

/**
 * Library-relative firmware folder of a platform (RomM's `get_firmware_fs_structure`): `<fs_slug>/<firmware>` in
 * structure B, `<firmware>/<fs_slug>` otherwise (structure A, or a library with neither structure yet).
 */
export function firmwareRelPath(structure: LibraryStructure | null, fsSlug: string, firmwareFolder = 'bios'): string {
  return structure === 'B' ? `${fsSlug}/${firmwareFolder}` : `${firmwareFolder}/${fsSlug}`;
}
