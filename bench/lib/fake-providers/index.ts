import type { Catalogue } from './catalogue.ts';
import { startFakeHasheous } from './hasheous.ts';
import { startFakeIgdb } from './igdb.ts';
import { startFakeLibretro } from './libretro.ts';
import type { FakeServerStats } from './server.ts';

/**
 * The three fake providers of `npm run bench:metadata-online`, one HTTP server each, and the environment that points
 * romshelf at them with RomM's variable names.
 *
 * API:
 *   startFakeProviders({ catalogue, seed?, latencyMs?, hasheous?, libretroPerSecond?, igdbPerSecond? }) → FakeProviders
 *   FakeProviders: env(thumbnailsPath), limits(), stats() (per server, plus Hasheous requests without a client key
 *   and IGDB tokens issued), resetStats(), close()
 */

export interface FakeProvidersOptions {
  catalogue: Catalogue;
  seed?: number;
  latencyMs?: [number, number];
  hasheous?: { limit: number; windowMs: number };
  libretroPerSecond?: number;
  igdbPerSecond?: number;
}

export type ProviderName = 'hasheous' | 'libretro' | 'igdb';

export interface ProviderLimit {
  rules: string[];
  /** Sustained requests per second the rules allow: the floor's divisor. */
  per_second: number;
  source: string;
}

export interface FakeProviders {
  urls: Record<ProviderName, string>;
  env(thumbnailsPath: string): Record<string, string>;
  limits(): Record<ProviderName, ProviderLimit>;
  stats(): Record<ProviderName, FakeServerStats> & { hasheous_without_client_api_key: number; igdb_tokens_issued: number };
  resetStats(): void;
  close(): Promise<void>;
}

export async function startFakeProviders(opts: FakeProvidersOptions): Promise<FakeProviders> {
  const seed = opts.seed ?? 1;
  const hasheousLimit = opts.hasheous ?? { limit: 80, windowMs: 10_000 };
  const libretroPerSecond = opts.libretroPerSecond ?? 10;
  const igdbPerSecond = opts.igdbPerSecond ?? 4;
  const latencyMs = opts.latencyMs ?? [50, 150];
  const hasheous = await startFakeHasheous({ catalogue: opts.catalogue, seed, latencyMs, ...hasheousLimit });
  const libretro = await startFakeLibretro({ catalogue: opts.catalogue, seed: seed + 1, latencyMs, perSecond: libretroPerSecond });
  const igdb = await startFakeIgdb({ catalogue: opts.catalogue, seed: seed + 2, latencyMs, perSecond: igdbPerSecond });
  let extraBase = { hasheous: 0, tokens: 0 };
  return {
    urls: { hasheous: hasheous.url, libretro: libretro.url, igdb: igdb.url },
    env: (thumbnailsPath) => ({
      HASHEOUS_API_ENABLED: 'true',
      HASHEOUS_API_URL: `${hasheous.url}/api/v1`,
      LIBRETRO_API_ENABLED: 'true',
      LIBRETRO_THUMBNAILS_URL: libretro.url,
      LIBRETRO_THUMBNAILS_PATH: thumbnailsPath,
      IGDB_CLIENT_ID: 'x',
      IGDB_CLIENT_SECRET: 'y',
      IGDB_API_URL: `${igdb.url}/v4`,
      IGDB_TOKEN_URL: `${igdb.url}/oauth2/token`,
    }),
    limits: () => ({
      hasheous: { rules: hasheous.limits, per_second: (hasheousLimit.limit * 1000) / hasheousLimit.windowMs, source: 'hasheous/Program.cs (gaseous-project/hasheous): FixedWindowRateLimiter, PermitLimit 80, Window 10 s' },
      libretro: { rules: libretro.limits, per_second: libretroPerSecond, source: 'assumed: thumbnails.libretro.com publishes no limit' },
      igdb: { rules: igdb.limits, per_second: igdbPerSecond, source: 'api-docs.igdb.com: 4 requests per second, up to 8 open requests (RomM: IGDB_MAX_REQUESTS_PER_SECOND = 4)' },
    }),
    stats: () => ({
      hasheous: hasheous.stats(), libretro: libretro.stats(), igdb: igdb.stats(),
      hasheous_without_client_api_key: hasheous.withoutClientKey() - extraBase.hasheous,
      igdb_tokens_issued: igdb.tokensIssued() - extraBase.tokens,
    }),
    resetStats: () => {
      hasheous.resetStats(); libretro.resetStats(); igdb.resetStats();
      extraBase = { hasheous: hasheous.withoutClientKey(), tokens: igdb.tokensIssued() };
    },
    close: async () => { await Promise.all([hasheous.close(), libretro.close(), igdb.close()]); },
  };
}
