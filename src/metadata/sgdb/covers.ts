/**
 * Covers from SteamGridDB in RomM's shapes: `SGDBResource` / `SearchCoverSchema` for the cover picker
 * (`GET /api/search/cover`), and the one cover a scan takes. Locked grids are left out (SteamGridDB serves a DMCA
 * placeholder for them), as RomM does.
 */
import { COVER_DIMENSIONS, type GridFilter, type SgdbClient, type SgdbGame } from './client.ts';

/** RomM's SGDBResource. */
export interface SgdbResource {
  thumb: string;
  url: string;
  type: string;
  width: number;
  height: number;
  style: string;
  author: string;
  score: number;
  nsfw: boolean;
  humor: boolean;
  epilepsy: boolean;
}

/** RomM's SearchCoverSchema (one game and its covers). */
export interface SgdbCoverResult {
  name: string;
  resources: SgdbResource[];
}

/** The picker's filter: every type and every content flag, so the user can toggle them. */
const PICKER_FILTER: GridFilter = { dimensions: COVER_DIMENSIONS, types: ['static', 'animated'], nsfw: 'any', humor: 'any', epilepsy: 'any' };
/** A scan's filter: static, and nothing flagged. */
export const SCAN_FILTER: GridFilter = { dimensions: COVER_DIMENSIONS, types: ['static'], nsfw: false, humor: false, epilepsy: false };

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/** A game's covers as RomM lists them; grids without a usable URL are skipped. */
export async function gameCovers(client: SgdbClient, game: SgdbGame, filter: GridFilter): Promise<SgdbCoverResult> {
  const grids = await client.grids(game.id, filter);
  return {
    name: game.name,
    resources: grids.filter((g) => !g.lock && isHttpUrl(g.url)).map((g) => ({
      thumb: g.thumb, url: g.url, type: g.thumb.endsWith('.webm') ? 'animated' : 'static', width: g.width, height: g.height,
      style: g.style, author: g.author, score: g.score, nsfw: g.nsfw, humor: g.humor, epilepsy: g.epilepsy,
    })),
  };
}

/** The first cover a scan would take for a game, or null. */
export async function firstCover(client: SgdbClient, game: SgdbGame): Promise<string | null> {
  return (await gameCovers(client, game, SCAN_FILTER)).resources.find((r) => r.url)?.url ?? null;
}

/**
 * `GET /api/search/cover`: every game SteamGridDB finds for the term, each with all its covers (RomM's
 * `get_details`). An empty term asks nothing. ProviderError (kind `auth` for a refused key) propagates.
 */
export async function searchSgdbCovers(client: SgdbClient, term: string): Promise<SgdbCoverResult[]> {
  const trimmed = term.trim();
  if (!trimmed) return [];
  const games = await client.searchGames(trimmed);
  return Promise.all(games.map((g) => gameCovers(client, g, PICKER_FILTER)));
}
