import path from 'node:path';
import type { MetadataEnvironment } from '../config/metadata.ts';
import type { Db } from '../db/engine.ts';
import { LaunchboxRepository } from '../db/repositories/launchbox-repository.ts';
import { MetadataCacheRepository } from '../db/repositories/metadata-cache-repository.ts';
import { MetadataRepository } from '../db/repositories/metadata-repository.ts';
import type { LibraryScanDeps } from '../jobs/library-scan.ts';
import { buildExclusions } from '../library/exclusions.ts';
import { detectLayout } from '../library/layout.ts';
import { GamelistProvider } from '../metadata/gamelist/provider.ts';
import { IgdbProvider } from '../metadata/igdb/provider.ts';
import { hasheousProviders } from '../metadata/hasheous/provider.ts';
import { LaunchboxProvider } from '../metadata/launchbox/provider.ts';
import { LibretroHttpThumbnails } from '../metadata/libretro/http-thumbnails.ts';
import { LibretroProvider } from '../metadata/libretro/provider.ts';
import { ProviderHttp } from '../metadata/online/provider-http.ts';
import { JsonTitleIndexes } from '../metadata/online/title-indexes.ts';
import { SgdbClient } from '../metadata/sgdb/client.ts';
import { SgdbProvider } from '../metadata/sgdb/provider.ts';
import { MediaStore } from '../metadata/media-store.ts';
import { MobyProvider } from '../metadata/moby/provider.ts';
import { PlaymatchClient } from '../metadata/playmatch/client.ts';
import { PlaymatchProvider } from '../metadata/playmatch/provider.ts';
import { RetroAchievementsProvider } from '../metadata/ra/provider.ts';
import { ScreenScraperProvider } from '../metadata/screenscraper/provider.ts';
import type { MetadataSettings } from '../metadata/settings.ts';
import type { MetadataProvider } from '../metadata/types.ts';
import type { ScanSettings } from '../scanner/scan-config.ts';

/** What the metadata pass is built from: the local sources' paths, config.yml's priorities, DATA_PATH. */
export interface MetadataWiring {
  dataPath: string;
  env: MetadataEnvironment;
  settings: MetadataSettings;
  /** Reads the settings again when each scan starts (the server: config.yml may change between scans). */
  load?: () => Promise<MetadataSettings>;
  /** The providers, when the caller built them (the server shares one set between scans and search). */
  providers?: readonly MetadataProvider[];
}

/** Every provider, local then online, in the order their answers are gathered (priority is config.yml's). */
export function metadataProviders(db: Db, env: MetadataEnvironment, settings?: MetadataSettings): MetadataProvider[] {
  return [...localProviders(db, env, settings), ...onlineProviders(db, env, settings)];
}

/** The online providers that are configured (RomM's variables); each shares the persistent answer cache. */
export function onlineProviders(db: Db, env: MetadataEnvironment, settings?: MetadataSettings): MetadataProvider[] {
  const cache = new MetadataCacheRepository(db.kysely);
  const providers: MetadataProvider[] = [];
  // Each online provider appends itself here, built from env.online and sharing `cache`.
  const { online } = env;
  providers.push(new IgdbProvider({
    ...online.igdb, timeoutMs: online.timeoutMs, cache, ...(settings ? { regionPriority: settings.regionPriority } : {}),
    indexes: online.titleIndexesPath ? new JsonTitleIndexes(online.titleIndexesPath) : null,
  }));
  providers.push(new MobyProvider({ ...online.mobygames, timeoutMs: online.timeoutMs, cache }));
  // Playmatch's answers are ids for the other providers: `playmatch.client.identify()` is theirs to call.
  const playmatch = new PlaymatchProvider(new PlaymatchClient({ ...online.playmatch, timeoutMs: online.timeoutMs, cache }));
  providers.push(playmatch);
  // Hasheous, plus IGDB / RetroAchievements / TheGamesDB ids and data through it where those have no provider.
  providers.push(...hasheousProviders({
    ...online.hasheous, timeoutMs: online.timeoutMs, cache,
    igdbConfigured: online.igdb.clientId !== null, raConfigured: online.retroachievements.apiKey !== null,
  }));
  providers.push(new ScreenScraperProvider({
    config: online.screenscraper, cache, timeoutMs: online.timeoutMs, ...(settings ? { regionPriority: settings.regionPriority } : {}),
  }));
  providers.push(new RetroAchievementsProvider({ config: online.retroachievements, cache, timeoutMs: online.timeoutMs }));
  providers.push(new SgdbProvider(new SgdbClient(sgdbHttp(cache, env), online.steamgriddb.apiKey)));
  return providers;
}

