/**
 * The metadata subsystem's contract. A provider identifies a ROM in its own data (a gamelist.xml entry, a LaunchBox
 * game, a libretro thumbnail name) and answers with fields, its provider blob and media files on disk; the merge
 * step (merge.ts) combines the answers of every selected provider under the configured priority, and the pass
 * (pass.ts) writes the result. Online providers plug in through the same interface.
 */

/** RomM's metadata source slugs (`scan.priority.*`, the `metadata_providers` filter, the scan's `apis`). */
export const SOURCE_IDS = [
  'igdb', 'moby', 'ss', 'ra', 'launchbox', 'hasheous', 'tgdb', 'sgdb', 'flashpoint', 'hltb', 'gamelist', 'libretro', 'playmatch',
] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** The sources that read only files on this machine. */
export const LOCAL_SOURCE_IDS = ['gamelist', 'launchbox', 'libretro'] as const satisfies readonly SourceId[];
export type LocalSourceId = (typeof LOCAL_SOURCE_IDS)[number];

export const isSourceId = (v: string): v is SourceId => (SOURCE_IDS as readonly string[]).includes(v);

/** A platform as providers see it. */
export interface MetadataPlatform {
  id: number;
  /** Canonical slug (catalogue), e.g. `snes`. */
  slug: string;
  /** Folder name in the library, e.g. `snes` or `Super Nintendo`. */
  fsSlug: string;
  name: string;
  /** Absolute folder holding the platform's ROMs (where its gamelist.xml sits). */
  romsDir: string;
}

/** A ROM as providers see it. */
export interface MetadataRom {
  id: number;
  platformId: number;
  fsName: string;
  fsNameNoTags: string;
  fsNameNoExt: string;
  /** Regions parsed from the file name (`USA`, `Europe`…). */
  regions: string[];
  crc: string | null;
  md5: string | null;
  sha1: string | null;
  /** Total size of the ROM's files. */
  sizeBytes?: number;
  /** RetroAchievements' hash of the ROM (`ra_hash`), when the scanner computed one. */
  raHash?: string | null;
  /** Provider ids currently stored (keyed by id column, e.g. `launchbox_id`); a `lookup` must prefer its own id when set (a manual match stores it, then re-runs the pass). */
  ids: Partial<Record<ProviderIdColumn, string | number | null>>;
}

export type ProviderIdColumn =
  | 'igdb_id' | 'moby_id' | 'ss_id' | 'ra_id' | 'launchbox_id' | 'hasheous_id' | 'tgdb_id' | 'sgdb_id' | 'flashpoint_id'
  | 'hltb_id' | 'gamelist_id' | 'libretro_id';

/** A file a provider points at, with the root it must stay inside (checked again, after symlinks, before reading). */
export interface MediaFile {
  /** Absolute path. */
  path: string;
  /** Absolute folder the file must resolve inside (the library, ESDE_MEDIA_PATH, LAUNCHBOX_PATH…). */
  root: string;
}

/** A remote file a provider points at; fetched through the SSRF-safe fetch (net/safe-fetch.ts), never trusted. */
export interface MediaUrl {
  url: string;
}

/** Where a media file comes from: a file on this machine, or a URL from a provider's answer. */
export type MediaSource = MediaFile | MediaUrl;

export const isMediaUrl = (s: MediaSource): s is MediaUrl => 'url' in s;
/** A source as messages may show it: a URL without its query (which may carry a provider's credentials). */
export const mediaLabel = (s: MediaSource): string => (isMediaUrl(s) ? urlWithoutQuery(s.url) : s.path);

