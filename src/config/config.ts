import path from 'node:path';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';

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
  scanOnStart: boolean;
  scanIntervalSeconds: number;
  http: HttpLimits;
}

/** Limits that keep slow, idle or too many connections from holding the server. */
export interface HttpLimits {
  /** Time for a client to send a request's headers. */
  headersTimeoutSeconds: number;
  /** Time for a client to send a whole request, body included (0: no limit); responses are not limited. */
  requestTimeoutSeconds: number;
  /** How long an idle keep-alive connection stays open after a response. */
  keepAliveTimeoutSeconds: number;
  /** Silence after which a connection is closed unless the server still owes it a response. */
  idleTimeoutSeconds: number;
  /** Open connections at once; more are closed as they arrive. */
  maxConnections: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

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
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    passwordHashCost: int(env, 'PASSWORD_HASH_COST', 12, 4, 15),
    scanOnStart: bool(env, 'SCAN_ON_START', true),
    scanIntervalSeconds: int(env, 'SCAN_INTERVAL_SECONDS', 300, 0, 7 * 24 * 3600),
    http: httpLimits(env),
  };
}

function httpLimits(env: Env): HttpLimits {
  const limits: HttpLimits = {
    headersTimeoutSeconds: int(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 20, 1, 300),
    // Generous: a multi-GB patch upload over a slow link must arrive whole.
    requestTimeoutSeconds: int(env, 'HTTP_REQUEST_TIMEOUT_SECONDS', 3600, 0, 7 * 24 * 3600),
    keepAliveTimeoutSeconds: int(env, 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 5, 1, 3600),
    idleTimeoutSeconds: int(env, 'HTTP_IDLE_TIMEOUT_SECONDS', 30, 1, 3600),
    maxConnections: int(env, 'HTTP_MAX_CONNECTIONS', 500, 1, 1_000_000),
  };
  if (limits.requestTimeoutSeconds > 0 && limits.headersTimeoutSeconds > limits.requestTimeoutSeconds) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS');
  }
  return limits;
}

function str(env: Env, name: string, fallback: string): string {
  const v = env[name]?.trim();
  return v ? v : fallback;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}="${raw}" is not a whole number`);
  const v = Number(raw);
  if (v < min || v > max) throw new ConfigError(`${name}=${raw} is out of range (${min}..${max})`);
  return v;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new ConfigError(`${name}="${env[name]}" must be true or false`);
}

function oneOf(env: Env, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name}="${raw}" must be one of ${allowed.join(', ')}`);
  return raw;
}
