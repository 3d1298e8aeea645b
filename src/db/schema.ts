import type { DatStatus } from '../contract/dat-status.ts';
import type { FacetKind } from '../contract/rom-filter.ts';
import type { RomFileCategory } from '../library/file-category.ts';
import type { ColumnType, Generated } from 'kysely';

/**
 * Table types shared by every engine. Conventions that keep one query body portable:
 * timestamps are BIGINT epoch milliseconds, booleans are 0/1 integers, JSON is TEXT parsed in the mapper.
 */
export type Bool = number;
export type EpochMs = number;

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string | null;
  hashed_password: string | null;
  enabled: Bool;
  /** RomM 5: `admin` bypasses every check; a `user`'s rights come from their permission group and overrides. */
  role: 'admin' | 'user';
  /** Null: the default group. */
  permission_group_id: number | null;
  avatar_path: string;
  last_login: EpochMs | null;
  last_active: EpochMs | null;
  ra_username: string | null;
  ui_settings: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  /** Bumped on password change or disable; tokens carrying an older value are refused. */
  token_generation: Generated<number>;
}

export interface SessionsTable {
  /** SHA-256 hex of the opaque cookie value. */
  id: string;
  user_id: number;
  expires_at: EpochMs;
  created_at: EpochMs;
  /** The user's token generation at login. */
  token_generation: Generated<number>;
}

export interface ClientTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  hashed_token: string;
  /** Space-separated scope list. */
  scopes: string;
  expires_at: EpochMs | null;
  last_used_at: EpochMs | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  /** The device this token signs in (device-code authorization), else null. */
  device_id: string | null;
}

export interface RefreshTokensTable {
  /** JWT id of an issued refresh token; the row is deleted when the token is used (single use). */
  jti: string;
  user_id: number;
  expires_at: EpochMs;
  created_at: EpochMs;
}

/** Failed-attempt counter of one throttled key (account, client address, pairing flow). */
export interface AuthThrottleTable {
  kind: string;
  /** SHA-256 hex of the key, so attacker-chosen names have a bounded size. */
  key_hash: string;
  failures: number;
  window_start: EpochMs;
  /** 0 when not blocked. */
  blocked_until: EpochMs;
  /** Blocks imposed so far; each one doubles the next. */
  strikes: number;
  updated_at: EpochMs;
}