function urlWithoutQuery(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Media kinds stored under `resources/roms/<platform>/<rom>/`; the extras are recorded in the provider blob. */
export const EXTRA_MEDIA = ['title_screen', 'marquee', 'fanart', 'box2d_back', 'box3d', 'miximage', 'physical', 'video'] as const;
export type ExtraMedia = (typeof EXTRA_MEDIA)[number];

export interface MediaRefs {
  cover?: MediaSource;
  screenshots?: MediaSource[];
  /** A PDF. */
  manual?: MediaSource;
  extras?: Partial<Record<ExtraMedia, MediaSource>>;
}

/** One provider's answer for one ROM. Absent fields mean "this source has nothing"; they never clear a value. */
export interface ProviderMatch {
  source: SourceId;
  /** Value of the provider's id column (`gamelist_id`, `launchbox_id`, `libretro_id`…). */
  id: string | number;
  name?: string;
  summary?: string;
  /** A sort name the source gives (gamelist `<sortname>`). */
  sortName?: string;
  /** The provider blob stored in `<source>_metadata` (RomM's shape); sources without a blob column leave it out. */
  metadata?: Record<string, unknown>;
  /** `url_cover`, `url_screenshots`, `url_manual` as RomM records them (file:// URIs or remote URLs). */
  urls?: { cover?: string; screenshots?: string[]; manual?: string };
  media: MediaRefs;
}

/** Problems worth a line in the scan summary; none of them stops a scan. */
export type MetadataIssueKind =
  | 'source-malformed' | 'source-unreadable' | 'path-outside-root' | 'media-rejected' | 'media-too-large' | 'media-failed';

export interface MetadataIssues {
  add(kind: MetadataIssueKind, path: string, message: string): void;
}

/** What a lookup is told of the same ROM's other answers (RomM's SteamGridDB searches the names they found). */
export interface LookupContext {
  /** The answers of the providers looked up before this one, for this ROM. */
  earlier: readonly ProviderMatch[];
}

/** A provider's view of one platform, opened once per platform per pass (a parsed gamelist, an open index…). */
export interface PlatformSession {
  lookup(rom: MetadataRom, context?: LookupContext): Promise<ProviderMatch | null>;
  close?(): Promise<void>;
}

/** A manual-match search (GET /api/search/roms): a name, or the provider's own id. */
export interface MetadataSearch {
  platform: MetadataPlatform;
  term: string;
  by: 'name' | 'id';
}

export interface MetadataProvider {
  readonly id: SourceId;
  /** RomM's `heartbeat.METADATA_SOURCES` flag this provider sets when `available()` (e.g. `HASHEOUS_API_ENABLED`). */
  readonly heartbeatFlag?: string;
  /** True for providers that call a remote service (their lookups are paced and cached). */
  readonly online?: boolean;
  /**
   * A source whose selection for a scan selects this provider too: it answers for `id` from that source's data
   * (IGDB data through Hasheous when IGDB has no credentials), as RomM's answer of that source would.
   */
  readonly runsWith?: SourceId;
  /** Looked up after every other provider, with their answers in `LookupContext` (SteamGridDB). */
  readonly lookupLast?: boolean;
  /** `GET /api/heartbeat/metadata/{source}`: whether the service answers now (local sources: their files exist). */
  health?(): Promise<boolean>;
  /**
   * Ids for other providers, found before they look the ROM up (Playmatch: hash → IGDB, MobyGames, ScreenScraper,
   * LaunchBox ids). They fill only ids the ROM does not have yet, and are stored only if a provider then matches.
   */
  hints?(rom: MetadataRom): Promise<Partial<Record<ProviderIdColumn, string | number>>>;
  /** Candidates for a manual match, best first (at most 20). */
  search?(query: MetadataSearch): Promise<ProviderMatch[]>;
  /** True when the source is configured and its files are present (the heartbeat reports this). */
  available(): Promise<boolean>;
  /**
   * Identity of everything the provider reads for this platform (paths with size, mtime, inode…), from stat calls
   * only; null when it has nothing for the platform. A changed fingerprint makes a quick scan re-apply the source.
   */
  fingerprint(platform: MetadataPlatform): Promise<string | null>;
  /** Null when the provider has nothing for this platform. */
  open(platform: MetadataPlatform, issues: MetadataIssues): Promise<PlatformSession | null>;
  /** Work done once per pass before any platform (LaunchBox imports a changed Metadata.xml). */
  prepare?(issues: MetadataIssues, signal?: AbortSignal): Promise<void>;
}
