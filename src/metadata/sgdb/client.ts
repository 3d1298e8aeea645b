/**
 * SteamGridDB's API v2 (https://www.steamgriddb.com/api/v2), the calls RomM makes: game search
 * (`search/autocomplete/<term>`), a game by id (`games/id/<id>`) and a game's grids (`grids/game/<id>`, 50 a page,
 * read page after page). A bearer key (`STEAMGRIDDB_API_KEY`); answers are cached by ProviderHttp without the key.
 * Answers are checked field by field: anything not shaped as documented is dropped, never trusted.
 */
import { ProviderError, type ProviderHttp } from '../online/provider-http.ts';

export interface SgdbGame {
  id: number;
  name: string;
}

/** One grid as RomM reads it (steamgriddb_types.SGDBGrid). */
export interface SgdbGrid {
  id: number;
  url: string;
  thumb: string;
  width: number;
  height: number;
  style: string;
  score: number;
  nsfw: boolean;
  humor: boolean;
  epilepsy: boolean;
  lock: boolean;
  author: string;
}

/** `true`/`false` filter a flag; `any` shows both (RomM's cover picker). */
export type SgdbFlag = boolean | 'any';

export interface GridFilter {
  dimensions: readonly string[];
  types: readonly ('static' | 'animated')[];
  nsfw: SgdbFlag;
  humor: SgdbFlag;
  epilepsy: SgdbFlag;
}

/** RomM's cover dimensions: Steam vertical, GOG Galaxy tile and cover, the two squares. */
export const COVER_DIMENSIONS = ['600x900', '342x482', '660x930', '512x512', '1024x1024'] as const;
const PAGE_SIZE = 50;
/** A game with more grids than this (pages of 50) is read no further: a cover picker has plenty. */
const MAX_PAGES = 10;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function toGame(v: unknown): SgdbGame | null {
  if (!isRecord(v) || !Number.isSafeInteger(v.id) || typeof v.name !== 'string') return null;
  return { id: v.id as number, name: v.name };
}

function toGrid(v: unknown): SgdbGrid | null {
  if (!isRecord(v) || typeof v.url !== 'string' || typeof v.thumb !== 'string') return null;
  return {
    id: num(v.id), url: v.url, thumb: v.thumb, width: num(v.width), height: num(v.height), style: text(v.style), score: num(v.score),
    nsfw: v.nsfw === true, humor: v.humor === true, epilepsy: v.epilepsy === true, lock: v.lock === true,
    author: isRecord(v.author) ? text(v.author.name) : '',
  };
}

function dataOf(body: unknown, provider: string): unknown {
  if (!isRecord(body)) throw new ProviderError(provider, 'malformed', 'the answer is not an object');
  return body.data;
}

export class SgdbClient {
  constructor(private readonly http: ProviderHttp, private readonly apiKey: string | null) {}

  get enabled(): boolean {
    return this.apiKey !== null;
  }

  /** Closes the circuit breaker and clears the counters (start of a pass, of a user's search). */
  reset(): void {
    this.http.reset();
  }

  private get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey ?? ''}` };
  }

  /** Games whose name starts like `term` (SteamGridDB's autocomplete), as it ranks them. */
  async searchGames(term: string): Promise<SgdbGame[]> {
    const res = await this.http.request<unknown>({ path: `/search/autocomplete/${encodeURIComponent(term)}`, headers: this.headers });
    if (res.body === null) return [];
    const data = dataOf(res.body, this.http.provider);
    return Array.isArray(data) ? data.map(toGame).filter((g): g is SgdbGame => g !== null) : [];
  }

  /** A game by id; null when SteamGridDB has none. `cache: false` for the health check. */
  async gameById(id: number, cache = true): Promise<SgdbGame | null> {
    const res = await this.http.request<unknown>({ path: `/games/id/${id}`, headers: this.headers, cache });
    return res.body === null ? null : toGame(dataOf(res.body, this.http.provider));
  }

  /** Every grid of a game that passes the filter, page after page (RomM's iter_grids_for_game). */
  async grids(gameId: number, filter: GridFilter): Promise<SgdbGrid[]> {
    const out: SgdbGrid[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.http.request<unknown>({
        path: `/grids/game/${gameId}`, headers: this.headers,
        query: {
          dimensions: filter.dimensions.join(','), types: filter.types.join(','),
          nsfw: String(filter.nsfw), humor: String(filter.humor), epilepsy: String(filter.epilepsy), limit: PAGE_SIZE, page,
        },
      });
      if (res.body === null) break;
      const data = dataOf(res.body, this.http.provider);
      const rows = Array.isArray(data) ? data : [];
      for (const g of rows.map(toGrid)) if (g) out.push(g);
      const total = isRecord(res.body) ? num(res.body.total) : 0;
      if (rows.length < PAGE_SIZE || (page + 1) * PAGE_SIZE >= total) break;
    }
    return out;
  }
}
