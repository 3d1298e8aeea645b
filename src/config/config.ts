import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { bool, int, list, oneOf, str, type Env } from './env-values.ts';
import { loadHttpLimits, type HttpLimits } from './http.ts';
import { loadScanEnvironment, type ScanEnvironment } from './scan.ts';

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
  /** Failed password attempts per account within the window before the account is blocked for a while. */
  loginMaxFailures: number;
  /** Failed password attempts from one client address (any account) before that address is blocked. */
  addressMaxFailures: number;
  loginFailureWindowSeconds: number;
  /** First block of an account; each further one doubles up to loginMaxBlockSeconds. */
  loginBlockSeconds: number;
  loginMaxBlockSeconds: number;
  addressBlockSeconds: number;
  addressMaxBlockSeconds: number;
  /** bcrypt verifications running at once, server-wide, and how many more may wait. */
  passwordVerifyConcurrency: number;
  passwordVerifyQueue: number;
  /** Connection limits (HTTP_*). */
  http: HttpLimits;
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
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    sessionMaxAgeSeconds: int(env, 'SESSION_MAX_AGE_SECONDS', 14 * 24 * 3600, 60, 10 * 365 * 24 * 3600),
    accessTokenExpireSeconds: int(env, 'OAUTH_ACCESS_TOKEN_EXPIRE_SECONDS', 1800, 10, 365 * 24 * 3600),
    refreshTokenExpireSeconds: int(env, 'OAUTH_REFRESH_TOKEN_EXPIRE_SECONDS', 604800, 60, 10 * 365 * 24 * 3600),
    secureCookies: bool(env, 'SECURE_COOKIES', false),
    corsOrigins: list(env, 'CORS_ORIGINS'),
    passwordHashCost: int(env, 'PASSWORD_HASH_COST', 12, 4, 15),
    scan: loadScanEnvironment(env, dataPath),
    loginMaxFailures: int(env, 'AUTH_LOGIN_MAX_FAILURES', 10, 1, 1000),
    addressMaxFailures: int(env, 'AUTH_ADDRESS_MAX_FAILURES', 30, 1, 100_000),
    loginFailureWindowSeconds: int(env, 'AUTH_FAILURE_WINDOW_SECONDS', 900, 1, 7 * 24 * 3600),
    loginBlockSeconds: int(env, 'AUTH_LOGIN_BLOCK_SECONDS', 60, 1, 24 * 3600),
    loginMaxBlockSeconds: int(env, 'AUTH_LOGIN_MAX_BLOCK_SECONDS', 300, 1, 24 * 3600),
    addressBlockSeconds: int(env, 'AUTH_ADDRESS_BLOCK_SECONDS', 300, 1, 24 * 3600),
    addressMaxBlockSeconds: int(env, 'AUTH_ADDRESS_MAX_BLOCK_SECONDS', 3600, 1, 7 * 24 * 3600),
    // Half the cores: bcrypt must leave a core and most libuv threads to everything else.
    passwordVerifyConcurrency: int(env, 'AUTH_MAX_CONCURRENT_VERIFICATIONS', Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2))), 1, 64),
    passwordVerifyQueue: int(env, 'AUTH_VERIFY_QUEUE', 8, 0, 1000),
    http: loadHttpLimits(env),
  };
}
