/**
 * A MobyGames game (the `normal` format of `GET /games`) as romshelf stores it: RomM's `moby_metadata` blob
 * (`moby_score` as text, genre names, alternate titles, platforms), the name and description, and the sample cover
 * and screenshots as URLs for the media store to fetch through the SSRF-safe fetch. Answers are checked field by
 * field: a game without a numeric id or a title is dropped, a field of the wrong type is left out.
 */
import type { ProviderMatch } from '../types.ts';

export interface MobyGame {
  game_id: number;
  title: string;
  description?: string | null;
  moby_score?: number | string | null;
  genres?: unknown;
  alternate_titles?: unknown;
  platforms?: unknown;
  sample_cover?: unknown;
  sample_screenshots?: unknown;
}

export interface MobyMetadata {
  moby_score: string;
  genres: string[];
  alternate_titles: string[];
  platforms: { moby_id: number; name: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** The games of a `{ games: [...] }` answer that have an id and a title; null when the answer has no list. */
export function gamesOf(body: unknown): MobyGame[] | null {
  if (!isObject(body) || !Array.isArray(body.games)) return null;
  return list(body.games).flatMap((g) => {
    const id = g.game_id;
    const title = text(g.title);
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 && title ? [{ ...g, game_id: id, title }] : [];
  });
}

/** Python's `str()` of the score, as RomM records it (`7.6`, `8.0`). */
function scoreText(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? v.toFixed(1) : String(v);
  return typeof v === 'string' ? v : '';
}

export function mobyMetadata(game: MobyGame): MobyMetadata {
  return {
    moby_score: scoreText(game.moby_score),
    genres: list(game.genres).map((g) => text(g.genre_name)).filter((g): g is string => g !== null),
    alternate_titles: list(game.alternate_titles).map((a) => text(a.title)).filter((t): t is string => t !== null),
    platforms: list(game.platforms).flatMap((p) =>
      typeof p.platform_id === 'number' && text(p.platform_name) ? [{ moby_id: p.platform_id, name: String(p.platform_name) }] : []),
  };
}

/** An http(s) URL from the answer, or null (anything else is not worth handing to the media store). */
function imageUrl(v: unknown): string | null {
  const s = text(v);
  if (!s) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** The provider's answer for one game. */
export function mobyMatch(game: MobyGame): ProviderMatch {
  const match: ProviderMatch = { source: 'moby', id: game.game_id, name: game.title, metadata: { ...mobyMetadata(game) }, media: {} };
  const summary = text(game.description);
  if (summary) match.summary = summary;
  const cover = isObject(game.sample_cover) ? imageUrl(game.sample_cover.image) : null;
  const shots = list(game.sample_screenshots).map((s) => imageUrl(s.image)).filter((u): u is string => u !== null);
  const urls: NonNullable<ProviderMatch['urls']> = {};
  if (cover) {
    urls.cover = cover;
    match.media.cover = { url: cover };
  }
  if (shots.length) {
    urls.screenshots = shots;
    match.media.screenshots = shots.map((url) => ({ url }));
  }
  if (Object.keys(urls).length) match.urls = urls;
  return match;
}
