import path from 'node:path';
import { bool, int, str, type Env } from './env-values.ts';

/**
 * The online metadata providers, enabled by RomM's variables so a RomM environment file works unchanged. Every base
 * URL can point at a mirror or caching proxy (`<PROVIDER>_API_URL`); those URLs are the operator's, so they are
 * trusted, while image URLs found in answers go through the SSRF-safe fetch.
 */
export interface OnlineMetadataEnvironment {
  /** `clientApiKey` (HASHEOUS_CLIENT_API_KEY): Hasheous's metadata proxy (IGDB data) answers registered apps only. */
  hasheous: { enabled: boolean; url: string; clientApiKey: string | null };
  /** libretro thumbnails over HTTP, used when no local clone (LIBRETRO_THUMBNAILS_PATH) has them. */
  libretro: { enabled: boolean; url: string };
  igdb: { clientId: string | null; clientSecret: string | null; url: string; tokenUrl: string };
  screenscraper: { user: string | null; password: string | null; devId: string | null; devPassword: string | null; url: string };
  retroachievements: { apiKey: string | null; url: string; refreshCacheDays: number };
  steamgriddb: { apiKey: string | null; url: string };
  mobygames: { apiKey: string | null; url: string };
  launchbox: { enabled: boolean; metadataUrl: string };
  playmatch: { enabled: boolean; url: string };
  /**
   * METADATA_TITLE_INDEXES_PATH: a folder with RomM's title index files (`ps1_serial_index.json`, `mame_index.json`…)
   * that turn serials and short names into searchable titles; null when unset.
   */
  titleIndexesPath: string | null;
  /** METADATA_HTTP_TIMEOUT_SECONDS: one request's limit; an unreachable provider costs this once per scan. */
  timeoutMs: number;
}

const secret = (env: Env, key: string): string | null => env[key]?.trim() || null;

export function loadOnlineMetadataEnvironment(env: Env): OnlineMetadataEnvironment {
  return {
    hasheous: {
      enabled: bool(env, 'HASHEOUS_API_ENABLED', false), url: str(env, 'HASHEOUS_API_URL', 'https://hasheous.org/api/v1'),
      clientApiKey: secret(env, 'HASHEOUS_CLIENT_API_KEY'),
    },
    libretro: { enabled: bool(env, 'LIBRETRO_API_ENABLED', true), url: str(env, 'LIBRETRO_THUMBNAILS_URL', 'https://thumbnails.libretro.com') },
    igdb: {
      clientId: secret(env, 'IGDB_CLIENT_ID'), clientSecret: secret(env, 'IGDB_CLIENT_SECRET'),
      url: str(env, 'IGDB_API_URL', 'https://api.igdb.com/v4'), tokenUrl: str(env, 'IGDB_TOKEN_URL', 'https://id.twitch.tv/oauth2/token'),
    },
    screenscraper: {
      user: secret(env, 'SCREENSCRAPER_USER'), password: secret(env, 'SCREENSCRAPER_PASSWORD'),
      devId: secret(env, 'SCREENSCRAPER_DEV_ID'), devPassword: secret(env, 'SCREENSCRAPER_DEV_PASSWORD'),
      url: str(env, 'SCREENSCRAPER_API_URL', 'https://api.screenscraper.fr/api2'),
    },
    retroachievements: {
      apiKey: secret(env, 'RETROACHIEVEMENTS_API_KEY'), url: str(env, 'RETROACHIEVEMENTS_API_URL', 'https://retroachievements.org/API'),
      refreshCacheDays: int(env, 'REFRESH_RETROACHIEVEMENTS_CACHE_DAYS', 30, 1, 3650),
    },
    steamgriddb: { apiKey: secret(env, 'STEAMGRIDDB_API_KEY'), url: str(env, 'STEAMGRIDDB_API_URL', 'https://www.steamgriddb.com/api/v2') },
    mobygames: { apiKey: secret(env, 'MOBYGAMES_API_KEY'), url: str(env, 'MOBYGAMES_API_URL', 'https://api.mobygames.com/v1') },
    launchbox: { enabled: bool(env, 'LAUNCHBOX_API_ENABLED', false), metadataUrl: str(env, 'LAUNCHBOX_METADATA_URL', 'https://gamesdb.launchbox-app.com/Metadata.zip') },
    playmatch: { enabled: bool(env, 'PLAYMATCH_API_ENABLED', false), url: str(env, 'PLAYMATCH_API_URL', 'https://playmatch.retrorealm.dev/api/v2') },
    titleIndexesPath: env.METADATA_TITLE_INDEXES_PATH?.trim() ? path.resolve(env.METADATA_TITLE_INDEXES_PATH.trim()) : null,
    timeoutMs: int(env, 'METADATA_HTTP_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
  };
}
