/**
 * An IGDB game as Hasheous's metadata proxy answers it (`GET /MetadataProxy/IGDB/Game?Id=…&expandColumns=…`), turned
 * into what RomM stores from it: `igdb_metadata` in RomM's shape (genres, franchises, companies, game modes, age
 * ratings, ratings as strings, release date in seconds, first YouTube video…), name, summary, and the cover and
 * screenshot URLs at RomM's sizes. The proxy expands relations as objects keyed by id (or, for some, arrays); both
 * are read, anything else is ignored.
 */
import { positiveId, text } from './hash-match.ts';
import { IGDB_AGE_RATINGS, type IgdbAgeRating } from '../igdb/age-ratings.ts';

/** RomM's `igdb_metadata` (RomIGDBMetadata). */
export interface IgdbMetadata {
  total_rating: string | null;
  aggregated_rating: string | null;
  first_release_date: number | null;
  youtube_video_id: string | null;
  genres: string[];
  franchises: string[];
  alternative_names: string[];
  collections: string[];
  companies: string[];
  game_modes: string[];
  age_ratings: IgdbAgeRating[];
  platforms: { igdb_id: number; name: string }[];
  multiplayer_modes: unknown[];
  player_count: string;
  expansions: unknown[];
  dlcs: unknown[];
  remasters: unknown[];
  remakes: unknown[];
  expanded_games: unknown[];
  ports: unknown[];
  similar_games: unknown[];
}

export interface IgdbGame {
  igdbId: number;
  name: string | null;
  summary: string | null;
  /** `https://images.igdb.com/…/t_1080p/…`, or null. */
  coverUrl: string | null;
  /** `…/t_720p/…`, in the proxy's order. */
  screenshotUrls: string[];
  metadata: IgdbMetadata;
}

/** Relations the proxy is asked to expand (RomM's list). */
export const IGDB_EXPAND_COLUMNS =
  'age_ratings, alternative_names, collections, cover, dlcs, expanded_games, franchise, franchises, game_modes, genres, involved_companies, platforms, ports, remakes, screenshots, similar_games, videos';

const MAX_LIST = 200;

const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** The expanded objects of a relation: `{ "12": {…}, … }` or `[{…}, …]`; ids left unexpanded are skipped. */
function expanded(v: unknown): Record<string, unknown>[] {
  const items = Array.isArray(v) ? v : Object.values(obj(v) ?? {});
  const out: Record<string, unknown>[] = [];
  for (const item of items) {
    const o = obj(item);
    if (o) out.push(o);
    if (out.length >= MAX_LIST) break;
  }
  return out;
}

function names(v: unknown, pick: (o: Record<string, unknown>) => unknown = (o) => o.name): string[] {
  const out = new Set<string>();
  for (const o of expanded(v)) {
    const n = text(pick(o), 500);
    if (n) out.add(n);
  }
  return [...out];
}

/** Python's `str(round(x, 2))`: `88.52`, `90.0`, `0.0`. */
function ratingText(v: unknown): string {
  const x = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  const r = Math.round(x * 100) / 100;
  return Number.isInteger(r) ? `${r}.0` : String(r);
}

/** Seconds since the epoch from the proxy's ISO date (or IGDB's own seconds). */
function releaseSeconds(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v !== 'string' || v.trim() === '') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : Math.trunc(ms / 1000);
}

/** `//images.igdb.com/…/t_thumb/x.jpg` → `https://images.igdb.com/…/t_<size>/x.jpg`; non-http(s) URLs are dropped. */
export function igdbImageUrl(v: unknown, size: 't_1080p' | 't_720p'): string | null {
  const raw = text(v, 2048);
  if (!raw) return null;
  const absolute = raw.startsWith('//') ? `https:${raw}` : raw;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.toString().replace('/t_thumb/', `/${size}/`);
}

export function parseIgdbGame(body: unknown, expectedId: number): IgdbGame | null {
  const game = obj(body);
  if (!game) return null;
  const igdbId = positiveId(game.id) ?? expectedId;

  const videos = expanded(game.videos);
  const franchise = obj(game.franchise);
  const franchises = [...new Set([...(franchise ? names([franchise]) : []), ...names(game.franchises)])];
  const ageRatings: IgdbAgeRating[] = [];
  for (const r of expanded(game.age_ratings)) {
    const rating = typeof r.rating_category === 'number' ? IGDB_AGE_RATINGS.get(r.rating_category) ?? null : null;
    if (rating) ageRatings.push({ ...rating });
  }
  const platforms: IgdbMetadata['platforms'] = [];
  for (const p of expanded(game.platforms)) {
    const id = positiveId(p.id);
    if (id !== null) platforms.push({ igdb_id: id, name: text(p.name, 500) ?? '' });
  }

  const metadata: IgdbMetadata = {
    youtube_video_id: text(videos[0]?.video_id, 64),
    total_rating: ratingText(game.total_rating),
    aggregated_rating: ratingText(game.aggregated_rating),
    first_release_date: releaseSeconds(game.first_release_date),
    genres: names(game.genres),
    franchises,
    alternative_names: names(game.alternative_names),
    collections: names(game.collections),
    game_modes: names(game.game_modes),
    companies: names(game.involved_companies, (ic) => obj(ic.company)?.name),
    platforms,
    age_ratings: ageRatings,
    expansions: [], dlcs: [], ports: [], remakes: [], remasters: [], similar_games: [], expanded_games: [],
    multiplayer_modes: [],
    player_count: '1',
  };

  const screenshotUrls: string[] = [];
  for (const s of expanded(game.screenshots)) {
    const url = igdbImageUrl(s.url, 't_720p');
    if (url) screenshotUrls.push(url);
  }
  return {
    igdbId, name: text(game.name, 1000), summary: text(game.summary), coverUrl: igdbImageUrl(obj(game.cover)?.url, 't_1080p'),
    screenshotUrls, metadata,
  };
}
