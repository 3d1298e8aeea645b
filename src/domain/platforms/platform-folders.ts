import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { badRequest, conflict } from '../../common/errors.ts';
import { buildExclusions, type ExclusionConfig } from '../../library/exclusions.ts';
import { detectLayout, detectStructure } from '../../library/layout.ts';
import type { PlatformBindings } from '../../library/platform-catalogue.ts';

/** The parts of the scan settings that decide where platform folders live and how they resolve. */
export interface PlatformFsSettings {
  romsFolder: string;
  exclusions: ExclusionConfig;
  bindings: PlatformBindings;
}

/** `platforms.fs_slug` is a varchar(100). */
export const FS_SLUG_MAX = 100;

/**
 * A platform folder name from a request must be one path segment within the column's length: no separators, no
 * `.`/`..`, no control characters. RomM lets `..` through to an unhandled error; romshelf answers 400.
 */
export function checkFolderName(fsSlug: string): void {
  // eslint-disable-next-line no-control-regex
  const bad = fsSlug.trim() !== fsSlug || fsSlug === '' || fsSlug === '.' || fsSlug === '..' || /[/\\\u0000-\u001f\u007f]/.test(fsSlug);
  if (bad) throw badRequest(`Invalid platform folder name '${printable(fsSlug)}'`);
  if ([...fsSlug].length > FS_SLUG_MAX) throw badRequest(`Platform folder name is longer than ${FS_SLUG_MAX} characters`);
}

/** A platform the scan would skip cannot be created through the API (it would never appear). */
export function checkNotExcluded(fsSlug: string, exclusions: ExclusionConfig): void {
  if (buildExclusions(exclusions).platformDir(fsSlug)) {
    throw badRequest(`Platform folder '${fsSlug}' is excluded from scans by the configuration`);
  }
}

function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/**
 * RomM's `fs_platform_handler.add_platform`: `library/<roms>/<fs_slug>` (structure A, or a library with neither
 * structure yet) or `library/<fs_slug>/<roms>` (structure B). An existing folder is fine; a file in the way is 409.
 * True when the folder was created.
 */
export async function createPlatformFolder(libraryPath: string, fsSlug: string, settings: Pick<PlatformFsSettings, 'romsFolder'>): Promise<boolean> {
  const structure = await detectStructure(libraryPath, { romsFolder: settings.romsFolder });
  const dir = structure === 'B'
    ? path.join(libraryPath, fsSlug, settings.romsFolder)
    : path.join(libraryPath, settings.romsFolder, fsSlug);
  try {
    // mkdir answers the first folder it made, or nothing when the folder was already there.
    return (await mkdir(dir, { recursive: true })) !== undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw conflict(`Platform ${fsSlug} already exists and is not a folder`);
    throw err;
  }
}

/** Platform folder names the scan would walk (the layout, exclusions applied), sorted. */
export async function listPlatformFolders(libraryPath: string, settings: PlatformFsSettings): Promise<string[]> {
  const layout = await detectLayout(libraryPath, buildExclusions(settings.exclusions), { romsFolder: settings.romsFolder });
  return layout.platforms.map((p) => p.fsSlug);
}
