/**
 * The HTTP client every online provider uses: its base URL (set by the operator, so trusted; image URLs found in
 * answers go through the SSRF-safe fetch of the media store instead), a per-request timeout, the provider's rate
 * limit and concurrency cap, retries with backoff on 429 and 5xx (honouring Retry-After), a circuit breaker, and a
 * persistent cache of answers (found for `ttlMs`, not found for `notFoundTtlMs`) so a rescan repeats no call.
 *
 * API:
 *   new ProviderHttp(options)
 *   request<T>({ method?, path, query?, secretQuery?, headers?, body?, cache?, cacheVary?, ttlMs?, notFound?, decode?, auth? })
 *       → { status, body: T | null, fromCache }
 *       2xx: parsed JSON (or text with `text: true`, or `decode(text)`); 404 → body null. Throws ProviderError otherwise.
 *   stats, reset() (the breaker and counters, at the start of a pass)
 */
import { createHash } from 'node:crypto';
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { CircuitBreaker, RateLimiter, Semaphore } from './limits.ts';

export type ProviderErrorKind = 'unavailable' | 'auth' | 'rate-limited' | 'http' | 'malformed';

export class ProviderError extends Error {
  constructor(readonly provider: string, readonly kind: ProviderErrorKind, message: string, readonly status?: number) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderError';
  }
}

export interface ProviderHttpOptions {
  provider: string;
  baseUrl: string;
  /** Requests per second (the provider's published limit); 0 = unlimited. */
  perSecond?: number;
  /** Calls that may start at once after an idle time (default 1: evenly spaced). */
  burst?: number;
  /** Calls in flight at once. */
  maxConcurrent?: number;
  timeoutMs?: number;
  /** Time for the answer's headers to arrive (default: timeoutMs). */
  headersTimeoutMs?: number;
  /** Retries of a 429 or 5xx answer. */
  retries?: number;
  /** Longest wait between retries, whatever Retry-After says. */
  maxBackoffMs?: number;
  cache?: MetadataCacheRepository | null;
  /** Cache lifetime of a found answer (default 30 days) and of a not-found one (default 7 days). */
  ttlMs?: number;
  notFoundTtlMs?: number;
  userAgent?: string;
  /** Injected in tests. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ProviderRequest {
  method?: 'GET' | 'POST' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  body?: string;
  /** Read the body as text, not JSON. */
  text?: boolean;
  /** false: never cached (tokens, health checks). */
  cache?: boolean;
  /** Part of the cache key instead of headers that carry secrets (e.g. the account a search ran as). */
  cacheVary?: string;
  /** Query parameters that carry credentials: sent, but never part of the cache key or of any message. */
  secretQuery?: Record<string, string>;
  /** Cache lifetime of this answer when found, instead of the client's `ttlMs`. */
  ttlMs?: number;
  /** Statuses that mean "not found" for this provider besides 404 (answered and cached as a 404). */
  notFound?: readonly number[];
  /**
   * Reads a 2xx body instead of JSON.parse: may repair it, drop what must not be stored (credentials echoed back) and
   * throw a ProviderError for an error disguised as a success. What is cached is JSON.stringify of its result, so it
   * must accept that text too.
   */
  decode?: (text: string) => unknown;
  /** Credentials obtained only when a call goes out (a cached answer needs no token), renewed once on a 401. */
  auth?: ProviderAuth;
}

export interface ProviderAuth {
  /** Headers carrying the current credentials (a token fetched or renewed here when due). */
  headers(): Promise<Record<string, string>>;
  /** After a 401: headers with fresh credentials to retry once with, or null to give up. */
  renew(): Promise<Record<string, string> | null>;
}

export interface ProviderResponse<T> {
  status: number;
  body: T | null;
  fromCache: boolean;
}

export interface ProviderStats {
  calls: number;
  cacheHits: number;
  retries: number;
  rateLimited: number;
  failures: number;
}

const DAY = 24 * 3600 * 1000;

