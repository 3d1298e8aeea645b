/**
 * RomM's `launchbox_metadata` blob, built from a game of a local platform XML (field names of LaunchBox's own data
 * files) and/or the imported Metadata.xml entry (the public database's field names); the local value wins. Pure.
 */
import { REGION_PROVIDER_CODES } from '../../library/tags.ts';

/** Fields of one `<Game>` as text, by element name. */
export type GameFields = Readonly<Record<string, string>>;

export interface LaunchboxImage {
  url: string;
  type: string;
  region: string;
}

export interface LaunchboxMetadata {
  first_release_date: number | null;
  max_players: number;
  release_type: string;
  cooperative: boolean;
  youtube_video_id: string;
  community_rating: number;
  community_rating_count: number;
  wikipedia_url: string;
  esrb: string;
  genres: string[];
  companies: string[];
  images: LaunchboxImage[];
  video_url?: string;
}

export const LAUNCHBOX_IMAGE_HOST = 'https://images.launchbox-app.com/';

/** First value that is non-empty once trimmed, trimmed; null when none. */
export function coalesce(...values: (string | null | undefined)[]): string | null {
  for (const v of values) {
    const s = v?.trim();
    if (s) return s;
  }
  return null;
}

/** "Action; Platform, Shooter" → ["Action", "Platform", "Shooter"]. */
export function parseList(value: string | null): string[] {
  if (!value) return [];
  return value.split(/[;,]/).map((p) => p.trim()).filter(Boolean);
}

/** Case-insensitive dedupe keeping first place; a later spelling with capitals replaces an all-lower-case one. */
export function dedupeWords(values: (string | null | undefined)[]): string[] {
  const index = new Map<string, number>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw?.trim();
    if (!v) continue;
    const key = v.toLowerCase();
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(v);
    } else if (isLower(out[at] ?? '') && !isLower(v)) {
      out[at] = v;
    }
  }
  return out;
}

/** Python's str.islower: has a cased character and no upper-case one. */
function isLower(s: string): boolean {
  return s !== s.toUpperCase() && s === s.toLowerCase();
}

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO date or date-time (LaunchBox writes `2000-08-11T00:00:00-07:00`) as epoch SECONDS, as RomM stores it; a
 * value without an offset is taken as UTC (RomM uses the server's zone there). Null when not an ISO date.
 */
export function parseReleaseDate(value: string | null): number | null {
  const m = value ? ISO_DATE_RE.exec(value.trim()) : null;
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  let offset = 'Z';
  if (zone && zone !== 'Z') offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2001-02-30 over to March; Python refuses it.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
  return Math.floor(ms / 1000);
}

export function parsePlayMode(playMode: string | null | undefined): boolean {
  return !!playMode && /\b(cooperative|coop|co-op)\b/i.test(playMode);
}

/** The YouTube video id of a watch or youtu.be URL, '' otherwise. */
export function parseVideoUrl(url: string | null): string {
  if (!url) return '';
  if (url.includes('youtube.com/watch?v=')) return (url.split('v=').pop() ?? '').split('&')[0] ?? '';
  if (url.includes('youtu.be/')) return (url.split('/').pop() ?? '').split('?')[0] ?? '';
  return '';
}

const REGION_OVERRIDES: Record<string, string> = {
  'north america': 'us', 'united states': 'us', 'united kingdom': 'uk', 'the netherlands': 'nl',
};
const REGION_CODES_CI = new Map(Object.entries(REGION_PROVIDER_CODES).map(([name, code]) => [name.toLowerCase(), code]));

/** A LaunchBox image region ("North America", "Europe") as a provider short code ("us", "eu"). */
export function launchboxRegionCode(region: string | null | undefined): string | null {
  const key = region?.trim().toLowerCase();
  if (!key) return null;
  return REGION_OVERRIDES[key] ?? REGION_CODES_CI.get(key) ?? null;
}

/** Region short codes a ROM prefers: its file-name regions ordered by the priority list, then that list. */
export function romRegionCodes(regions: readonly string[], priority: readonly string[]): string[] {
  const rank = (c: string): number => (priority.includes(c) ? priority.indexOf(c) : priority.length);
  const codes = [...new Set(regions.map(launchboxRegionCode).filter((c): c is string => !!c))];
  if (!codes.length) return [];
  codes.sort((a, b) => rank(a) - rank(b));
  return [...new Set([...codes, ...priority])];
}

const int = (v: string | null): number => {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) && /^\s*[+-]?\d+\s*$/.test(v ?? '') ? n : 0;
};
const float = (v: string | null): number => {
  const n = Number(v ?? '');
  return v && Number.isFinite(n) ? n : 0;
};
const truthy = (v: string | null | undefined): boolean => ['1', 'true', 'yes', 'on'].includes((v ?? '').trim().toLowerCase());

export function buildLaunchboxMetadata(local: GameFields | null, remote: GameFields | null, images: LaunchboxImage[]): LaunchboxMetadata {
  const pick = (localKey: string, remoteKey: string): string | null => coalesce(local?.[localKey], remote?.[remoteKey]);
  const cooperative = local && coalesce(local.PlayMode) ? parsePlayMode(local.PlayMode) : truthy(remote?.Cooperative ?? 'false');
  return {
    first_release_date: parseReleaseDate(pick('ReleaseDate', 'ReleaseDate')),
    max_players: int(pick('MaxPlayers', 'MaxPlayers')),
    release_type: pick('ReleaseType', 'ReleaseType') ?? '',
    cooperative,
    youtube_video_id: parseVideoUrl(pick('VideoUrl', 'VideoURL')),
    community_rating: float(pick('CommunityStarRating', 'CommunityRating')),
    community_rating_count: int(pick('CommunityStarRatingTotalVotes', 'CommunityRatingCount')),
    wikipedia_url: pick('WikipediaURL', 'WikipediaURL') ?? '',
    esrb: (pick('Rating', 'ESRB') ?? '').split(' - ')[0]?.trim() ?? '',
    genres: parseList(pick('Genre', 'Genres')),
    companies: dedupeWords([pick('Publisher', 'Publisher'), pick('Developer', 'Developer')]),
    images,
  };
}

/** The public database's images of a game as blob entries (`https://images.launchbox-app.com/<FileName>`). */
export function remoteImages(rows: readonly { file_name: string; type: string; region: string | null }[]): LaunchboxImage[] {
  const seen = new Set<string>();
  const out: LaunchboxImage[] = [];
  for (const r of rows) {
    if (!r.file_name) continue;
    const url = LAUNCHBOX_IMAGE_HOST + r.file_name;
    if (seen.has(url)) continue;
    seen.add(url);
    out.push({ url, type: r.type, region: r.region ?? '' });
  }
  return out;
}

/** Cover image types in descending preference; region breaks ties within a type. */
export const COVER_PRIORITY_TYPES = [
  'Box - Front', 'Box - Front - Reconstructed', 'Fanart - Box - Front', 'Box - 3D',
  'Amazon Poster', 'Epic Games Poster', 'GOG Poster', 'Steam Poster',
] as const;

/** The best remote cover: the highest-priority type present, within it the first image of a preferred region. */
export function selectRemoteCover<T extends { file_name: string; type: string; region: string | null }>(
  rows: readonly T[], regionCodes: readonly string[],
): T | null {
  for (const type of COVER_PRIORITY_TYPES) {
    const typed = rows.filter((r) => r.type === type && r.file_name);
    if (!typed.length) continue;
    for (const code of regionCodes) {
      const hit = typed.find((r) => launchboxRegionCode(r.region) === code);
      if (hit) return hit;
    }
    return typed[0] ?? null;
  }
  return null;
}
