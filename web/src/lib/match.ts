/**
 * Pure helpers of the Match dialog: a candidate's cover, the providers that know it, and the edit form that applies
 * it (every provider id it carries, so the server re-fetches each of those providers).
 */
import type { SearchRom } from './api/types';

/** Provider slugs in the order their cover is preferred, with their badge text. */
const PROVIDERS: Array<[string, string]> = [
  ['igdb', 'IGDB'], ['ss', 'ScreenScraper'], ['moby', 'MobyGames'], ['launchbox', 'LaunchBox'], ['sgdb', 'SteamGridDB'],
  ['libretro', 'libretro'], ['flashpoint', 'Flashpoint'], ['ra', 'RetroAchievements'], ['hasheous', 'Hasheous'],
  ['tgdb', 'TheGamesDB'], ['hltb', 'HowLongToBeat'],
];

const field = (entry: SearchRom, key: string): unknown => (entry as Record<string, unknown>)[key];

/** An image address the page may load: HTTPS anywhere (the CSP allows it for these covers) or this origin. */
export function safeImageUrl(value: unknown, origin: string): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  try {
    const url = new URL(value, origin);
    if (url.protocol === 'https:' || url.origin === origin) return url.href;
  } catch {
    /* not a URL */
  }
  return null;
}

/** The first usable cover of a candidate, in provider order. */
export function matchCover(entry: SearchRom, origin: string): string | null {
  for (const [slug] of PROVIDERS) {
    const url = safeImageUrl(field(entry, `${slug}_url_cover`), origin);
    if (url) return url;
  }
  return null;
}

export interface MatchBadge {
  slug: string;
  label: string;
  id: string;
}

/** The providers that identified a candidate, with their ids. */
export function matchBadges(entry: SearchRom): MatchBadge[] {
  const out: MatchBadge[] = [];
  for (const [slug, label] of PROVIDERS) {
    const id = field(entry, `${slug}_id`);
    if ((typeof id === 'number' && Number.isFinite(id) && id !== 0) || (typeof id === 'string' && id.trim())) out.push({ slug, label, id: String(id) });
  }
  return out;
}

/** The PUT /api/roms/{id} fields that apply a candidate: `igdb_id=1234`, `ss_id=…`. */
export function matchFields(entry: SearchRom): Record<string, string> {
  return Object.fromEntries(matchBadges(entry).map((b) => [`${b.slug}_id`, b.id]));
}