export interface PlatformsTable {
  id: Generated<number>;
  slug: string;
  fs_slug: string;
  name: string;
  custom_name: string;
  description: string;
  category: string | null;
  generation: number | null;
  family_name: string | null;
  family_slug: string | null;
  url: string | null;
  url_logo: string | null;
  aspect_ratio: string;
  igdb_id: number | null;
  sgdb_id: number | null;
  moby_id: number | null;
  ss_id: number | null;
  ra_id: number | null;
  launchbox_id: number | null;
  hasheous_id: number | null;
  tgdb_id: number | null;
  flashpoint_id: number | null;
  igdb_slug: string | null;
  moby_slug: string | null;
  hltb_slug: string | null;
  libretro_slug: string | null;
  missing_from_fs: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface RomsTable {
  id: Generated<number>;
  platform_id: number;
  igdb_id: number | null;
  sgdb_id: number | null;
  moby_id: number | null;
  ss_id: number | null;
  ra_id: number | null;
  launchbox_id: number | null;
  hasheous_id: number | null;
  tgdb_id: number | null;
  hltb_id: number | null;
  flashpoint_id: string | null;
  gamelist_id: string | null;
  libretro_id: string | null;
  fs_name: string;
  fs_name_no_tags: string;
  fs_name_no_ext: string;
  fs_extension: string;
  /** Library-relative directory holding the ROM (e.g. `roms/n64`). */
  fs_path: string;
  fs_size_bytes: number;
  name: string | null;
  name_sort_key: string | null;
  /** 1 when the user set name_sort_key explicitly; otherwise it follows `name`. */
  name_sort_key_custom: Bool;
  /** Lower-cased `name` + `fs_name`, the haystack for LIKE search on every engine. */
  search_text: string;
  slug: string | null;
  summary: string | null;
  igdb_metadata: string;
  moby_metadata: string;
  ss_metadata: string;
  ra_metadata: string;
  launchbox_metadata: string;
  hasheous_metadata: string;
  flashpoint_metadata: string;
  hltb_metadata: string;
  gamelist_metadata: string;
  manual_metadata: string;
  path_cover_s: string;
  path_cover_l: string;
  url_cover: string;
  path_manual: string;
  url_manual: string;
  path_screenshots: string;
  url_screenshots: string;
  revision: string | null;
  version: string | null;
  /** JSON arrays kept for hydration; filtering uses rom_facets. */
  regions: string;
  languages: string;
  tags: string;
  crc_hash: string | null;
  md5_hash: string | null;
  sha1_hash: string | null;
  ra_hash: string | null;
  missing_from_fs: Bool;
  /** Derived from provider metadata on write (spec §8.3). */
  first_release_date: number | null;
  average_rating: number | null;
  player_count: string;
  /** First parsed region (sibling-representative ranking). */
  primary_region: string | null;
  /** When the metadata pass last processed this ROM; null: never. */
  metadata_scanned_at: EpochMs | null;
  /** JSON `{ field: source }` (`manual` = edited by a user, never overwritten) and `{ "origin:<media>": identity }`. */
  field_sources: ColumnType<string, string | undefined, string>;
  /** DAT verification (dats/verify-status.ts): worst status of the ROM's known files; null when not checked. */
  dat_status: ColumnType<DatStatus | null, DatStatus | null | undefined, DatStatus | null>;
  dat_game: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1G1R group: the DAT parent's name, or the game's own. */
  dat_parent: ColumnType<string | null, string | null | undefined, string | null>;
  dat_quality: ColumnType<number | null, number | null | undefined, number | null>;
  dat_order: ColumnType<number | null, number | null | undefined, number | null>;
  /** Multi-file games: every file the DAT lists is present and good (1/0); null for single-file games. */
  dat_complete: ColumnType<Bool | null, Bool | null | undefined, Bool | null>;
  created_at: EpochMs;
  updated_at: EpochMs;
}


export interface RomFilesTable {
  id: Generated<number>;
  rom_id: number;
  file_name: string;
  /** Library-relative directory containing the file. */
  file_path: string;
  file_size_bytes: number;
  /** File mtime in epoch milliseconds as recorded at the last hash. */
  last_modified: number | null;
  /** Change time (whole epoch ms) and inode at the last hash; null for rows scanned before they were recorded. */
  file_ctime_ms: number | null;
  file_ino: number | null;
  crc_hash: string | null;
  md5_hash: string | null;
  sha1_hash: string | null;
  ra_hash: string | null;
  chd_sha1_hash: string | null;
  /** Bytes of copier/emulator header skipped for the headerless hashes; 0: none found; null: never checked. */
  header_skipped: number | null;
  headerless_crc_hash: string | null;
  headerless_md5_hash: string | null;
  headerless_sha1_hash: string | null;
  archive_members: string | null;
  category: RomFileCategory | null;
  missing_from_fs: Bool;
  dat_status: ColumnType<DatStatus | null, DatStatus | null | undefined, DatStatus | null>;
  dat_game: ColumnType<string | null, string | null | undefined, string | null>;
  dat_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: EpochMs;
  updated_at: EpochMs;
}


export interface RomFacetsTable {
  rom_id: number;
  kind: FacetKind;
  value: string;
}

export type RomUserStatus = 'incomplete' | 'finished' | 'completed_100' | 'retired' | 'never_playing';

export interface RomUserTable {
  id: Generated<number>;
  rom_id: number;
  user_id: number;
  is_main_sibling: Bool;
  last_played: EpochMs | null;
  backlogged: Bool;
  now_playing: Bool;
  hidden: Bool;
  rating: number;
  difficulty: number;
  completion: number;
  status: RomUserStatus | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface RomNotesTable {
  id: Generated<number>;
  rom_id: number;
  user_id: number;
  title: string;
  content: string;
  is_public: Bool;
  tags: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface CollectionsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  description: string;
  is_public: Bool;
  is_favorite: Bool;
  path_cover_s: string;
  path_cover_l: string;
  url_cover: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface MetadataSourceFilesTable {
  source: string;
  /** SHA-1 of the absolute path (keys stay short on every engine). */
  file_key: string;
  path: string;
  fingerprint: string;
  applied_at: EpochMs;
}

export interface MetadataHttpCacheTable {
  provider: string;
  cache_key: string;
  status: number;
  body: string;
  fetched_at: EpochMs;
  expires_at: EpochMs;
}

export interface LaunchboxGamesTable {
  database_id: number;
  platform: string;
  name: string;
  /** Lower-cased trimmed name. */
  name_key: string;
  /** Letters and digits only (fold_title), for punctuation-blind matching. */
  folded_key: string;
  /** JSON object of the game's Metadata.xml fields. */
  data: string;
}

export interface LaunchboxAlternateNamesTable {
  database_id: number;
  name_key: string;
  region: string | null;
}

export interface LaunchboxImagesTable {
  database_id: number;
  file_name: string;
  type: string;
  region: string | null;
  /** Position in Metadata.xml (migration 0601): ties between images go to the one listed first. */
  seq: number;
}

export interface CollectionsRomsTable {
  collection_id: number;
  rom_id: number;
  created_at: EpochMs;
}

export interface SmartCollectionsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  description: string;
  is_public: Bool;
  filter_criteria: string;
  rom_ids: string;
  rom_count: number;
  path_covers_small: string;
  path_covers_large: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** Single row (id 1): `facets_version` is bumped by triggers when virtual collection membership may have changed. */
export interface CollectionsStateTable {
  id: number;
  facets_version: number;
}

/** A client device of a user (RomM's `Device`): registered by an app, or created when a device-code sign-in is approved. */
export interface DevicesTable {
  id: string;
  user_id: number;
  name: string | null;
  platform: string | null;
  client: string | null;
  client_version: string | null;
  ip_address: Generated<string | null>;
  mac_address: Generated<string | null>;
  hostname: Generated<string | null>;
  client_device_identifier: string | null;
  /** `api`, `file_transfer` or `push_pull`. */
  sync_mode: string;
  sync_enabled: Generated<Bool>;
  /** JSON object or null. */
  sync_config: Generated<string | null>;
  last_seen: EpochMs | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A device-code authorization request: `pending`, then `approved` (token parked by id) or `denied`. */
export interface DeviceCodesTable {
  device_code_hash: string;
  user_code: string;
  status: 'pending' | 'approved' | 'denied';
  client_device_identifier: string;
  name: string;
  client: string;
  platform: string | null;
  client_version: string | null;
  /** Space-separated scope list. */
  requested_scopes: string;
  client_token_id: number | null;
  last_poll_at: EpochMs | null;
  created_at: EpochMs;
  expires_at: EpochMs;
}

/** A firmware (BIOS) file of a platform (RomM's `Firmware`). */
export interface FirmwareTable {
  id: Generated<number>;
  platform_id: number;
  file_name: string;
  file_name_no_tags: string;
  file_name_no_ext: string;
  file_extension: string;
  /** Library-relative folder: `bios/<fs_slug>` (structure A) or `<fs_slug>/bios` (structure B). */
  file_path: string;
  file_size_bytes: number;
  crc_hash: string;
  md5_hash: string;
  sha1_hash: string;
  is_verified: Bool;
  missing_from_fs: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** An imported DAT file (migration 0900). */
export interface DatsTable {
  id: Generated<number>;
  /** SHA-1 of `folder:<relative path>` or `upload:<header name>`: one row per file or uploaded DAT. */
  source_key: string;
  source: 'folder' | 'upload';
  /** Path relative to DATS_PATH, or the uploaded file's name. */
  source_path: string;
  format: string;
  name: string;
  description: string | null;
  version: string | null;
  author: string | null;
  homepage: string | null;
  /** clrmamepro header skipper (`No-Intro_NES.xml`): the DAT's hashes are of the headerless file. */
  skipper: string | null;
  file_size: number;
  file_mtime: EpochMs | null;
  file_sha1: string;
  /** Catalogue slug from the header name, or the overriding platform's slug. */
  platform_slug: string | null;
  platform_id: number | null;
  /** 1: an admin set the platform; imports keep it. */
  platform_override: Bool;
  game_count: number;
  rom_count: number;
  imported_at: EpochMs;
  updated_at: EpochMs;
}

export interface DatGamesTable {
  id: Generated<number>;
  dat_id: number;
  /** Position in the DAT, from 0. */
  seq: number;
  name: string;
  description: string | null;
  /** `cloneof`: the parent's name, and its row once resolved. */
  parent_name: string | null;
  parent_id: number | null;
  rom_of: string | null;
  category: string | null;
  region: string | null;
  languages: string | null;
}

export interface DatRomsTable {
  id: Generated<number>;
  dat_id: number;
  game_id: number;
  name: string;
  size: number | null;
  crc: string | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  status: string;
  serial: string | null;
  is_disk: Bool;
}

export interface PermissionGroupsTable {
  id: Generated<number>;
  name: string;
  description: string;
  is_default: Bool;
  is_system: Bool;
  color: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface PermissionGroupGrantsTable {
  id: Generated<number>;
  group_id: number;
  entity: string;
  action: string;
  own_only: Bool;
}

export interface UserPermissionOverridesTable {
  id: Generated<number>;
  user_id: number;
  entity: string;
  action: string;
  granted: Bool;
  own_only: Bool;
}

/** A platform or ROM hidden from one user or from every member of one group (exactly one of the two is set). */
export interface HiddenEntitiesTable {
  id: Generated<number>;
  entity: string;
  entity_id: number;
  user_id: number | null;
  group_id: number | null;
  created_at: EpochMs;
}

/** Single row (id 1), bumped by every permission write. */
export interface PermissionsVersionTable {
  id: number;
  version: number;
}

/** A finished stretch of play (RomM's `PlaySession`); times in epoch ms, second precision. */
export interface PlaySessionsTable {
  id: Generated<number>;
  user_id: number;
  /** Null when the reporting device was unknown, or deleted since. */
  device_id: string | null;
  /** Null when the reported ROM was unknown or hidden from the user, or deleted since. */
  rom_id: number | null;
  sync_session_id: number | null;
  save_slot: string | null;
  start_time: EpochMs;
  end_time: EpochMs;
  duration_ms: number;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A device's save negotiation (RomM's `SyncSession`); `status` is RomM's upper-case name. */
export interface SyncSessionsTable {
  id: Generated<number>;
  device_id: string;
  user_id: number;
  status: 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
  initiated_at: EpochMs;
  completed_at: EpochMs | null;
  operations_planned: number;
  operations_completed: number;
  operations_failed: number;
  error_message: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** The file columns of a per-user asset row (RomM's `BaseAsset`); `file_path` is relative to `DATA_PATH/assets`. */
interface AssetColumns {
  id: Generated<number>;
  rom_id: number;
  user_id: number;
  file_name: string;
  file_name_no_tags: string;
  file_name_no_ext: string;
  file_extension: string;
  file_path: string;
  file_size_bytes: number;
  missing_from_fs: Generated<Bool>;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** "Now playing" per (user, device): RomM's Redis entry with its TTL; rows past `expires_at` are dead. */
export interface ActivityEntriesTable {
  user_id: number;
  device_id: string;
  rom_id: number;
  /** The device's client, else `unknown` (heartbeat route) or `web` (socket), as RomM labels them. */
  device_type: string;
  /** ISO 8601 text, kept verbatim across heartbeats as RomM does. */
  started_at: string;
  expires_at: EpochMs;
}

/** A user's save file of a ROM (RomM's `Save`). */
export interface SavesTable extends AssetColumns {
  emulator: string | null;
  slot: string | null;
  /** MD5 of the file, or of its zip entries (see content-hash.ts). */
  content_hash: string | null;
  origin_device_id: string | null;
  is_public: Generated<Bool>;
}

/** A user's emulator state of a ROM (RomM's `State`); `content_hash` is internal (versions), not in the schema. */
export interface StatesTable extends AssetColumns {
  emulator: string | null;
  content_hash: string | null;
  is_public: Generated<Bool>;
}

/** A user's screenshot of a ROM: a gallery upload or the thumbnail of a save or state. */
export interface ScreenshotsTable extends AssetColumns {
  is_gallery: Generated<Bool>;
  is_public: Generated<Bool>;
}

/** When a device last had a save's current content (RomM's `DeviceSaveSync`). */
export interface DeviceSaveSyncTable {
  device_id: string;
  save_id: number;
  last_synced_at: EpochMs;
  is_untracked: Generated<Bool>;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A previous content of a save or state: the file lives under `assets/versions/`, named `storage_name`. */
interface VersionColumns {
  id: Generated<number>;
  user_id: number;
  rom_id: number;
  file_name: string;
  file_path: string;
  emulator: string | null;
  storage_name: string;
  file_size_bytes: number;
  content_hash: string | null;
  /** `overwrite`, `delete` or `restore` (the content a restore replaced). */
  reason: string;
  /** The asset's `updated_at` while it had this content. */
  content_updated_at: EpochMs;
  created_at: EpochMs;
}

export interface SaveVersionsTable extends VersionColumns {
  save_id: number;
  slot: string | null;
}

export interface StateVersionsTable extends VersionColumns {
  state_id: number;
}

export interface Database {
  play_sessions: PlaySessionsTable;
  sync_sessions: SyncSessionsTable;
  activity_entries: ActivityEntriesTable;
  saves: SavesTable;
  states: StatesTable;
  screenshots: ScreenshotsTable;
  device_save_sync: DeviceSaveSyncTable;
  save_versions: SaveVersionsTable;
  state_versions: StateVersionsTable;
  permission_groups: PermissionGroupsTable;
  permission_group_grants: PermissionGroupGrantsTable;
  user_permission_overrides: UserPermissionOverridesTable;
  hidden_entities: HiddenEntitiesTable;
  permissions_version: PermissionsVersionTable;
  firmware: FirmwareTable;
  dats: DatsTable;
  dat_games: DatGamesTable;
  dat_roms: DatRomsTable;
  devices: DevicesTable;
  device_codes: DeviceCodesTable;
  users: UsersTable;
  sessions: SessionsTable;
  client_tokens: ClientTokensTable;
  refresh_tokens: RefreshTokensTable;
  auth_throttle: AuthThrottleTable;
  platforms: PlatformsTable;
  roms: RomsTable;
  rom_files: RomFilesTable;
  rom_facets: RomFacetsTable;
  metadata_source_files: MetadataSourceFilesTable;
  metadata_http_cache: MetadataHttpCacheTable;
  launchbox_games: LaunchboxGamesTable;
  launchbox_alternate_names: LaunchboxAlternateNamesTable;
  launchbox_images: LaunchboxImagesTable;
  rom_user: RomUserTable;
  rom_notes: RomNotesTable;
  collections: CollectionsTable;
  collections_roms: CollectionsRomsTable;
  smart_collections: SmartCollectionsTable;
  collections_state: CollectionsStateTable;
}

export type { FacetKind, RomFileCategory };
