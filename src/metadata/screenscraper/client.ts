/**
 * ScreenScraper's API (api2): jeuInfos (by hashes and file name, or by game id), jeuRecherche (by name), ssuserInfos
 * (the account's thread allowance and per-minute budget, read once per pass and free of quota), ssinfraInfos (health).
 *
 * Credentials travel in the query string, so they go through ProviderHttp's `secretQuery`: sent, never part of the
 * cache key, never in a message. ScreenScraper echoes them back (the `header.commandRequested` line, media URLs), so
 * answers are cleaned before they are cached or returned. Its error answers are often plain text, sometimes with a
 * 200 status ("Erreur de login"); its JSON sometimes holds invalid backslash escapes, repaired as RomM repairs them.
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { ProviderError, ProviderHttp, type ProviderHttpOptions } from '../online/provider-http.ts';
import type { SsGame } from './types.ts';

export interface ScreenScraperCredentials {
  user: string;
  password: string;
  devId: string | null;
  devPassword: string | null;
}

export interface ScreenScraperClientOptions {
  baseUrl: string;
  credentials: ScreenScraperCredentials;
  cache?: MetadataCacheRepository | null;
  timeoutMs?: number;
  /** Injected in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ScreenScraperAccount {
  maxThreads: number;
  maxRequestsPerMinute: number | null;
}

/** Parameters of jeuInfos. */
export interface GameInfoQuery {
  systemId?: number;
  crc?: string | null;
  md5?: string | null;
  sha1?: string | null;
  romName?: string;
  romType?: 'rom' | 'iso' | 'dossier';
  romSize?: number | null;
  gameId?: number;
}

const PROVIDER = 'ss';
const LOGIN_ERROR = 'Erreur de login';
/** Query keys that carry credentials, stripped from every URL found in an answer. */
export const SS_USER_SECRET_KEYS = ['ssid', 'sspassword'] as const;
export const SS_ALL_SECRET_KEYS = ['ssid', 'sspassword', 'devid', 'devpassword'] as const;
const INVALID_ESCAPE_RE = /\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/g;
/** Not found for ScreenScraper: 404 ("Jeu non trouvée") and 400 ("Champ crc, md5 ou sha1 erroné"). */
const NOT_FOUND = [400, 404] as const;
const QUOTA_STATUSES = new Map([[430, 'daily scrape quota exhausted'], [431, 'daily unrecognized-ROM quota exhausted']]);

export class ScreenScraperClient {
  private http: ProviderHttp;
  private account: ScreenScraperAccount = { maxThreads: 1, maxRequestsPerMinute: null };
  /** Why every further call of this pass fails at once (quota spent, credentials refused), or null. */
  private stopped: string | null = null;

  constructor(private readonly options: ScreenScraperClientOptions) {
    this.http = this.build(this.account);
  }

  get limits(): ScreenScraperAccount {
    return this.account;
  }

  /** The HTTP client in use (its stats, and its concurrency cap in tests). */
  get transport(): ProviderHttp {
    return this.http;
  }

  private build(account: ScreenScraperAccount): ProviderHttp {
    const o = this.options;
    const opts: ProviderHttpOptions = {
      provider: PROVIDER, baseUrl: o.baseUrl, maxConcurrent: account.maxThreads, cache: o.cache ?? null,
      perSecond: account.maxRequestsPerMinute ? account.maxRequestsPerMinute / 60 : 0,
      timeoutMs: o.timeoutMs ?? 30_000, userAgent: 'romshelf',
    };
    if (o.fetch) opts.fetch = o.fetch;
    if (o.sleep) opts.sleep = o.sleep;
    if (o.now) opts.now = o.now;
    return new ProviderHttp(opts);
  }

  /**
   * Start of a pass: forget the last pass's breaker, then read the account's thread allowance and per-minute budget
   * (ssuserInfos costs no quota). Without an answer the pass runs on one thread, the free account's allowance.
   */
  async begin(): Promise<ScreenScraperAccount> {
    this.stopped = null;
    this.http.reset();
    let account: ScreenScraperAccount = { maxThreads: 1, maxRequestsPerMinute: null };
    try {
      const body = await this.call<SsEnvelope>('ssuserInfos.php', {}, false);
      const user = obj(obj(body?.response).ssuser);
      account = { maxThreads: positive(user.maxthreads) ?? 1, maxRequestsPerMinute: positive(user.maxrequestspermin) };
    } catch {
      // Best effort: the lookups report the failure themselves; one thread is safe for any account.
      this.stopped = null;
    }
    if (account.maxThreads !== this.account.maxThreads || account.maxRequestsPerMinute !== this.account.maxRequestsPerMinute) {
      this.http = this.build(account);
    } else {
      this.http.reset();
    }
    this.account = account;
    return account;
  }

