/**
 * RetroAchievements' web API: the game list of a console with its hashes (API_GetGameList, h=1, every game, with or
 * without achievements), a game's extended details with its achievements (API_GetGameExtended) and the achievement
 * of the week (health). The key travels as the `y` query parameter, through ProviderHttp's `secretQuery`, so it is
 * never part of a cache key or a message. RetroAchievements publishes no fixed limit; RomM stays at 4 calls a second.
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { ProviderError, ProviderHttp, type ProviderHttpOptions } from '../online/provider-http.ts';

export interface RaClientOptions {
  baseUrl: string;
  apiKey: string;
  /** REFRESH_RETROACHIEVEMENTS_CACHE_DAYS: how long a console's hash list is kept. */
  refreshCacheDays: number;
  cache?: MetadataCacheRepository | null;
  timeoutMs?: number;
  /** Injected in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface RaAchievement {
  ID?: number;
  Title?: string;
  Description?: string;
  Points?: number;
  NumAwarded?: number;
  NumAwardedHardcore?: number;
  BadgeName?: string;
  DisplayOrder?: number;
  type?: string | null;
}

export interface RaGameDetails {
  ID: number;
  Title?: string;
  ImageTitle?: string;
  ImageIngame?: string;
  Publisher?: string;
  Developer?: string;
  Genre?: string;
  Released?: string;
  Achievements?: Record<string, RaAchievement>;
}

/** A console's hash index as cached: lower-case hash → game id. */
interface HashIndex {
  hashes: Record<string, number>;
}

const PROVIDER = 'ra';
const DAY = 24 * 3600 * 1000;
const HASH_RE = /^[0-9a-f]{32}$/;

export class RaClient {
  readonly http: ProviderHttp;

  constructor(private readonly options: RaClientOptions) {
    const o: ProviderHttpOptions = {
      provider: PROVIDER, baseUrl: options.baseUrl, perSecond: 4, maxConcurrent: 4, cache: options.cache ?? null,
      timeoutMs: options.timeoutMs ?? 30_000,
    };
    if (options.fetch) o.fetch = options.fetch;
    if (options.sleep) o.sleep = options.sleep;
    this.http = new ProviderHttp(o);
  }

  private get secret(): Record<string, string> {
    return { y: this.options.apiKey };
  }

  /** Hash → game id for a console; the answer is kept REFRESH_RETROACHIEVEMENTS_CACHE_DAYS days, compacted. */
  async hashIndex(consoleId: number): Promise<Map<string, number>> {
    const res = await this.http.request<HashIndex>({
      path: 'API_GetGameList.php', query: { i: consoleId, h: 1 }, secretQuery: this.secret,
      ttlMs: this.options.refreshCacheDays * DAY, decode: decodeGameList,
    });
    return new Map(Object.entries(res.body?.hashes ?? {}));
  }

  /** A game's details with its achievements, or null when RetroAchievements does not know the id. */
  async game(id: number): Promise<RaGameDetails | null> {
    const res = await this.http.request<unknown>({ path: 'API_GetGameExtended.php', query: { i: id }, secretQuery: this.secret });
    const body = res.body;
    // An unknown id answers `[]` with a 200.
    if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
    const game = body as RaGameDetails;
    return Number.isSafeInteger(game.ID) && game.ID > 0 ? game : null;
  }

  /** Uncached: whether the API answers now with this key. */
  async healthy(): Promise<boolean> {
    try {
      const res = await this.http.request<unknown>({ path: 'API_GetAchievementOfTheWeek.php', secretQuery: this.secret, cache: false });
      return !!res.body && typeof res.body === 'object' && Object.keys(res.body).length > 0;
    } catch {
      return false;
    }
  }
}

/** The game list (an array of games with `Hashes`) → `{ hashes }`; a cached index passes through. */
export function decodeGameList(text: string): HashIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProviderError(PROVIDER, 'malformed', 'the game list is not valid JSON');
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'hashes' in parsed) {
    return sanitizeIndex((parsed as HashIndex).hashes);
  }
  if (!Array.isArray(parsed)) throw new ProviderError(PROVIDER, 'malformed', 'the game list is not a list');
  const hashes: Record<string, number> = {};
  for (const game of parsed as { ID?: unknown; Hashes?: unknown }[]) {
    const id = game?.ID;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0 || !Array.isArray(game.Hashes)) continue;
    for (const h of game.Hashes) {
      if (typeof h !== 'string') continue;
      const key = h.toLowerCase();
      // A hash listed twice goes to the later game, as in RomM's dict comprehension.
      if (HASH_RE.test(key)) hashes[key] = id;
    }
  }
  return { hashes };
}

function sanitizeIndex(v: unknown): HashIndex {
  const hashes: Record<string, number> = {};
  if (v && typeof v === 'object') {
    for (const [k, id] of Object.entries(v as Record<string, unknown>)) {
      if (HASH_RE.test(k) && typeof id === 'number' && Number.isSafeInteger(id) && id > 0) hashes[k] = id;
    }
  }
  return { hashes };
}
