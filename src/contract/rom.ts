import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

/** RomM's ROM response schemas (spec §5), the wire contract of every ROM route. */

const Int = Type.Integer();
const Str = Type.String();
const NStr = Nullable(Type.String());
const NInt = Nullable(Type.Integer());
const Bool = Type.Boolean();
const StrList = Type.Array(Type.String());
/** Provider blobs: every key optional, passed through as stored. */
const Blob = Nullable(Type.Object({}, { additionalProperties: true }));

export const RomUserSchema = Type.Object({
  id: Int, user_id: Int, rom_id: Int, created_at: Str, updated_at: Str, last_played: NStr,
  is_main_sibling: Bool, backlogged: Bool, now_playing: Bool, hidden: Bool,
  rating: Int, difficulty: Int, completion: Int, status: NStr,
}, { title: 'RomUserSchema' });

export const RomArchiveMember = Type.Object({}, { additionalProperties: true });

export const RomFileSchema = Type.Object({
  id: Int, rom_id: Int, file_name: Str, file_path: Str, file_size_bytes: Int, full_path: Str, is_top_level: Bool,
  created_at: Str, updated_at: Str, last_modified: Str,
  crc_hash: NStr, md5_hash: NStr, sha1_hash: NStr, ra_hash: NStr, chd_sha1_hash: NStr,
  archive_members: Nullable(Type.Array(RomArchiveMember)),
  category: NStr,
  track_meta: Nullable(Type.Object({}, { additionalProperties: true })),
  // romshelf extensions, after RomM's keys: the file's DAT verdict (docs/dats.md).
  dat_status: NStr, dat_game: NStr,
}, { title: 'RomFileSchema' });

export const SiblingRomSchema = Type.Object({
  id: Int, name: NStr, fs_name_no_tags: Str, fs_name_no_ext: Str, is_main_sibling: Bool, sort_comparator: Str,
}, { title: 'SiblingRomSchema' });

export const RomMetadataSchema = Type.Object({
  rom_id: Int, genres: StrList, franchises: StrList, collections: StrList, companies: StrList, game_modes: StrList,
  age_ratings: StrList, player_count: Str, first_release_date: NInt, average_rating: Nullable(Type.Number()),
}, { title: 'RomMetadataSchema' });

const romFields = {
  id: Int,
  igdb_id: NInt, sgdb_id: NInt, moby_id: NInt, ss_id: NInt, ra_id: NInt, launchbox_id: NInt, hasheous_id: NInt,
  tgdb_id: NInt, flashpoint_id: NStr, hltb_id: NInt, gamelist_id: NStr, libretro_id: NStr,
  platform_id: Int, platform_slug: Str, platform_fs_slug: Str, platform_custom_name: NStr, platform_display_name: Str,
  fs_name: Str, fs_name_no_tags: Str, fs_name_no_ext: Str, fs_extension: Str, fs_path: Str, fs_size_bytes: Int,
  name: NStr, name_sort_key: NStr, slug: NStr, summary: NStr,
  alternative_names: StrList, youtube_video_id: NStr, metadatum: RomMetadataSchema,
  igdb_metadata: Blob, moby_metadata: Blob, ss_metadata: Blob, launchbox_metadata: Blob, hasheous_metadata: Blob,
  flashpoint_metadata: Blob, hltb_metadata: Blob, gamelist_metadata: Blob, manual_metadata: Blob,
  path_cover_small: NStr, path_cover_large: NStr, url_cover: NStr,
  has_manual: Bool, has_soundtrack: Bool, path_manual: NStr, url_manual: NStr, path_video: NStr,
  is_identifying: Bool, is_unidentified: Bool, is_identified: Bool,
  revision: NStr, regions: StrList, languages: StrList, tags: StrList,
  crc_hash: NStr, md5_hash: NStr, sha1_hash: NStr, ra_hash: NStr,
  has_simple_single_file: Bool, has_nested_single_file: Bool, has_multiple_files: Bool,
  full_path: Str, created_at: Str, updated_at: Str, missing_from_fs: Bool, has_notes: Bool,
  rom_user: RomUserSchema,
  merged_screenshots: StrList,
  merged_ra_metadata: Blob,
  files: Type.Array(RomFileSchema),
  sibling_roms: Type.Array(SiblingRomSchema),
};

/** Every ROM field; not a route response of its own, the base the list and detail shapes extend. */
export const RomSchema = Type.Object(romFields, { title: 'RomSchema' });

/** romshelf extensions, appended after RomM's keys: the ROM's DAT verdict (docs/dats.md). */
const datFields = { dat_status: NStr, dat_game: NStr, dat_complete: Nullable(Bool) };

export const SimpleRomSchema = Type.Object({ ...romFields, screenshot_path: NStr, ...datFields }, { title: 'SimpleRomSchema' });

export const UserNoteSchema = Type.Object({
  id: Int, title: Str, content: Str, is_public: Bool, tags: Nullable(StrList), created_at: Str, updated_at: Str,
  user_id: Int, username: Str, user_avatar_path: Str, user_updated_at: NStr,
}, { title: 'UserNoteSchema' });

export const UserCollectionSchema = Type.Object({ id: Int, name: Str, is_smart: Bool }, { title: 'UserCollectionSchema' });

const AssetList = Type.Array(Type.Object({}, { additionalProperties: true }));

export const DetailedRomSchema = Type.Object({
  ...romFields,
  user_saves: AssetList, user_states: AssetList, all_user_saves: AssetList, all_user_states: AssetList,
  user_screenshots: AssetList, all_user_screenshots: AssetList,
  user_collections: Type.Array(UserCollectionSchema),
  all_user_notes: Type.Array(UserNoteSchema),
  ...datFields,
}, { title: 'DetailedRomSchema' });

export const RomFiltersDict = Type.Object({
  genres: StrList, franchises: StrList, collections: StrList, companies: StrList, game_modes: StrList,
  age_ratings: StrList, player_counts: StrList, regions: StrList, languages: StrList, tags: StrList,
  platforms: Type.Array(Int),
}, { title: 'RomFiltersDict' });

export const RomListPage = Type.Object({
  items: Type.Array(SimpleRomSchema),
  total: NInt,
  limit: Int,
  offset: Int,
  char_index: Type.Record(Type.String(), Type.Integer()),
  rom_id_index: Type.Array(Int),
  filter_values: RomFiltersDict,
}, { title: 'CustomLimitOffsetPage_SimpleRomSchema_' });

export type RomUserSchema = Static<typeof RomUserSchema>;
export type RomFileSchema = Static<typeof RomFileSchema>;
export type SiblingRomSchema = Static<typeof SiblingRomSchema>;
export type RomMetadataSchema = Static<typeof RomMetadataSchema>;
export type RomSchema = Static<typeof RomSchema>;
export type SimpleRomSchema = Static<typeof SimpleRomSchema>;
export type UserNoteSchema = Static<typeof UserNoteSchema>;
export type UserCollectionSchema = Static<typeof UserCollectionSchema>;
export type DetailedRomSchema = Static<typeof DetailedRomSchema>;
export type RomFiltersDict = Static<typeof RomFiltersDict>;
export type RomListPage = Static<typeof RomListPage>;
