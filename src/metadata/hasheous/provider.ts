/**
 * The Hasheous source (`HASHEOUS_API_ENABLED`): a ROM is identified by its hashes, as RomM does it. Its answer is
 * `hasheous_id` and RomM's `hasheous_metadata` (the DAT signatures matched, which the `verified` filter reads), the
 * game's name and, when the IGDB proxy answered, IGDB's summary, cover and screenshots (RomM's Hasheous answer
 * carries them too). Platforms Hasheous does not know cost no request.
 *
 * RomM's Hasheous answer also sets `igdb_id` + `igdb_metadata`, `ra_id` and `tgdb_id`. Here one answer belongs to one
 * source, so those come from companion providers (`HasheousDerivedProvider`, one per source) reading the same
 * lookup, memoised per ROM. A companion is built only when that source has no provider of its own (no IGDB
 * credentials, no RetroAchievements key): it runs whenever Hasheous is selected for a scan (`runsWith`), and its
 * heartbeat stays false, since the service it names is not the one answering.
 *
 * API:
 *   hasheousProviders({ enabled, url, clientApiKey, timeoutMs, cache, igdbConfigured, raConfigured, fetch? })
 *     → [HasheousProvider, ...companions]
 *   new HasheousProvider(lookup, enabled, apiOrigin), new HasheousDerivedProvider(source, lookup, enabled)
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { ProviderHttp } from '../online/provider-http.ts';
import type { MediaRefs, MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession, ProviderMatch } from '../types.ts';
import type { IgdbGame } from './igdb-game.ts';
import { HasheousLookup, type HasheousGame } from './lookup.ts';
import { hasheousPlatformId } from './platforms.ts';

/** Hasheous's server allows 80 requests per 10 s per client (its rate-limiter settings); evenly spaced 7/s stays under. */
const PER_SECOND = 7;
const MAX_CONCURRENT = 4;
const FINGERPRINT = 'online:hasheous:v1';

export type DerivedSource = 'igdb' | 'ra' | 'tgdb';

export interface HasheousProvidersOptions {
  enabled: boolean;
  /** HASHEOUS_API_URL, RomM's form: `https://hasheous.org/api/v1`. */
  url: string;
  clientApiKey: string | null;
  timeoutMs: number;
  cache: MetadataCacheRepository | null;
  /** IGDB credentials are set: the IGDB provider answers for `igdb`, not Hasheous. */
  igdbConfigured: boolean;
  /** A RetroAchievements key is set: the RetroAchievements provider answers for `ra`. */
  raConfigured: boolean;
  /** Injected in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export function hasheousProviders(opts: HasheousProvidersOptions): MetadataProvider[] {
  const http = new ProviderHttp({
    provider: 'hasheous', baseUrl: opts.url, perSecond: PER_SECOND, maxConcurrent: MAX_CONCURRENT, timeoutMs: opts.timeoutMs,
    cache: opts.cache, ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  const lookup = new HasheousLookup({ http, clientApiKey: opts.clientApiKey });
  const providers: MetadataProvider[] = [new HasheousProvider(lookup, opts.enabled, apiOrigin(opts.url))];
  if (!opts.igdbConfigured) providers.push(new HasheousDerivedProvider('igdb', lookup, opts.enabled));
  if (!opts.raConfigured) providers.push(new HasheousDerivedProvider('ra', lookup, opts.enabled));
  providers.push(new HasheousDerivedProvider('tgdb', lookup, opts.enabled));
  return providers;
}

/** Origin of the API URL: Hasheous's logo links are paths on its own host (`/api/v1/images/…`). */
function apiOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** Base of both providers: configured by the one flag, open on the platforms Hasheous knows. */
abstract class HasheousBase implements MetadataProvider {
  abstract readonly id: ProviderMatch['source'];
  readonly online = true;

  constructor(protected readonly lookup: HasheousLookup, private readonly enabled: boolean) {}

  available(): Promise<boolean> {
    return Promise.resolve(this.enabled);
  }