function sgdbHttp(cache: MetadataCacheRepository, env: MetadataEnvironment): ProviderHttp {
  return new ProviderHttp({ provider: 'sgdb', baseUrl: env.online.steamgriddb.url, cache, timeoutMs: env.online.timeoutMs, perSecond: 4, maxConcurrent: 4 });
}

/** The SteamGridDB provider's client, which the cover picker (`GET /api/search/cover`) shares. */
export function sgdbCoverClient(providers: readonly MetadataProvider[]): SgdbClient {
  const sgdb = providers.find((p): p is SgdbProvider => p instanceof SgdbProvider);
  if (!sgdb) throw new Error('the SteamGridDB provider is missing from the metadata providers');
  return sgdb.client;
}

/** The local providers. */
export function localProviders(db: Db, env: MetadataEnvironment, settings?: MetadataSettings): MetadataProvider[] {
  return [
    new GamelistProvider({ esdeMediaPath: env.esdeMediaPath }),
    new LaunchboxProvider({
      launchboxPath: env.launchboxPath, metadataPath: env.launchboxMetadataPath, repo: new LaunchboxRepository(db.kysely),
      ...(settings ? { regionPriority: settings.regionPriority } : {}),
      download: env.online.launchbox.enabled ? { url: env.online.launchbox.metadataUrl, timeoutMs: env.online.timeoutMs } : null,
    }),
    new LibretroProvider({ root: env.libretroThumbnailsPath, http: libretroHttp(db, env), ...(settings ? { media: settings.media } : {}) }),
  ];
}

/** libretro's thumbnail server, for platforms the local clone lacks (one provider: see libretro/provider.ts). */
function libretroHttp(db: Db, env: MetadataEnvironment): LibretroHttpThumbnails | null {
  const { enabled, url } = env.online.libretro;
  if (!enabled) return null;
  // As RomM: a listing (up to a few MB) may take a minute and is kept a day, a missing folder an hour; the health
  // check has the usual timeout and no cache.
  const listings = new ProviderHttp({
    provider: 'libretro', baseUrl: url, cache: new MetadataCacheRepository(db.kysely), timeoutMs: Math.max(env.online.timeoutMs, 60_000),
    headersTimeoutMs: env.online.timeoutMs,
    maxConcurrent: 2, ttlMs: 24 * 3600_000, notFoundTtlMs: 3600_000,
  });
  return new LibretroHttpThumbnails(listings, url, new ProviderHttp({ provider: 'libretro', baseUrl: url, timeoutMs: env.online.timeoutMs, retries: 0 }));
}

/**
 * Absolute folder of a platform's ROMs by fs_slug, from the library layout (read at most every 10 s, since a pass
 * follows the file walk that created the platforms); null when the library has no such folder.
 */
export function platformDirResolver(libraryPath: string, scan: ScanSettings): (fsSlug: string) => Promise<string | null> {
  const exclusions = buildExclusions(scan.exclusions);
  let layout: { at: number; dirs: Promise<Map<string, string>> } | null = null;
  const platformDirs = (): Promise<Map<string, string>> => {
    if (!layout || Date.now() - layout.at > 10_000) {
      const dirs = detectLayout(libraryPath, exclusions, { romsFolder: scan.romsFolder })
        .then((l) => new Map(l.platforms.map((p) => [p.fsSlug, p.absPath])))
        .catch(() => new Map<string, string>());
      layout = { at: Date.now(), dirs };
    }
    return layout.dirs;
  };
  return async (fsSlug) => (await platformDirs()).get(fsSlug) ?? null;
}

export function composeMetadataPass(db: Db, libraryPath: string, scan: ScanSettings, wiring: MetadataWiring): NonNullable<LibraryScanDeps['metadata']> {
  return {
    repo: new MetadataRepository(db.kysely),
    providers: wiring.providers ?? metadataProviders(db, wiring.env, wiring.settings),
    media: new MediaStore({ resourcesRoot: path.join(wiring.dataPath, 'resources') }),
    settings: wiring.settings,
    platformDir: platformDirResolver(libraryPath, scan),
  };
}
