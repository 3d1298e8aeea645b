/**
 * The resources directory (`DATA_PATH/resources`, served at /assets/romm/resources): covers and other media
 * that belong to ROMs and collections (spec §9). Paths stored in the database are relative to it.
 *
 * API (ResourceStore):
 *   storeCover(relDir, cover) → { path_cover_l, path_cover_s }  writes an EncodedCover into relDir
 *   removeDir(relDir)                                             recursive delete, missing is fine
 *   resolveInside(relPath) → absolute path | null                 null when relPath would leave the root
 *   romDir(platformId, romId), romCoverDir(platformId, romId)     the relative layout
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { resolveInside } from '../../common/paths.ts';
import { writeCoverFiles, type EncodedCover } from '../../media/cover-images.ts';

export const romDir = (platformId: number, romId: number): string => `roms/${platformId}/${romId}`;
export const romCoverDir = (platformId: number, romId: number): string => `${romDir(platformId, romId)}/cover`;

export class ResourceStore {
  readonly root: string;

  constructor(dataPath: string) {
    this.root = path.resolve(dataPath, 'resources');
  }

  /** Absolute path of a resources-relative path, or null if it is absolute, has NUL or escapes the root. */
  resolveInside(relPath: string): string | null {
    return resolveInside(this.root, relPath);
  }

  async storeCover(relDir: string, cover: EncodedCover): Promise<{ path_cover_l: string; path_cover_s: string }> {
    const dir = this.mustResolve(relDir);
    const names = await writeCoverFiles(dir, cover);
    return { path_cover_l: `${relDir}/${names.big}`, path_cover_s: `${relDir}/${names.small}` };
  }

  async removeDir(relDir: string): Promise<void> {
    await rm(this.mustResolve(relDir), { recursive: true, force: true });
  }

  private mustResolve(relPath: string): string {
    const abs = this.resolveInside(relPath);
    if (!abs) throw new Error(`resource path escapes the resources directory: ${relPath}`);
    return abs;
  }
}
