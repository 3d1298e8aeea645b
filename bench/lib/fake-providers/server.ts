import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP server under every fake provider of `npm run bench:metadata-online`: a seeded random latency per request
 * (50-150 ms by default, like a distant API), the provider's rate limit enforced on arrival (over it: 429 with
 * Retry-After, counted), and counters per endpoint. Bodies are routed to the provider's handler; nothing is stored
 * per request, so a 100,000-ROM run costs counters only.
 *
 * API:
 *   startFakeServer({ name, seed, latencyMs, limits, route }) → FakeServer { url, stats(), resetStats(), close() }
 *   tokenBucket(perSecond, burst) | fixedWindow(limit, windowMs) | maxOpen(n): rate rules, checked in order
 */

export interface FakeRequest {
  method: string;
  /** Path without the query, percent-decoded. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeAnswer {
  status?: number;
  /** JSON-encoded unless `raw` is given. */
  json?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** The handler names the endpoint (for the counters) and answers; null endpoint = unknown route (404). */
export type FakeRoute = (req: FakeRequest) => { endpoint: string; answer: FakeAnswer };

/** A rate rule: null when the request may pass, else the seconds to announce in Retry-After. */
export interface RateRule {
  readonly describe: string;
  admit(now: number, open: number): number | null;
}

/** A token bucket (API gateways such as IGDB's): `perSecond` refill, at most `burst` saved. */
export function tokenBucket(perSecond: number, burst = perSecond): RateRule {
  let tokens = burst;
  let last = -1;
  return {
    describe: `${perSecond} requests/s (token bucket, burst ${burst})`,
    admit(now) {
      if (last < 0) last = now;
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - tokens) / perSecond));
    },
  };
}

/** A fixed window (ASP.NET's FixedWindowRateLimiter, Hasheous's): `limit` requests per `windowMs`, counted from the first. */
export function fixedWindow(limit: number, windowMs: number): RateRule {
  let start = -1;
  let used = 0;
  return {
    describe: `${limit} requests per ${windowMs / 1000} s (fixed window)`,
    admit(now) {
      if (start < 0 || now - start >= windowMs) {
        start = now;
        used = 0;
      }
      if (used < limit) {
        used++;
        return null;
      }
      return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    },
  };
}

/** At most `n` requests open at once (IGDB allows 8). */
export function maxOpen(n: number): RateRule {
  return { describe: `${n} open requests`, admit: (_now, open) => (open < n ? null : 1) };
}

/** mulberry32: a small seeded generator, so two runs see the same latencies in the same order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FakeServerStats {
  requests: number;
  rate_limited_429: number;
  /** Requests per endpoint (429s included). */
  by_endpoint: Record<string, number>;
  by_status: Record<string, number>;
  max_open: number;
}

export interface FakeServerOptions {
  name: string;
  seed: number;
  latencyMs?: [number, number];
  limits?: RateRule[];
  /** Endpoints the rate limit does not cover (e.g. Twitch's token endpoint in front of IGDB). */
  unlimited?: (req: FakeRequest) => boolean;
  route: FakeRoute;
  /** Body text of a 429 (the real service's). */
  tooManyBody?: FakeAnswer;
}

export interface FakeServer {
  name: string;
  url: string;
  limits: string[];
  stats(): FakeServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

export async function startFakeServer(opts: FakeServerOptions): Promise<FakeServer> {
  const [lo, hi] = opts.latencyMs ?? [50, 150];
  const random = seededRandom(opts.seed);
  const limits = opts.limits ?? [];
  let stats: FakeServerStats = fresh();
  let open = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      let path = url.pathname;
      try { path = decodeURIComponent(path); } catch { /* keep it encoded */ }
      const fr: FakeRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const now = performance.now();
      let retryAfter: number | null = null;
      if (!opts.unlimited?.(fr)) {
        for (const rule of limits) {
          retryAfter = rule.admit(now, open);
          if (retryAfter !== null) break;
        }
      }
      let endpoint: string;
      let answer: FakeAnswer;
      if (retryAfter !== null) {
        endpoint = safeRoute(opts.route, fr).endpoint;
        stats.rate_limited_429++;
        answer = { ...(opts.tooManyBody ?? { raw: 'Too Many Requests' }), status: 429, headers: { ...opts.tooManyBody?.headers, 'retry-after': String(retryAfter) } };
      } else {
        ({ endpoint, answer } = safeRoute(opts.route, fr));
      }
      const status = answer.status ?? 200;
      stats.requests++;
      stats.by_endpoint[endpoint] = (stats.by_endpoint[endpoint] ?? 0) + 1;
      stats.by_status[status] = (stats.by_status[status] ?? 0) + 1;
      open++;
      stats.max_open = Math.max(stats.max_open, open);
      const send = () => {
        open--;
        if (res.destroyed) return;
        const body = answer.raw ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
        const type = answer.raw === undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
        res.writeHead(status, { 'content-type': type, ...answer.headers });
        res.end(fr.method === 'HEAD' ? undefined : body);
      };
      setTimeout(send, lo + random() * (hi - lo));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: opts.name,
    url: `http://127.0.0.1:${port}`,
    limits: limits.map((l) => l.describe),
    stats: () => structuredClone(stats),
    resetStats: () => { stats = fresh(); },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function fresh(): FakeServerStats {
  return { requests: 0, rate_limited_429: 0, by_endpoint: {}, by_status: {}, max_open: 0 };
}

/** A handler bug answers 500 and is counted, instead of taking the benchmark down. */
function safeRoute(route: FakeRoute, req: FakeRequest): { endpoint: string; answer: FakeAnswer } {
  try {
    return route(req);
  } catch (err) {
    return { endpoint: 'handler-error', answer: { status: 500, raw: `fake provider error: ${(err as Error).message}` } };
  }
}
