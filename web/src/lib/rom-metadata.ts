/**
 * Pure helpers for showing a ROM's metadata: where a field came from, links to the gallery filtered by a value,
 * media URLs the page may load, and date and rating text.
 */
import { DEFAULT_VIEW, viewToQuery, type MultiFilter } from './view-state';

/** Display names of the sources the server records; an unknown slug is shown as it is. */
const SOURCE_NAMES: Record<string, string> = {
  gamelist: 'gamelist.xml',
  launchbox: 'LaunchBox',
  libretro: 'libretro thumbnails',
  igdb: 'IGDB',
  ss: 'ScreenScraper',
  moby: 'MobyGames',
  ra: 'RetroAchievements',
  hasheous: 'Hasheous',
  flashpoint: 'Flashpoint',
  hltb: 'HowLongToBeat',
  sgdb: 'SteamGridDB',
  tgdb: 'TheGamesDB',
};

/** The muted label beside a field: `from gamelist.xml`, `edited by hand`, or '' when no source is recorded. */
export function sourceLabel(slug: string | null | undefined): string {
  const s = slug?.trim();
  if (!s) return '';
  if (s === 'manual') return 'edited by hand';
  return `from ${SOURCE_NAMES[s] ?? s}`;
}

/** The setting an admin sets to make a local source available (shown beside a disabled checkbox). */
const SOURCE_SETTINGS: Record<string, string> = {
  gamelist: 'ESDE_MEDIA_PATH',
  launchbox: 'LAUNCHBOX_PATH or LAUNCHBOX_METADATA_PATH',
  libretro: 'LIBRETRO_THUMBNAILS_PATH',
};

export function sourceSettingHint(id: string): string {
  const setting = SOURCE_SETTINGS[id];
  return setting ? `Set ${setting} on the server to use it` : 'Not configured on the server';
}

/** Gallery link listing every ROM with this value in a multi-value filter (`/roms?genres=Platform`). */
export function galleryFilterHref(filter: MultiFilter, value: string): string {
  return `/roms${viewToQuery({ ...DEFAULT_VIEW, filters: { [filter]: { values: [value], logic: 'any' } } })}`;
}

/**
 * A media URL the page may use, or null: same-origin http(s) only, since the CSP (`img-src 'self'`) blocks any
 * other origin and a `javascript:` or `data:` address must never reach a link.
 */
export function sameOriginUrl(url: string | null | undefined, origin: string): string | null {
  if (!url || typeof url !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(url, origin);
  } catch {
    return null;
  }
  if (parsed.origin !== new URL(origin).origin || !['http:', 'https:'].includes(parsed.protocol)) return null;
  return parsed.pathname + parsed.search + parsed.hash;
}

/** Screenshot URLs to show: safe ones only, each once, in the server's order. */
export function screenshotUrls(urls: readonly unknown[] | null | undefined, origin: string): string[] {
  const seen = new Set<string>();
  for (const u of urls ?? []) {
    const safe = typeof u === 'string' ? sameOriginUrl(u, origin) : null;
    if (safe) seen.add(safe);
  }
  return [...seen];
}

/** A resources-relative path (`path_manual`, `path_video`) as its URL under `/assets/romm/resources/`. */
export function resourceUrl(path: string | null | undefined): string | null {
  if (!path) return null;
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || /^[a-z][a-z0-9+.-]*:/i.test(parts[0] ?? '')) return null;
  return `/assets/romm/resources/${parts.map(encodeURIComponent).join('/')}`;
}

/** A release date (epoch milliseconds) as `YYYY-MM-DD`, '' when unknown. */
export function formatReleaseDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** An average rating on RomM's 0-100 scale as `85 / 100`, '' when unknown or out of range. */
export function formatRating(rating: number | null | undefined): string {
  if (rating === null || rating === undefined || !Number.isFinite(rating) || rating < 0 || rating > 100) return '';
  return `${Math.round(rating)} / 100`;
}
