import type { RomBundle, RomFileRow, RomRow, RomUserRow, SiblingRow } from '../../db/repositories/roms-read-repository.ts';
import {
  parseObject, parseStringArray, pySorted, RESOURCES_PREFIX, sortSiblings, toRomFileSchema, toRomUserSchema, toSiblingSchema,
  isTopLevel,
} from './mapper-parts.ts';
import type { RomFileSchema, RomSchema, RomUserSchema, SiblingRomSchema } from '../../contract/rom.ts';
import { isoFromMs, pyStrFromMs } from '../../common/time.ts';

/** Row → RomM `RomSchema` / `SimpleRomSchema` (spec §5.1). Other ROM use cases reuse these mappers. */

const IDENTIFIED_IDS = ['igdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'flashpoint_id', 'hltb_id', 'gamelist_id', 'libretro_id'] as const;

export interface RomExtras {
  files: RomFileRow[];
  userRow: RomUserRow | undefined;
  facets: Map<string, string[]>;
  siblings: SiblingRow[];
  hasNotes: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function coverPath(path: string, updatedAt: number): string {
  return path ? `${RESOURCES_PREFIX}/${path}?ts=${pyStrFromMs(updatedAt)}` : '';
}

function mergedRa(ra: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!ra || !Array.isArray(ra.achievements)) return ra;
  const achievements = (ra.achievements as Record<string, unknown>[]).map((a) => ({
    ...a,
    badge_path_lock: `${RESOURCES_PREFIX}/${String(a.badge_path_lock)}`,
    badge_path: `${RESOURCES_PREFIX}/${String(a.badge_path)}`,
  }));
  return { ...ra, achievements };
}

/** `RomSchema`: every field of spec §5.1 except `screenshot_path`. `files` is the list to expose (may be []). */
export function toRomSchema(rom: RomRow, extras: RomExtras, exposedFiles: RomFileRow[], now = Date.now()): RomSchema {
  const fullPath = `${rom.fs_path}/${rom.fs_name}`;
  const igdb = parseObject(rom.igdb_metadata);
  const moby = parseObject(rom.moby_metadata);
  const ss = parseObject(rom.ss_metadata);
  const launchbox = parseObject(rom.launchbox_metadata);
  const gamelist = parseObject(rom.gamelist_metadata);
  const updatedAt = Number(rom.updated_at);
  const topLevel = extras.files.filter((f) => isTopLevel(f, fullPath)).length;
  const multiFile = extras.files.some((f) => f.file_path !== rom.fs_path);
  const altNames = [igdb?.alternative_names, moby?.alternate_titles, ss?.alternative_names]
    .find((v) => Array.isArray(v) && v.length > 0) as unknown[] | undefined;
  const facet = (kind: string) => pySorted(extras.facets.get(kind) ?? []);
  const files: RomFileSchema[] = exposedFiles.map((f) => toRomFileSchema(f, fullPath))
    .sort((a, b) => (a.file_name < b.file_name ? -1 : a.file_name > b.file_name ? 1 : 0));
  const siblings: SiblingRomSchema[] = sortSiblings(extras.siblings.map(toSiblingSchema));
  const romUser: RomUserSchema = toRomUserSchema(extras.userRow, now);
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(rom.id),
    igdb_id: num(rom.igdb_id), sgdb_id: num(rom.sgdb_id), moby_id: num(rom.moby_id), ss_id: num(rom.ss_id),
    ra_id: num(rom.ra_id), launchbox_id: num(rom.launchbox_id), hasheous_id: num(rom.hasheous_id),
    tgdb_id: num(rom.tgdb_id), flashpoint_id: rom.flashpoint_id, hltb_id: num(rom.hltb_id),
    gamelist_id: rom.gamelist_id, libretro_id: rom.libretro_id,
    platform_id: Number(rom.platform_id),
    platform_slug: rom.platform_slug,
    platform_fs_slug: rom.platform_fs_slug,
    platform_custom_name: rom.platform_custom_name,
    platform_display_name: rom.platform_custom_name || rom.platform_name,
    fs_name: rom.fs_name,
    fs_name_no_tags: rom.fs_name_no_tags,
    fs_name_no_ext: rom.fs_name_no_ext,
    fs_extension: rom.fs_extension,
    fs_path: rom.fs_path,
    fs_size_bytes: Number(rom.fs_size_bytes),
    name: rom.name,
    name_sort_key: rom.name_sort_key,
    slug: rom.slug,
    summary: rom.summary,
    alternative_names: pySorted((altNames ?? []).map(String)),
    youtube_video_id: str(igdb?.youtube_video_id) ?? str(launchbox?.youtube_video_id),
    metadatum: {
      rom_id: Number(rom.id),
      genres: facet('genre'),
      franchises: facet('franchise'),
      collections: facet('collection'),
      companies: facet('company'),
      game_modes: facet('game_mode'),
      age_ratings: facet('age_rating'),
      player_count: rom.player_count,
      first_release_date: num(rom.first_release_date),
      average_rating: rom.average_rating === null ? null : Number(rom.average_rating),
    },
    igdb_metadata: igdb,
    moby_metadata: moby,
    ss_metadata: ss,
    launchbox_metadata: launchbox,
    hasheous_metadata: parseObject(rom.hasheous_metadata),
    flashpoint_metadata: parseObject(rom.flashpoint_metadata),
    hltb_metadata: parseObject(rom.hltb_metadata),
    gamelist_metadata: gamelist,
    manual_metadata: parseObject(rom.manual_metadata),
    path_cover_small: coverPath(rom.path_cover_s, updatedAt),
    path_cover_large: coverPath(rom.path_cover_l, updatedAt),
    url_cover: rom.url_cover,
    has_manual: !!rom.path_manual,
    has_soundtrack: extras.files.some((f) => f.category === 'soundtrack'),
    path_manual: rom.path_manual,
    url_manual: rom.url_manual,
    path_video: str(ss?.video_path) ?? str(ss?.video_normalized_path) ?? str(gamelist?.video_path) ?? str(launchbox?.video_path),
    is_identifying: false,
    is_unidentified: !IDENTIFIED_IDS.some((k) => !!rom[k]),
    is_identified: IDENTIFIED_IDS.some((k) => !!rom[k]),
    revision: rom.revision,
    regions: parseStringArray(rom.regions),
    languages: parseStringArray(rom.languages),
    tags: parseStringArray(rom.tags),
    crc_hash: rom.crc_hash,
    md5_hash: rom.md5_hash,
    sha1_hash: rom.sha1_hash,
    ra_hash: rom.ra_hash,
    has_simple_single_file: !multiFile && topLevel === 1,
    has_nested_single_file: multiFile && topLevel === 1,
    has_multiple_files: topLevel > 1,
    full_path: fullPath,
    created_at: isoFromMs(Number(rom.created_at)),
    updated_at: isoFromMs(updatedAt),
    missing_from_fs: !!rom.missing_from_fs,
    has_notes: extras.hasNotes,
    rom_user: romUser,
    merged_screenshots: parseStringArray(rom.path_screenshots).map((p) => `${RESOURCES_PREFIX}/${p}`),
    merged_ra_metadata: mergedRa(parseObject(rom.ra_metadata)),
    files,
    sibling_roms: siblings,
  };
}

