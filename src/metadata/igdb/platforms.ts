/**
 * IGDB platform ids for romshelf's platforms (RomM's slugs, whose catalogue carries RomM's IGDB ids), and the
 * platform rules of RomM's IGDB handler: regional twins searched together, arcade and Sony special cases, ScummVM
 * games found by keyword.
 */
import { resolvePlatform } from '../../library/platform-catalogue.ts';

export const IGDB_PLATFORM = {
  psx: 7, ps2: 8, psp: 38, switch: 130, arcade: 52, neogeoaes: 80, neogeomvs: 79,
  snes: 19, sfam: 58, nes: 18, famicom: 99, scummvm: 50501,
} as const;

export const ARCADE_IGDB_IDS: readonly number[] = [IGDB_PLATFORM.arcade, IGDB_PLATFORM.neogeoaes, IGDB_PLATFORM.neogeomvs];

/** IGDB files a console and its regional twin apart; a region-exclusive game sits under one of them only. */
const REGIONAL_TWINS: ReadonlyMap<number, number> = new Map([
  [IGDB_PLATFORM.snes, IGDB_PLATFORM.sfam], [IGDB_PLATFORM.sfam, IGDB_PLATFORM.snes],
  [IGDB_PLATFORM.nes, IGDB_PLATFORM.famicom], [IGDB_PLATFORM.famicom, IGDB_PLATFORM.nes],
]);

/** The IGDB platform id of a catalogue slug, or null when IGDB has none. */
export function igdbPlatformId(slug: string): number | null {
  const id = resolvePlatform(slug).igdb_id;
  return typeof id === 'number' && id > 0 ? id : null;
}

export function withRegionalTwin(platformId: number): number[] {
  const twin = REGIONAL_TWINS.get(platformId);
  return twin === undefined ? [platformId] : [platformId, twin];
}

/** `platforms=[19]`, or `(platforms=[19] | platforms=[58])` for a platform with a twin, so `&` filters compose. */
export function platformsWhere(platformId: number, field = 'platforms'): string {
  const ids = withRegionalTwin(platformId);
  const clause = ids.map((id) => `${field}=[${id}]`).join(' | ');
  return ids.length > 1 ? `(${clause})` : clause;
}