export class ProviderHttp {
  readonly provider: string;
  readonly stats: ProviderStats = { calls: 0, cacheHits: 0, retries: 0, rateLimited: 0, failures: 0 };
  private readonly base: string;
  private readonly limiter: RateLimiter;
  private readonly slots: Semaphore;
  private readonly breaker = new CircuitBreaker(3);
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ProviderHttpOptions) {
    this.provider = options.provider;
    this.base = options.baseUrl.replace(/\/+$/, '');
    // Evenly spaced calls (a burst of one): a provider counting calls per sliding second never sees more than its limit.
    this.limiter = new RateLimiter(options.perSecond ?? 0, options.burst ?? 1);
    this.slots = new Semaphore(Math.max(1, options.maxConcurrent ?? 4));
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Why calls fail at once for the rest of this pass, or null. */
  get unavailable(): string | null {
    return this.breaker.open;
  }

  reset(): void {
    this.breaker.reset();
    Object.assign(this.stats, { calls: 0, cacheHits: 0, retries: 0, rateLimited: 0, failures: 0 });
  }

  url(req: Pick<ProviderRequest, 'path' | 'query'>): string {
    const u = new URL(`${this.base}${req.path.startsWith('/') ? '' : '/'}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== null) u.searchParams.append(k, String(v));
    return u.toString();
  }

  private cacheKey(req: ProviderRequest): string {
    return createHash('sha256').update(`${req.method ?? 'GET'} ${this.url(req)}\n${req.cacheVary ?? ''}\n${req.body ?? ''}`).digest('hex');
  }

  /**
   * Stores `body` as the answer `req` would get, so a later request for data already seen (a game fetched by a name
   * search, asked for again by its id on the next scan) costs no call.
   */
  async prime(req: ProviderRequest, body: unknown): Promise<void> {
    const cache = req.cache !== false ? this.options.cache ?? null : null;
    await cache?.put(this.provider, this.cacheKey(req), { status: 200, body: JSON.stringify(body) }, this.now(), req.ttlMs ?? this.options.ttlMs ?? 30 * DAY);
  }

  async request<T>(req: ProviderRequest): Promise<ProviderResponse<T>> {
    const method = req.method ?? 'GET';
    const url = this.url(req);
    const cache = req.cache !== false ? this.options.cache ?? null : null;
    const key = this.cacheKey(req);
    if (cache) {
      const hit = await cache.get(this.provider, key, this.now());
      if (hit) {
        this.stats.cacheHits++;
        return { status: hit.status, body: hit.status === 404 ? null : this.parse<T>(hit.body, req), fromCache: true };
      }
    }
    const answer = await this.fetchWithRetries(method, this.withSecrets(url, req.secretQuery), req);
    if (answer.status === 404) {
      await cache?.put(this.provider, key, { status: 404, body: '' }, this.now(), this.options.notFoundTtlMs ?? 7 * DAY);
      return { status: 404, body: null, fromCache: false };
    }
    const body = this.parse<T>(answer.text, req);
    const stored = req.decode ? JSON.stringify(body) : answer.text;
    await cache?.put(this.provider, key, { status: answer.status, body: stored }, this.now(), req.ttlMs ?? this.options.ttlMs ?? 30 * DAY);
    return { status: answer.status, body, fromCache: false };
  }

  private withSecrets(url: string, secrets: Record<string, string> | undefined): string {
    if (!secrets) return url;
    const u = new URL(url);
    for (const [k, v] of Object.entries(secrets)) u.searchParams.set(k, v);
    return u.toString();
  }

  private parse<T>(text: string, req: Pick<ProviderRequest, 'text' | 'decode'>): T {
    if (req.decode) return req.decode(text) as T;
    if (req.text) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(this.provider, 'malformed', 'the answer is not valid JSON');
    }
  }

  /**
   * One call: the answer's headers must arrive within `headersTimeoutMs` (a server that does not answer costs that
   * much), the whole body within `timeoutMs` (a large listing on a slow link may take longer).
   */
  private async fetchOnce(url: string, method: string, req: ProviderRequest, auth: Record<string, string> | null): Promise<{ res: Response; text: string }> {
    const total = this.options.timeoutMs ?? 10_000;
    const controller = new AbortController();
    const timeout = (ms: number) => setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), ms);
    let timer = timeout(Math.min(total, this.options.headersTimeoutMs ?? total));
    const started = Date.now();
    try {
      const res = await this.fetchImpl(url, {
        method, body: req.body, redirect: 'follow', signal: controller.signal,
        headers: { accept: req.text ? '*/*' : 'application/json', 'user-agent': this.options.userAgent ?? 'romshelf', ...req.headers, ...auth },
      });
      clearTimeout(timer);
      timer = timeout(Math.max(1, total - (Date.now() - started)));
      return { res, text: await res.text() };
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchWithRetries(method: string, url: string, req: ProviderRequest): Promise<{ status: number; text: string }> {
    const retries = this.options.retries ?? 3;
    let auth: Record<string, string> | null = null;
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const open = this.breaker.open;
      if (open) throw new ProviderError(this.provider, 'unavailable', open);
      if (req.auth && !auth) auth = await req.auth.headers();
      await this.limiter.acquire();
      let res: Response;
      let text: string;
      try {
        ({ res, text } = await this.slots.run(async () => {
          // Calls queued behind one that timed out fail at once instead of each waiting out its own timeout.
          const nowOpen = this.breaker.open;
          if (nowOpen) throw new ProviderError(this.provider, 'unavailable', nowOpen);
          this.stats.calls++;
          return this.fetchOnce(url, method, req, auth);
        }));
      } catch (err) {
        if (err instanceof ProviderError) throw err;
        // Unreachable, refused or too slow: one such failure per pass is enough.
        this.stats.failures++;
        const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : `unreachable (${(err as Error).message})`;
        this.breaker.failure(reason, true);
        throw new ProviderError(this.provider, 'unavailable', reason);
      }
      if (res.ok || res.status === 404 || req.notFound?.includes(res.status)) {
        this.breaker.success();
        return { status: res.ok ? res.status : 404, text };
      }
      if (res.status === 401 && req.auth && !renewed) {
        // An expired or revoked token: renew it once before calling the credentials refused.
        renewed = true;
        const fresh = await req.auth.renew();
        if (fresh) {
          auth = fresh;
          attempt--;
          continue;
        }
      }
      if (res.status === 401 || res.status === 403) {
        this.stats.failures++;
        this.breaker.failure(`credentials refused (HTTP ${res.status})`, true);
        throw new ProviderError(this.provider, 'auth', `credentials refused (HTTP ${res.status})`, res.status);
      }
      const retryable = res.status === 429 || res.status >= 500;
      if (res.status === 429) this.stats.rateLimited++;
      if (retryable && attempt < retries) {
        this.stats.retries++;
        const wait = Math.min(this.options.maxBackoffMs ?? 30_000, retryAfterMs(res.headers.get('retry-after'), this.now()) ?? 500 * 2 ** attempt);
        if (res.status === 429) this.limiter.pause(wait);
        await this.sleep(wait);
        continue;
      }
      this.stats.failures++;
      this.breaker.failure(`HTTP ${res.status}`);
      throw new ProviderError(this.provider, res.status === 429 ? 'rate-limited' : 'http', `HTTP ${res.status}`, res.status);
    }
  }
}

/** Retry-After as seconds or an HTTP date, in ms from now. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
