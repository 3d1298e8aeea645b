import type { NewPlatform } from '../../db/repositories/platforms-repository.ts';
import type { PlatformSchema } from '../../contract/platform.ts';
import type { PlatformInfo } from '../../library/platform-catalogue.ts';

/**
 * The row a platform folder becomes: the catalogue's facts plus RomM's insert defaults. The same fields the scan
 * writes for a new folder, so a platform created through the API looks like one the scan found.
 */
export function newPlatformRow(fsSlug: string, info: PlatformInfo, now: number): NewPlatform {
  return {
    ...info, fs_slug: fsSlug, custom_name: '', description: '', url_logo: null, aspect_ratio: '2 / 3',
    sgdb_id: null, moby_id: null, ss_id: null, ra_id: null, launchbox_id: null, hasheous_id: null, tgdb_id: null,
    flashpoint_id: null, moby_slug: null, hltb_slug: null, libretro_slug: null, missing_from_fs: 0,
    created_at: now, updated_at: now,
  };
}

/**
 * RomM's `_build_unmatched_platform`: a `PlatformSchema` for a platform with no database row (id -1, no ROMs, no
 * firmware), as `/api/platforms/supported` and `/api/platforms/filesystem` list them. Fields RomM leaves to the
 * model's unset attributes (custom name, description) are null; `url_logo` is `""` when no provider has a logo.
 */
export function unmatchedPlatform(fsSlug: string, info: PlatformInfo, nowIso: string): PlatformSchema {
  const identified = info.igdb_id != null;
  return {
    id: -1, slug: info.slug, fs_slug: fsSlug, rom_count: 0, name: info.name,
    igdb_slug: info.igdb_slug, moby_slug: null, hltb_slug: null, libretro_slug: null,
    custom_name: null, description: null,
    igdb_id: info.igdb_id, sgdb_id: null, moby_id: null, launchbox_id: null, ss_id: null, ra_id: null,
    hasheous_id: null, tgdb_id: null, flashpoint_id: null,
    category: info.category, generation: info.generation, family_name: info.family_name, family_slug: info.family_slug,
    url: info.url, url_logo: '', firmware: [], created_at: nowIso, updated_at: nowIso, fs_size_bytes: 0,
    is_unidentified: !identified, is_identified: identified, missing_from_fs: false,
    display_name: info.name, firmware_count: 0,
  };
}