  /** jeuInfos: the game, or null when ScreenScraper does not know it. */
  async gameInfo(q: GameInfoQuery): Promise<SsGame | null> {
    const query: Record<string, string | number | undefined> = {
      crc: q.crc ?? undefined, md5: q.md5 ?? undefined, sha1: q.sha1 ?? undefined, systemeid: q.systemId,
      romtype: q.romType, romnom: q.romName, romtaille: q.romSize ?? undefined, gameid: q.gameId,
    };
    const body = await this.call<SsEnvelope>('jeuInfos.php', query);
    const game = obj(body?.response).jeu;
    return isGame(game) ? game : null;
  }

  /** jeuRecherche: up to 30 games, ScreenScraper's relevance order. */
  async search(term: string, systemId: number | null): Promise<SsGame[]> {
    const body = await this.call<SsEnvelope>('jeuRecherche.php', { recherche: term, systemeid: systemId ?? undefined });
    const list = obj(body?.response).jeux;
    return Array.isArray(list) ? list.filter(isGame) : [];
  }

  /** ssinfraInfos, uncached: whether the API answers now. */
  async healthy(): Promise<boolean> {
    try {
      const body = await this.call<SsEnvelope>('ssinfraInfos.php', {}, false);
      return Object.keys(obj(body?.response)).length > 0;
    } catch {
      return false;
    }
  }

  private secrets(): Record<string, string> {
    const c = this.options.credentials;
    return { devid: c.devId ?? '', devpassword: c.devPassword ?? '', ssid: c.user, sspassword: c.password };
  }

  private async call<T>(path: string, query: Record<string, string | number | undefined>, cache = true): Promise<T | null> {
    if (this.stopped) throw new ProviderError(PROVIDER, 'unavailable', this.stopped);
    try {
      const res = await this.http.request<T>({
        path, query: { ...query, output: 'json', softname: 'romshelf' }, secretQuery: this.secrets(), cache,
        // Answers do not depend on the password, but they may on the account (its level, its favourite region).
        cacheVary: `account:${this.options.credentials.user}`, notFound: NOT_FOUND,
        decode: (text) => decodeAnswer(text),
      });
      return res.body;
    } catch (err) {
      if (err instanceof ProviderError) {
        const quota = err.status === undefined ? undefined : QUOTA_STATUSES.get(err.status);
        if (quota) this.stopped = `${quota} (it resets at midnight CET)`;
        else if (err.kind === 'auth') this.stopped = err.message.replace(/^ss: /, '');
        else if (err.status === 423) this.stopped = 'the API is offline';
        else if (err.status === 426) this.stopped = 'this application version is refused';
        if (quota) throw new ProviderError(PROVIDER, 'rate-limited', this.stopped ?? quota, err.status);
      }
      throw err;
    }
  }
}

interface SsEnvelope {
  response?: unknown;
}

/** Parses an answer leniently, refuses a disguised login error, and drops every credential it echoes. */
export function decodeAnswer(text: string): SsEnvelope {
  if (text.includes(LOGIN_ERROR)) throw new ProviderError(PROVIDER, 'auth', `credentials refused (${plainMessage(text)})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = JSON.parse(text.replace(INVALID_ESCAPE_RE, '\\\\'));
    } catch {
      const message = plainMessage(text);
      throw new ProviderError(PROVIDER, 'malformed', message ? `not JSON: ${message}` : 'the answer is not valid JSON');
    }
  }
  const root = obj(parsed);
  // The header repeats the request, credentials included.
  return { response: scrub(root.response) };
}

/** Every string that is a URL loses its user credentials; any `ssuser` block loses the fields naming secrets. */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return /[?&](ssid|sspassword)=/i.test(value) ? stripQueryKeys(value, SS_USER_SECRET_KEYS) : value;
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrub(v);
    return out;
  }
  return value;
}

/** A URL without the given query keys (any case); text that is not a URL is returned unchanged. */
export function stripQueryKeys(url: string, keys: readonly string[]): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  for (const k of [...u.searchParams.keys()]) if (drop.has(k.toLowerCase())) u.searchParams.delete(k);
  return u.toString();
}

/** ScreenScraper's plain-text error line, short and free of anything credential-shaped. */
function plainMessage(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.startsWith('<') || line.startsWith('{')) return '';
  return line.slice(0, 200).replace(/(ssid|sspassword|devid|devpassword)=[^&\s"]*/gi, '$1=***');
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function positive(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** A game entry with an id (jeuRecherche answers `[{}]` when nothing matches). */
function isGame(v: unknown): v is SsGame {
  const id = obj(v).id;
  return (typeof id === 'string' && /^\d+$/.test(id) && id !== '0') || (typeof id === 'number' && id > 0);
}
