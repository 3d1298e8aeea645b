/**
 * The IGDB metadata source (RomM's `igdb`), enabled by IGDB_CLIENT_ID and IGDB_CLIENT_SECRET. A ROM is found as
 * RomM finds it: by the IGDB id it already has, else by an `(igdb-N)` tag in its file name, else by its platform
 * and normalized name (serial, OPL, MAME and ScummVM names turned into titles first). The answer fills `igdb_id`,
 * RomM's `igdb_metadata` blob, the name and summary, and the cover and screenshots as URLs the media store fetches.
 */
import { createHash } from 'node:crypto';
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { REGION_PROVIDER_CODES } from '../../library/tags.ts';
import { ProviderHttp } from '../online/provider-http.ts';
import type { TitleIndexes } from '../online/title-indexes.ts';
import type { MetadataIssues, MetadataPlatform, MetadataProvider, MetadataRom, MetadataSearch, PlatformSession, ProviderMatch } from '../types.ts';
import { apicalypse } from './apicalypse.ts';
import { buildIgdbRom, preferredLocale, type IgdbGame } from './blob.ts';
import { IGDB_MAX_IN_FLIGHT, IGDB_REQUESTS_PER_SECOND, IgdbClient } from './client.ts';
import { igdbIdTag, normalizeSearchTerm, searchTermFor } from './matching.ts';
import { igdbPlatformId } from './platforms.ts';
import { IgdbSearch } from './search.ts';
import { TwitchToken } from './twitch-token.ts';

export interface IgdbProviderOptions {
  clientId: string | null;
  clientSecret: string | null;
  /** IGDB_API_URL (default `https://api.igdb.com/v4`). */
  url: string;
  /** IGDB_TOKEN_URL (default `https://id.twitch.tv/oauth2/token`). */
  tokenUrl: string;
  timeoutMs?: number;
  cache?: MetadataCacheRepository | null;
  /** `scan.priority.region`: picks IGDB's localized name and cover. */
  regionPriority?: readonly string[];
  /** Serial / OPL / MAME / ScummVM title indexes; without them the file name is searched as it is. */
  indexes?: TitleIndexes | null;
  /** Injected in tests. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_REGION_PRIORITY = ['us', 'wor', 'ss', 'eu', 'jp'];
const MAX_CANDIDATES = 20;

export class IgdbProvider implements MetadataProvider {
  readonly id = 'igdb' as const;
  readonly heartbeatFlag = 'IGDB_API_ENABLED';
  readonly online = true;
  private readonly client: IgdbClient | null;
  private readonly search_: IgdbSearch | null;
  private readonly regionPriority: readonly string[];
  private readonly indexes: TitleIndexes | null;
  private readonly configHash: string;

  constructor(opts: IgdbProviderOptions) {
    this.regionPriority = opts.regionPriority ?? DEFAULT_REGION_PRIORITY;
    this.indexes = opts.indexes ?? null;
    // The base URL and client id change what answers mean; the secret never enters the hash.
    this.configHash = createHash('sha256').update(`${opts.url}\n${opts.clientId ?? ''}`).digest('hex').slice(0, 16);
    if (!opts.clientId || !opts.clientSecret) {
      this.client = null;
      this.search_ = null;
      return;
    }
    const injected = { ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.now ? { now: opts.now } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}) };
    const token = new TwitchToken({ tokenUrl: opts.tokenUrl, clientId: opts.clientId, clientSecret: opts.clientSecret, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...injected });
    const http = new ProviderHttp({
      provider: 'igdb', baseUrl: opts.url, perSecond: IGDB_REQUESTS_PER_SECOND, maxConcurrent: IGDB_MAX_IN_FLIGHT,
      timeoutMs: opts.timeoutMs ?? 10_000, cache: opts.cache ?? null, ...injected,
    });
    this.client = new IgdbClient(http, token, opts.clientId);
    this.search_ = new IgdbSearch(this.client);
  }

  available(): Promise<boolean> {
    return Promise.resolve(this.client !== null);
  }

  prepare(): Promise<void> {
    this.client?.reset();
    return Promise.resolve();
  }

  async health(): Promise<boolean> {
    if (!this.client) return false;
    try {
      return (await this.client.query('games', apicalypse({ fields: ['id'], limit: 1 }), { cache: false })).length > 0;
    } catch {
      return false;
    }
  }

  fingerprint(platform: MetadataPlatform): Promise<string | null> {
    return Promise.resolve(this.client && igdbPlatformId(platform.slug) ? `online:v1:${this.configHash}` : null);
  }

  open(platform: MetadataPlatform, _issues?: MetadataIssues): Promise<PlatformSession | null> {
    const platformId = igdbPlatformId(platform.slug);
    if (!this.search_ || !platformId) return Promise.resolve(null);
    const search = this.search_;
    return Promise.resolve({ lookup: (rom) => this.lookup(search, rom, platformId) });
  }

  async search(query: MetadataSearch): Promise<ProviderMatch[]> {
    const platformId = igdbPlatformId(query.platform.slug);
    if (!this.search_) return [];
    const locale = preferredLocale([], this.regionPriority);
    if (query.by === 'id') {
      const id = Number(query.term.trim());
      if (!Number.isSafeInteger(id) || id <= 0) return [];
      const game = await this.search_.gameById(id);
      return game ? [this.toMatch(game, locale, null)] : [];
    }
    const term = query.term.trim();
    if (!platformId || !term) return [];
    const games = await this.search_.candidates(term, platformId);
    return games.slice(0, MAX_CANDIDATES).map((g) => this.toMatch(g, locale, platformId));
  }

  private async lookup(search: IgdbSearch, rom: MetadataRom, platformId: number): Promise<ProviderMatch | null> {
    const locale = preferredLocale(romRegionCodes(rom.regions), this.regionPriority);
    // A ROM matched before (by a scan or by hand) is refreshed by its id, as RomM's update scan does.
    const stored = Number(rom.ids.igdb_id ?? NaN);
    if (Number.isSafeInteger(stored) && stored > 0) {
      const game = await search.gameById(stored);
      if (game) return this.toMatch(game, locale, null);
    }
    const tagged = igdbIdTag(rom.fsName);
    if (tagged !== null && tagged !== stored) {
      const game = await search.gameById(tagged);
      if (game) return this.toMatch(game, locale, null);
    }
    const term = normalizeSearchTerm(await searchTermFor(rom.fsName, platformId, this.indexes));
    if (!term) return null;
    const game = await search.matchTerm(term, platformId);
    return game ? this.toMatch(game, locale, platformId) : null;
  }

  private toMatch(game: IgdbGame, locale: string | null, platformId: number | null): ProviderMatch {
    const rom = buildIgdbRom(game, locale, platformId);
    const cover = httpUrl(rom.urlCover);
    const screenshots = rom.urlScreenshots.filter(httpUrl);
    return {
      source: 'igdb', id: rom.igdbId,
      ...(rom.name ? { name: rom.name } : {}),
      ...(rom.summary ? { summary: rom.summary } : {}),
      metadata: { ...rom.metadata },
      urls: { ...(rom.urlCover ? { cover: rom.urlCover } : {}), screenshots: rom.urlScreenshots },
      media: {
        ...(cover ? { cover: { url: rom.urlCover } } : {}),
        ...(screenshots.length ? { screenshots: screenshots.map((url) => ({ url })) } : {}),
      },
    };
  }
}

function romRegionCodes(regions: readonly string[]): string[] {
  return regions.map((r) => REGION_PROVIDER_CODES[r]).filter((c): c is string => !!c);
}

/** Only http(s) URLs become downloads; the media store still checks where they point. */
function httpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
