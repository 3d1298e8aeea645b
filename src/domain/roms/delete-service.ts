/**
 * POST /api/roms/delete (spec §6.6). Per id: the database row goes (its files, facets, per-user rows, notes and
 * collection links cascade), then its resources directory; with `delete_from_fs`, first exactly the ROM's own
 * file or folder inside its platform directory. The platform directory and the library root are never removed.
 */
import { lstat, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { RomEditRepository } from '../../db/repositories/rom-edit-repository.ts';
import { childPath, libraryDir } from './edit-paths.ts';
import { romDir, type ResourceStore } from './resources.ts';
import type { BulkOperationResponse } from '../../contract/rom-edit.ts';
import type { RomVisibility } from './visibility.ts';

export class RomDeleteService {
  constructor(
    private readonly repo: RomEditRepository,
    private readonly resources: ResourceStore,
    private readonly libraryPath: string,
    private readonly logger: Logger,
    private readonly visibility: Pick<RomVisibility, 'canSeeRom'>,
  ) {}

  /** A ROM hidden from the caller is reported as not found and left alone (RomM 5). */
  async delete(romIds: number[], deleteFromFs: number[], userId: number | null): Promise<BulkOperationResponse> {
    const fromFs = new Set(deleteFromFs);
    const out: BulkOperationResponse = { successful_items: 0, failed_ids: [], errors: [] };
    for (const id of romIds) {
      const rom = await this.repo.findRom(id);
      if (!rom || !(await this.visibility.canSeeRom(id, userId))) {
        out.failed_ids.push(id);
        out.errors.push(`ROM with ID ${id} not found`);
        continue;
      }
      try {
        if (fromFs.has(id)) await this.removeFromDisk(rom.fs_path, rom.fs_name);
        await this.repo.deleteRom(id);
        await this.resources.removeDir(romDir(rom.platform_id, rom.id));
        out.successful_items++;
      } catch (err) {
        this.logger.error({ romId: id, err }, 'ROM delete failed');
        out.failed_ids.push(id);
        out.errors.push(`Failed to delete ROM ${id}: ${(err as Error).message}`);
      }
    }
    return out;
  }

  private async removeFromDisk(fsPath: string, fsName: string): Promise<void> {
    // Both checks throw for a stored path or name that would point outside the platform directory.
    const platformDir = libraryDir(this.libraryPath, fsPath);
    const target = childPath(platformDir, fsName);
    try {
      await lstat(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.logger.warn({ target }, 'ROM not found on disk, deleting the database entry only');
        return;
      }
      throw err;
    }
    // A symlink is removed as a link; rm never follows it into its target.
    await rm(target, { recursive: true, force: true });
    // The ROM's parent is its platform directory, which stays even when empty (RomM would remove it).
  }
}
