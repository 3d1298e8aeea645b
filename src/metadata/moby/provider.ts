/**
 * MobyGames (`MOBYGAMES_API_KEY`): a ROM is found as RomM finds it — by the id already stored (a manual match or an
 * earlier scan), by a `(moby-N)` tag in the file name, else by a title search on the platform (see matching.ts).
 * The API key travels in the query string, so it is sent as a secret parameter that never enters the answer cache.
 * MobyGames allows one request per second on a free key; the client keeps to it for the whole pass.
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { ProviderError, ProviderHttp } from '../online/provider-http.ts';
import type {
  MetadataPlatform, MetadataProvider, MetadataRom, MetadataSearch, PlatformSession, ProviderMatch,
} from '../types.ts';
import { gamesOf, mobyMatch, type MobyGame } from './blob.ts';
import { asciiTitle, bestMatch, fallbackSearchTerm, mobyIdTag, primarySearchTerm } from './matching.ts';
import { mobyPlatform } from './platforms.ts';

export interface MobyProviderOptions {
  apiKey: string | null;
  url: string;
  timeoutMs?: number;
  cache?: MetadataCacheRepository | null;
  /** Requests per second; MobyGames' free tier allows 1. */
  perSecond?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

const SEARCH_LIMIT = 20;

export class MobyProvider implements MetadataProvider {
  readonly id = 'moby' as const;
  readonly heartbeatFlag = 'MOBY_API_ENABLED';
  readonly online = true;
  readonly http: ProviderHttp;
  private readonly apiKey: string | null;

  constructor(opts: MobyProviderOptions) {
    this.apiKey = opts.apiKey;
    this.http = new ProviderHttp({
      provider: 'moby', baseUrl: opts.url, perSecond: opts.perSecond ?? 1, maxConcurrent: 1, cache: opts.cache ?? null,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
  }

  available(): Promise<boolean> {
    return Promise.resolve(this.apiKey !== null);
  }

  async health(): Promise<boolean> {
    if (!this.apiKey) return false;
    try {
      const res = await this.http.request<{ groups?: unknown }>({ path: '/groups', query: { limit: 1 }, secretQuery: this.secret(), cache: false });
      return Array.isArray(res.body?.groups) && res.body.groups.length > 0;
    } catch {
      return false;
    }
  }

  prepare(): Promise<void> {
    this.http.reset();
    return Promise.resolve();
  }

  fingerprint(platform: MetadataPlatform): Promise<string | null> {
    return Promise.resolve(this.apiKey && mobyPlatform(platform.slug) ? 'online:v1' : null);
  }

  open(platform: MetadataPlatform): Promise<PlatformSession | null> {
    const moby = mobyPlatform(platform.slug);
    if (!this.apiKey || !moby) return Promise.resolve(null);
    return Promise.resolve({ lookup: (rom) => this.lookup(rom, moby.id) });
  }

  async search(query: MetadataSearch): Promise<ProviderMatch[]> {
    if (!this.apiKey) return [];
    const term = query.term.trim();
    if (query.by === 'id') {
      const id = /^\d{1,12}$/.test(term) ? Number(term) : 0;
      const game = id > 0 ? await this.byId(id) : null;
      return game ? [mobyMatch(game)] : [];
    }
    const moby = mobyPlatform(query.platform.slug);
    if (!moby || !term) return [];
    return (await this.byTitle(term, moby.id)).slice(0, SEARCH_LIMIT).map(mobyMatch);
  }

  private async lookup(rom: MetadataRom, platformId: number): Promise<ProviderMatch | null> {
    for (const id of [positiveId(rom.ids.moby_id), mobyIdTag(rom.fsName)]) {
      if (id === null) continue;
      const game = await this.byId(id);
      if (game) return mobyMatch(game);
    }
    const name = rom.fsNameNoTags.trim();
    if (!name) return null;
    const first = primarySearchTerm(name);
    let game = bestMatch(first, await this.byTitle(first, platformId));
    if (!game) {
      const last = fallbackSearchTerm(name).trim();
      if (last) game = bestMatch(last, await this.byTitle(last, platformId), true);
    }
    return game ? mobyMatch(game) : null;
  }

  private async byId(id: number): Promise<MobyGame | null> {
    const games = await this.games({ id, format: 'normal' });
    return games.find((g) => g.game_id === id) ?? null;
  }

  private byTitle(term: string, platformId: number): Promise<MobyGame[]> {
    return this.games({ platform: platformId, title: asciiTitle(term), format: 'normal' });
  }

  private async games(query: Record<string, string | number>): Promise<MobyGame[]> {
    const res = await this.http.request<unknown>({ path: '/games', query, secretQuery: this.secret() });
    if (res.body === null) return [];
    const games = gamesOf(res.body);
    if (!games) throw new ProviderError('moby', 'malformed', 'the answer has no games list');
    return games;
  }

  private secret(): Record<string, string> {
    return { api_key: this.apiKey ?? '' };
  }
}

function positiveId(v: string | number | null | undefined): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,12}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
