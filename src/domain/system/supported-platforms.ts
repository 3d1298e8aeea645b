import { isoFromMs } from '../../common/time.ts';
import type { PlatformSchema } from '../../contract/platform.ts';
import { knownPlatformSlugs, resolvePlatform } from '../../library/platform-catalogue.ts';

/** RomM's `PlatformSchema` for a catalogue platform that has no database row yet (id -1, no ROMs). */
export function unmatchedPlatform(slug: string, fsSlug: string, now: number): PlatformSchema {
  const info = resolvePlatform(slug);
  const identified = info.igdb_id != null;
  return {
    id: -1, slug, fs_slug: fsSlug, rom_count: 0, name: info.name,
    igdb_slug: info.igdb_slug, moby_slug: null, hltb_slug: null, libretro_slug: null, custom_name: null, description: null,
    igdb_id: info.igdb_id, sgdb_id: null, moby_id: null, launchbox_id: null, ss_id: null, ra_id: null, hasheous_id: null,
    tgdb_id: null, flashpoint_id: null, category: info.category, generation: info.generation,
    family_name: info.family_name, family_slug: info.family_slug, url: info.url, url_logo: null, firmware: [],
    created_at: isoFromMs(now), updated_at: isoFromMs(now), fs_size_bytes: 0, is_unidentified: !identified,
    is_identified: identified, missing_from_fs: false, display_name: info.name, firmware_count: 0,
  };
}

/**
 * Every catalogue platform, as RomM's `get_supported_platforms`: the database row when one exists for the slug (the
 * folder named like the slug wins over a variant folder bound to it), else an unmatched placeholder.
 */
export function supportedPlatforms(dbPlatforms: readonly PlatformSchema[], now = Date.now()): PlatformSchema[] {
  const bySlug = new Map<string, PlatformSchema>();
  for (const p of dbPlatforms) {
    if (!bySlug.has(p.slug) || p.fs_slug === p.slug) bySlug.set(p.slug, p);
  }
  return knownPlatformSlugs().map((slug) => bySlug.get(slug) ?? unmatchedPlatform(slug, slug, now));
}
