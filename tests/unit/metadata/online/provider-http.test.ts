import { afterEach, describe, expect, it } from 'vitest';
import type { CachedAnswer, MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { ProviderError, ProviderHttp, retryAfterMs } from '../../../../src/metadata/online/provider-http.ts';
import { RateLimiter } from '../../../../src/metadata/online/limits.ts';
import { startFakeProvider, type FakeHandler } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function server(handler: FakeHandler) {
  const s = await startFakeProvider(handler);
  close = s.close;
  return s;
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof ProviderHttp>[0]> = {}) =>
  new ProviderHttp({ provider: 'fake', baseUrl: url, sleep: () => Promise.resolve(), timeoutMs: 500, ...extra });

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('ProviderHttp', () => {
  it('answers from the cache the second time, found and not found alike', async () => {
    const s = await server((r) => (r.url.startsWith('/api/v1/game/1') ? { body: { id: 1, name: 'Zelda' } } : null));
    const cache = new MemoryCache();
    const http = client(`${s.url}/api/v1/`, { cache: cache as unknown as MetadataCacheRepository });
    expect(await http.request({ path: '/game/1', query: { q: 'a b', skip: undefined } })).toEqual({ status: 200, body: { id: 1, name: 'Zelda' }, fromCache: false });
    expect(s.requests[0]?.url).toBe('/api/v1/game/1?q=a+b');
    expect(await http.request({ path: '/game/1', query: { q: 'a b' } })).toMatchObject({ body: { id: 1 }, fromCache: true });
    expect(await http.request({ path: '/game/2' })).toEqual({ status: 404, body: null, fromCache: false });
    expect(await http.request({ path: '/game/2' })).toEqual({ status: 404, body: null, fromCache: true });
    expect(s.requests).toHaveLength(2);
    expect(http.stats).toMatchObject({ calls: 2, cacheHits: 2 });
  });

  it('retries 429 and 5xx with backoff, honouring Retry-After', async () => {
    let n = 0;
    const waits: number[] = [];
    const s = await server(() => (++n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : n === 2 ? { status: 503 } : { body: { ok: true } }));
    const http = client(s.url, { sleep: (ms) => { waits.push(ms); return Promise.resolve(); } });
    expect((await http.request({ path: '/x' })).body).toEqual({ ok: true });
    expect(waits).toEqual([2000, 1000]);
    expect(http.stats).toMatchObject({ calls: 3, retries: 2, rateLimited: 1 });
  });

  it('gives up after the retries and opens the breaker after three failures in a row', async () => {
    const s = await server(() => ({ status: 500 }));
    const http = client(s.url, { retries: 1 });
    for (let i = 0; i < 3; i++) expect((await failure(http.request({ path: `/x${i}` }))).kind).toBe('http');
    const calls = s.requests.length;
    expect((await failure(http.request({ path: '/y' }))).kind).toBe('unavailable');
    expect(s.requests.length).toBe(calls);
    http.reset();
    expect((await failure(http.request({ path: '/z' }))).kind).toBe('http');
  });

  it('costs one timeout when the provider hangs, then fails at once', async () => {
    const s = await server(() => ({ body: {}, delayMs: 5000 }));
    const http = client(s.url, { timeoutMs: 200 });
    const started = Date.now();
    expect((await failure(http.request({ path: '/a' }))).message).toMatch(/timed out/);
    for (let i = 0; i < 20; i++) expect((await failure(http.request({ path: `/b${i}` }))).kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.requests).toHaveLength(1);
  });

  it('fails fast on an unreachable host and on refused credentials', async () => {
    const down = client('http://127.0.0.1:1');
    expect((await failure(down.request({ path: '/' }))).kind).toBe('unavailable');
    const s = await server(() => ({ status: 401, body: { detail: 'bad key' } }));
    const http = client(s.url);
    expect((await failure(http.request({ path: '/a' }))).kind).toBe('auth');
    expect((await failure(http.request({ path: '/b' }))).kind).toBe('unavailable');
  });

  it('reports a malformed body and does not cache it', async () => {
    const s = await server(() => ({ raw: '{"id": 1,' }));
    const cache = new MemoryCache();
    const http = client(s.url, { cache: cache as unknown as MetadataCacheRepository });
    expect((await failure(http.request({ path: '/a' }))).kind).toBe('malformed');
    expect(cache.rows.size).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('spaces calls at the configured rate', async () => {
    const limiter = new RateLimiter(20, 1);
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.acquire()));
    // First at once, then one every 50 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(230);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });

  it('sends secret query parameters without keying the cache on them, and honours notFound, ttlMs and decode', async () => {
    const s = await server((r) => (r.url.includes('/bad') ? { status: 400, raw: 'Champ erron\u00e9' } : { raw: '{"a":1,"secret":"echo"}' }));
    const cache = new MemoryCache();
    const http = client(s.url, { cache: cache as unknown as MetadataCacheRepository });
    const decode = (text: string) => ({ a: (JSON.parse(text) as { a: number }).a });
    const first = await http.request({ path: '/x', query: { q: 1 }, secretQuery: { key: 'pw1' }, ttlMs: 1234, decode });
    expect(first.body).toEqual({ a: 1 });
    expect(s.requests[0]?.url).toBe('/x?q=1&key=pw1');
    const [[cacheKey, row]] = [...cache.rows.entries()] as [[string, CachedAnswer & { ttl: number; expires: number }]];
    expect(cacheKey).not.toContain('pw1');
    expect(row.body).toBe('{"a":1}');
    expect(row.expires - Date.now()).toBeLessThan(1300);
    // Another secret, same key: answered from the cache.
    expect(await http.request({ path: '/x', query: { q: 1 }, secretQuery: { key: 'pw2' }, decode })).toMatchObject({ body: { a: 1 }, fromCache: true });
    expect(await http.request({ path: '/bad', notFound: [400] })).toEqual({ status: 404, body: null, fromCache: false });
    expect(http.unavailable).toBeNull();
    expect((await failure(http.request({ path: '/bad', cache: false }))).status).toBe(400);
  });
});
