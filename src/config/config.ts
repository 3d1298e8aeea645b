import path from 'node:path';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { bool, int, list, oneOf, str, type Env } from './env-values.ts';
import { loadHttpLimits, type HttpLimits } from './http.ts';
import { loadLoginLimits, type LoginLimits } from './login.ts';
import { loadMetadataEnvironment, type MetadataEnvironment } from './metadata.ts';
import { loadScanEnvironment, type ScanEnvironment } from './scan.ts';
import { loadSyncEnvironment, type SyncEnvironment } from './sync.ts';

export { ConfigError } from './env-values.ts';

export interface Config {
  port: number;
  host: string;
  libraryPath: string;
  dataPath: string;
  database: DatabaseTarget;
  /** Explicit AUTH_SECRET; when null the secret is generated and kept in DATA_PATH. */
  authSecret: string | null;
  disableDownloadEndpointAuth: boolean;
  disableCsrfProtection: boolean;
  romPatcherMaxFileSizeBytes: number;
  /** Patches applied at once, server-wide; each user may run one at a time. */
  romPatcherMaxConcurrency: number;
  romPatcherTimeoutSeconds: number;
  /** FIRMWARE_MAX_UPLOAD_SIZE_BYTES: largest firmware file accepted by `POST /api/firmware`; 0: no limit. */
  firmwareMaxUploadBytes: number;
  /** DAT files: DATS_PATH (default DATA_PATH/dats) and DAT_MAX_UPLOAD_SIZE_BYTES. */
  dats: DatEnvironment;
  /** Saves, states and screenshots: sizes, quota, kept versions (MAX_ASSET_UPLOAD_SIZE_BYTES and friends). */
  assets: AssetEnvironment;
  logLevel: string;
  sessionMaxAgeSeconds: number;
  accessTokenExpireSeconds: number;
  refreshTokenExpireSeconds: number;
  secureCookies: boolean;
  /** Origins allowed by CORS; empty means same-origin only. */
  corsOrigins: string[];
  /** bcrypt cost for new password hashes. */
  passwordHashCost: number;
  /** SCAN_* variables. */
  scan: ScanEnvironment;
  /** Local metadata sources (ESDE_MEDIA_PATH, LAUNCHBOX_*, LIBRETRO_THUMBNAILS_PATH). */
  metadata: MetadataEnvironment;
  /** Login throttling and the bcrypt gate (AUTH_*). */
  login: LoginLimits;
  /** Connection limits (HTTP_*). */
  http: HttpLimits;
  /** Save-sync transports: the sync folder watcher and push-pull over SSH (ENABLE_SYNC_*, SYNC_*). */
  sync: SyncEnvironment;
}

export interface DatEnvironment {
  /** Folder of DAT files imported at each scan start and by `romshelf dat import`. */
  path: string;
  /** Largest DAT accepted by `POST /api/dats` (default 256 MiB; 0: no limit). */
  maxUploadBytes: number;
}

/** Limits of saves, states and screenshots (0 disables a limit). */
export interface AssetEnvironment {
  /** MAX_ASSET_UPLOAD_SIZE_BYTES: largest request body and file (default 512 MiB). */
  maxUploadBytes: number;
  /** USER_STORAGE_QUOTA_BYTES: a user's live saves, states and screenshots (default 0, unlimited). */
  quotaBytes: number;
  /** SAVE_VERSIONS_KEEP: previous contents kept per save or state (default 10; 0 keeps none). */
  versionsKeep: number;
  /** SAVE_VERSIONS_DAYS: previous contents older than this many days are dropped (default 30; 0: no age limit). */
  versionsDays: number;
  /** MAX_AUTOCLEANUP_LIMIT: the highest `autocleanup_limit` of a save upload (default 100). */
  maxAutocleanup: number;
}

export function loadConfig(env: Env = process.env): Config {
  const dataPath = path.resolve(str(env, 'DATA_PATH', './data'));
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    libraryPath: path.resolve(str(env, 'LIBRARY_PATH', './library')),
    dataPath,
    database: parseDatabaseUrl(env.DATABASE_URL?.trim() || undefined, dataPath),
    authSecret: env.AUTH_SECRET?.trim() || null,
    disableDownloadEndpointAuth: bool(env, 'DISABLE_DOWNLOAD_ENDPOINT_AUTH', false),
    disableCsrfProtection: bool(env, 'DISABLE_CSRF_PROTECTION', false),
    romPatcherMaxFileSizeBytes: int(env, 'ROM_PATCHER_MAX_FILE_SIZE_BYTES', 4 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    romPatcherMaxConcurrency: int(env, 'ROM_PATCHER_MAX_CONCURRENCY', 2, 1, 64),
    romPatcherTimeoutSeconds: int(env, 'ROM_PATCHER_TIMEOUT', 900, 1, 7 * 24 * 3600),
    firmwareMaxUploadBytes: int(env, 'FIRMWARE_MAX_UPLOAD_SIZE_BYTES', 512 * 1024 ** 2, 0, Number.MAX_SAFE_INTEGER),
    dats: {
      path: path.resolve(str(env, 'DATS_PATH', path.join(dataPath, 'dats'))),
      maxUploadBytes: int(env, 'DAT_MAX_UPLOAD_SIZE_BYTES', 256 * 1024 ** 2, 0, Number.MAX_SAFE_INTEGER),
    },
    assets: {
      maxUploadBytes: int(env, 'MAX_ASSET_UPLOAD_SIZE_BYTES', 512 * 1024 ** 2, 0, Number.MAX_SAFE_INTEGER),
      quotaBytes: int(env, 'USER_STORAGE_QUOTA_BYTES', 0, 0, Number.MAX_SAFE_INTEGER),
      versionsKeep: int(env, 'SAVE_VERSIONS_KEEP', 10, 0, 10_000),
      versionsDays: int(env, 'SAVE_VERSIONS_DAYS', 30, 0, 100_000),
      maxAutocleanup: int(env, 'MAX_AUTOCLEANUP_LIMIT', 100, 1, 100_000),
    },
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    sessionMaxAgeSeconds: int(env, 'SESSION_MAX_AGE_SECONDS', 14 * 24 * 3600, 60, 10 * 365 * 24 * 3600),
    accessTokenExpireSeconds: int(env, 'OAUTH_ACCESS_TOKEN_EXPIRE_SECONDS', 1800, 10, 365 * 24 * 3600),
    refreshTokenExpireSeconds: int(env, 'OAUTH_REFRESH_TOKEN_EXPIRE_SECONDS', 604800, 60, 10 * 365 * 24 * 3600),
    secureCookies: bool(env, 'SECURE_COOKIES', false),
    corsOrigins: list(env, 'CORS_ORIGINS'),
    passwordHashCost: int(env, 'PASSWORD_HASH_COST', 12, 4, 15),
    scan: loadScanEnvironment(env, dataPath),
    metadata: loadMetadataEnvironment(env, dataPath),
    login: loadLoginLimits(env),
    http: loadHttpLimits(env),
    sync: loadSyncEnvironment(env, dataPath),
  };
}
