import { conflict, forbidden, notFound } from '../../common/errors.ts';
import { nowMs } from '../../common/time.ts';
import type { PlatformSchema } from '../../contract/platform.ts';
import type { FirmwareRepository } from '../../db/repositories/firmware-repository.ts';
import type { PlatformsRepository } from '../../db/repositories/platforms-repository.ts';
import { resolvePlatform } from '../../library/platform-catalogue.ts';
import { checkFolderName, checkNotExcluded, createPlatformFolder, type PlatformFsSettings } from './platform-folders.ts';
import { toPlatformSchema } from './platforms-service.ts';
import { newPlatformRow } from './unmatched.ts';

export interface PlatformUpdate {
  custom_name?: string | null;
  description?: string | null;
}

/** RomM's platform writes: create a folder and its row, rename/describe, delete rows (never files). */
export class PlatformsWriteService {
  constructor(
    private readonly repo: PlatformsRepository,
    private readonly libraryPath: string,
    private readonly settings: () => PlatformFsSettings,
    private readonly firmware: FirmwareRepository,
  ) {}

  /**
   * `POST /api/platforms`: creates the folder (an existing one is fine, as in RomM) and the row the scan would
   * create. RomM inserts a duplicate row when the platform exists; romshelf answers 409 with RomM's message.
   */
  async create(fsSlug: string): Promise<PlatformSchema> {
    const settings = this.settings();
    checkFolderName(fsSlug);
    checkNotExcluded(fsSlug, settings.exclusions);
    if (await this.repo.findByFsSlug(fsSlug)) throw conflict(`Platform ${fsSlug} already exists`);
    await createPlatformFolder(this.libraryPath, fsSlug, settings);
    const { id, created } = await this.repo.ensure(newPlatformRow(fsSlug, resolvePlatform(fsSlug, settings.bindings), nowMs()));
    if (!created) throw conflict(`Platform ${fsSlug} already exists`);
    return this.get(id);
  }

  /** `PUT /api/platforms/{id}`: null or absent fields stay as they are; `""` clears. */
  async update(id: number, changes: PlatformUpdate): Promise<PlatformSchema> {
    await this.get(id);
    const fields: { custom_name?: string; description?: string } = {};
    if (changes.custom_name != null) fields.custom_name = changes.custom_name;
    if (changes.description != null) fields.description = changes.description;
    if (Object.keys(fields).length > 0) await this.repo.update(id, fields, nowMs());
    return this.get(id);
  }

  /** `DELETE /api/platforms/{id}`: the platform's ROM rows and the platform row; nothing on disk. */
  /** RomM's order: a missing platform is a 404 before a caller without the (platforms, delete) grant gets a 403. */
  async delete(id: number, mayDelete: boolean): Promise<null> {
    await this.get(id);
    if (!mayDelete) throw forbidden('Insufficient permissions');
    if (!(await this.repo.delete(id))) throw notFound(`Platform with id '${id}' not found`);
    return null;
  }

  private async get(id: number): Promise<PlatformSchema> {
    const p = await this.repo.get(id);
    if (!p) throw notFound(`Platform with id '${id}' not found`);
    return toPlatformSchema(p, (await this.firmware.byPlatforms([id])).get(id));
  }
}
