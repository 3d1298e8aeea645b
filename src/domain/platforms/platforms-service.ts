import type { FirmwareRepository, FirmwareRow } from '../../db/repositories/firmware-repository.ts';
import type { PlatformsRepository, PlatformWithStats } from '../../db/repositories/platforms-repository.ts';
import { toFirmwareSchema } from '../firmware/mapper.ts';
import { notFound, unprocessable } from '../../common/errors.ts';
import { isoFromMs, nowMs } from '../../common/time.ts';
import type { PlatformSchema } from '../../contract/platform.ts';
import { knownPlatformSlugs, resolvePlatform } from '../../library/platform-catalogue.ts';
import { listPlatformFolders, type PlatformFsSettings } from './platform-folders.ts';
import { unmatchedPlatform } from './unmatched.ts';
import type { HiddenSource } from '../roms/visibility.ts';

const platformNotFound = (id: number) => notFound(`Platform with id '${id}' not found`);

/** RomM's `PlatformSchema` (spec §11), with the platform's firmware rows (ordered by file name). */
export function toPlatformSchema(p: PlatformWithStats, firmware: readonly FirmwareRow[] = []): PlatformSchema {
  const identified = [p.igdb_id, p.moby_id, p.ss_id, p.launchbox_id, p.ra_id, p.hasheous_id].some((id) => id != null);
  return {
    id: p.id, slug: p.slug, fs_slug: p.fs_slug, rom_count: p.rom_count, name: p.name,
    igdb_slug: p.igdb_slug, moby_slug: p.moby_slug, hltb_slug: p.hltb_slug, libretro_slug: p.libretro_slug,
    custom_name: p.custom_name, description: p.description,
    igdb_id: p.igdb_id, sgdb_id: p.sgdb_id, moby_id: p.moby_id, launchbox_id: p.launchbox_id, ss_id: p.ss_id,
    ra_id: p.ra_id, hasheous_id: p.hasheous_id, tgdb_id: p.tgdb_id, flashpoint_id: p.flashpoint_id,
    category: p.category, generation: p.generation, family_name: p.family_name, family_slug: p.family_slug,
    url: p.url, url_logo: p.url_logo, firmware: firmware.map(toFirmwareSchema), created_at: isoFromMs(p.created_at),
    updated_at: isoFromMs(p.updated_at), fs_size_bytes: p.fs_size_bytes, is_unidentified: !identified,
    is_identified: identified, missing_from_fs: p.missing_from_fs === 1,
    display_name: p.custom_name || p.name, firmware_count: firmware.length,
  };
}

export class PlatformsService {
  constructor(
    private readonly repo: PlatformsRepository,
    private readonly libraryPath: string,
    private readonly settings: () => PlatformFsSettings,
    private readonly hides: HiddenSource,
    private readonly firmware: FirmwareRepository,
  ) {}

  /** Platform rows as RomM's schema, each with its firmware (one query for all of them). */
  private async withFirmware(rows: PlatformWithStats[]): Promise<PlatformSchema[]> {
    const byPlatform = await this.firmware.byPlatforms(rows.map((p) => p.id));
    return rows.map((p) => toPlatformSchema(p, byPlatform.get(p.id)));
  }

  /** Every platform, for the server's own use (set-up); callers' listings go through `listFor`. */
  async list(): Promise<PlatformSchema[]> {
    return this.withFirmware(await this.repo.list());
  }

  /**
   * `GET /api/platforms` for a caller: platforms hidden from them are left out (RomM 5). `rom_count` stays the
   * platform's full count, as in RomM. `updated_after`: an ISO 8601 datetime; platforms changed strictly after it.
   */
  async listFor(userId: number | null, updatedAfter?: string): Promise<PlatformSchema[]> {
    let after: number | undefined;
    if (updatedAfter !== undefined) {
      after = Date.parse(updatedAfter);
      if (Number.isNaN(after)) throw unprocessable(`Invalid datetime for updated_after: '${updatedAfter}'`);
    }
    return this.withFirmware(await this.repo.list(after, await this.hides.hiddenFor(userId)));
  }

  async identifiers(userId: number | null): Promise<number[]> {
    return this.repo.identifiers(await this.hides.hiddenFor(userId));
  }

  /** A platform hidden from the caller answers exactly like a missing one. */
  async get(id: number, userId: number | null): Promise<PlatformSchema> {
    const [p] = await Promise.all([this.repo.get(id), this.assertVisible(id, userId)]);
    if (!p) throw platformNotFound(id);
    return (await this.withFirmware([p]))[0] as PlatformSchema;
  }

  /** 404 "Platform with id … not found" when the platform is hidden from the caller (before an edit or delete). */
  async assertVisible(id: number, userId: number | null): Promise<void> {
    const hidden = await this.hides.hiddenFor(userId);
    if (hidden.platformIds.includes(id)) throw platformNotFound(id);
  }

  /**
   * RomM's `/api/platforms/supported`: one entry per catalogue slug, in catalogue order; the database platform of
   * that slug when there is one (the folder named like the slug wins over aliases bound to it), else an unmatched
   * platform with id -1.
   */
  async supported(): Promise<PlatformSchema[]> {
    const bySlug = new Map<string, PlatformSchema>();
    for (const p of await this.withFirmware(await this.repo.list())) {
      if (!bySlug.has(p.slug) || p.fs_slug === p.slug) bySlug.set(p.slug, p);
    }
    const now = isoFromMs(nowMs());
    return knownPlatformSlugs().map((slug) => bySlug.get(slug) ?? unmatchedPlatform(slug, resolvePlatform(slug), now));
  }

  /**
   * RomM's `/api/platforms/filesystem`: platform folders of the library that have no database row yet, each as an
   * unmatched platform resolved the way the next scan will resolve it (bindings, then the catalogue).
   */
  async filesystem(): Promise<PlatformSchema[]> {
    const settings = this.settings();
    const known = new Set((await this.repo.list()).map((p) => p.fs_slug));
    const now = isoFromMs(nowMs());
    return (await listPlatformFolders(this.libraryPath, settings))
      .filter((fsSlug) => !known.has(fsSlug))
      .map((fsSlug) => unmatchedPlatform(fsSlug, resolvePlatform(fsSlug, settings.bindings), now));
  }
}