  prepare(): Promise<void> {
    // Each provider of the lookup calls this before any ROM: resetting twice is harmless.
    this.lookup.reset();
    return Promise.resolve();
  }

  fingerprint(platform: MetadataPlatform): Promise<string | null> {
    return Promise.resolve(hasheousPlatformId(platform.slug) === null ? null : FINGERPRINT);
  }

  open(platform: MetadataPlatform): Promise<PlatformSession | null> {
    if (!this.enabled || hasheousPlatformId(platform.slug) === null) return Promise.resolve(null);
    return Promise.resolve({
      lookup: async (rom: MetadataRom) => {
        const game = await this.lookup.find(rom);
        return game ? this.answer(game) : null;
      },
    });
  }

  protected abstract answer(game: HasheousGame): ProviderMatch | null;
}

export class HasheousProvider extends HasheousBase {
  readonly id = 'hasheous' as const;
  readonly heartbeatFlag = 'HASHEOUS_API_ENABLED';

  constructor(lookup: HasheousLookup, enabled: boolean, private readonly origin: string | null) {
    super(lookup, enabled);
  }

  health(): Promise<boolean> {
    return this.lookup.health();
  }

  protected answer({ match, igdb }: HasheousGame): ProviderMatch {
    const out: ProviderMatch = { source: 'hasheous', id: match.hasheousId, metadata: { ...match.metadata }, media: {} };
    const name = igdb?.name ?? match.name;
    if (name) out.name = name;
    if (igdb?.summary) out.summary = igdb.summary;
    // IGDB's cover through the proxy, else Hasheous's own logo (RomM's order).
    const logo = match.logoPath && this.origin ? `${this.origin}${match.logoPath}` : null;
    withImages(out, igdb?.coverUrl ?? logo, igdb?.screenshotUrls ?? []);
    return out;
  }
}

/** IGDB, RetroAchievements or TheGamesDB data as Hasheous maps the ROM to them. */
export class HasheousDerivedProvider extends HasheousBase {
  readonly runsWith = 'hasheous' as const;

  constructor(readonly id: DerivedSource, lookup: HasheousLookup, enabled: boolean) {
    super(lookup, enabled);
  }

  /** Not the named service answering: RomM reports it unreachable when its own credentials are missing. */
  health(): Promise<boolean> {
    return Promise.resolve(false);
  }

  protected answer({ match, igdb }: HasheousGame): ProviderMatch | null {
    switch (this.id) {
      case 'igdb': return match.igdbId === null ? null : igdbAnswer(match.igdbId, igdb);
      // RomM reads no RetroAchievements data through Hasheous (its proxy answer is dropped): the id only.
      case 'ra': return match.raId === null ? null : { source: 'ra', id: match.raId, media: {} };
      case 'tgdb': return match.tgdbId === null ? null : { source: 'tgdb', id: match.tgdbId, media: {} };
    }
  }
}

function igdbAnswer(igdbId: number, game: IgdbGame | null): ProviderMatch {
  const out: ProviderMatch = { source: 'igdb', id: igdbId, media: {} };
  // Without the proxy (no client key, or it had nothing) Hasheous still knows the id.
  if (!game || game.igdbId !== igdbId) return out;
  out.metadata = { ...game.metadata };
  if (game.name) out.name = game.name;
  if (game.summary) out.summary = game.summary;
  withImages(out, game.coverUrl, game.screenshotUrls);
  return out;
}

/** Remote images: RomM's `url_cover` / `url_screenshots` strings, and `{ url }` sources the media store fetches. */
function withImages(out: ProviderMatch, cover: string | null, screenshots: string[]): void {
  const media: MediaRefs = {};
  const urls: NonNullable<ProviderMatch['urls']> = {};
  if (cover) {
    urls.cover = cover;
    media.cover = { url: cover };
  }
  if (screenshots.length > 0) {
    urls.screenshots = [...screenshots];
    media.screenshots = screenshots.map((url) => ({ url }));
  }
  out.media = media;
  if (Object.keys(urls).length > 0) out.urls = urls;
}