/** The DAT verdict, appended after RomM's keys of the list and detail shapes. */
export function datFields(rom: RomRow): { dat_status: string | null; dat_game: string | null; dat_complete: boolean | null } {
  return {
    dat_status: rom.dat_status ?? null,
    dat_game: rom.dat_game ?? null,
    dat_complete: rom.dat_complete === null || rom.dat_complete === undefined ? null : Number(rom.dat_complete) !== 0,
  };
}

/** Continue-playing rail image (spec §3.12); saves do not exist yet, so title screen then first screenshot. */
export function screenshotPath(rom: RomRow): string | null {
  const ss = parseObject(rom.ss_metadata);
  const gamelist = parseObject(rom.gamelist_metadata);
  const title = str(ss?.title_screen_path) ?? str(gamelist?.title_screen_path);
  if (title) return `${RESOURCES_PREFIX}/${title}`;
  const first = parseStringArray(rom.path_screenshots)[0];
  return first ? `${RESOURCES_PREFIX}/${first}` : null;
}

/** Splits a bundle into per-ROM extras, keyed by ROM id. */
export function extrasByRom(bundle: RomBundle): Map<number, RomExtras> {
  const out = new Map<number, RomExtras>();
  for (const rom of bundle.roms) {
    out.set(Number(rom.id), { files: [], userRow: undefined, facets: new Map(), siblings: [], hasNotes: bundle.noteRomIds.has(Number(rom.id)) });
  }
  for (const f of bundle.files) out.get(Number(f.rom_id))?.files.push(f);
  for (const u of bundle.userRows) {
    const e = out.get(Number(u.rom_id));
    if (e) e.userRow = u;
  }
  for (const f of bundle.facets) {
    const e = out.get(Number(f.rom_id));
    if (!e) continue;
    const list = e.facets.get(f.kind);
    if (list) list.push(f.value);
    else e.facets.set(f.kind, [f.value]);
  }
  for (const s of bundle.siblings) out.get(Number(s.rom_id))?.siblings.push(s);
  return out;
}
