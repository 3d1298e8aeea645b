import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { ProviderError } from '../../../../src/metadata/online/provider-http.ts';
import { RetroAchievementsProvider } from '../../../../src/metadata/ra/provider.ts';
import type { MetadataPlatform, MetadataRom, ProviderMatch } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler, type FakeRequest } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';

const fixture = (name: string): string => readFileSync(path.join(__dirname, '../../../fixtures/metadata/ra', name), 'utf8');
const LIST = fixture('game-list-genesis.json');
const GAME = fixture('game-extended-1.json');
const KEY = 'ra-secret-key';

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function server(handler: FakeHandler) {
  const s = await startFakeProvider(handler);
  close = s.close;
  return s;
}

const endpoint = (r: FakeRequest): string => new URL(r.url, 'http://x').pathname.replace(/^\/API\//, '');
const param = (r: FakeRequest, k: string): string | null => new URL(r.url, 'http://x').searchParams.get(k);

const handler: FakeHandler = (r) => {
  if (param(r, 'y') !== KEY) return { status: 401, body: { message: 'Unauthenticated.' } };
  switch (endpoint(r)) {
    case 'API_GetGameList.php': return { raw: LIST };
    case 'API_GetGameExtended.php': return param(r, 'i') === '1' ? { raw: GAME } : { raw: '[]' };
    case 'API_GetAchievementOfTheWeek.php': return { body: { Achievement: { ID: 1 } } };
    default: return null;
  }
};

function provider(url: string, extra: { key?: string; cache?: MemoryCache; timeoutMs?: number; waits?: number[] } = {}) {
  return new RetroAchievementsProvider({
    config: { apiKey: extra.key ?? KEY, url: `${url}/API`, refreshCacheDays: 14 },
    cache: (extra.cache ?? null) as unknown as MetadataCacheRepository | null, timeoutMs: extra.timeoutMs ?? 2000,
    sleep: (ms) => { extra.waits?.push(ms); return Promise.resolve(); },
  });
}

const genesis: MetadataPlatform = { id: 3, slug: 'genesis', fsSlug: 'megadrive', name: 'Mega Drive', romsDir: '/lib/megadrive' };

const rom = (fsName: string, extra: Partial<MetadataRom> = {}): MetadataRom => ({
  id: 42, platformId: 3, fsName, fsNameNoExt: fsName, fsNameNoTags: fsName, regions: [], crc: null,
  md5: '1bc674be034e43c96b86487ac69d9293', sha1: null, ids: {}, ...extra,
});

async function lookup(p: RetroAchievementsProvider, r: MetadataRom): Promise<ProviderMatch | null> {
  const session = await p.open(genesis);
  if (!session) throw new Error('no session');
  return session.lookup(r);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('RetroAchievementsProvider', () => {
  it('is available with a key only, and reports the heartbeat flag', async () => {
    const off = new RetroAchievementsProvider({ config: { apiKey: null, url: 'http://127.0.0.1:9', refreshCacheDays: 30 } });
    expect(await off.available()).toBe(false);
    expect(await off.health()).toBe(false);
    expect(off.heartbeatFlag).toBe('RA_API_ENABLED');
    const s = await server(handler);
    expect(await provider(s.url).open({ ...genesis, slug: 'no-such-platform' })).toBeNull();
  });

  it('matches by MD5 in the console hash list and stores achievements as RomM does', async () => {
    const s = await server(handler);
    const cache = new MemoryCache();
    const m = await lookup(provider(s.url, { cache }), rom('Sonic the Hedgehog (USA, Europe).md'));
    expect(param(s.requests[0] as FakeRequest, 'i')).toBe('1');
    expect(param(s.requests[0] as FakeRequest, 'h')).toBe('1');
    expect(param(s.requests[0] as FakeRequest, 'f')).toBeNull();
    expect(m).toMatchObject({
      source: 'ra', id: 1, name: 'Sonic the Hedgehog',
      urls: { cover: 'https://media.retroachievements.org/Images/054993.png', screenshots: ['https://media.retroachievements.org/Images/000010.png'] },
      media: { cover: { url: 'https://media.retroachievements.org/Images/054993.png' } },
    });
    expect(m?.metadata).toEqual({
      first_release_date: Date.UTC(1991, 5, 11) / 1000, genres: ['2D Platforming'], companies: ['Sega', 'Sonic Team'],
      // Keyed by achievement id: JSON objects with integer-like keys come out in id order.
      achievements: [
        expect.objectContaining({ ra_id: 23, badge_id: '', type: 'progression' }),
        {
          ra_id: 25, title: 'Very Close Shave!', description: 'Finish a level with no time to spare', points: 5, num_awarded: 3675,
          num_awarded_hardcore: 2695, badge_id: '461384',
          badge_url_lock: 'https://media.retroachievements.org/Badge/461384_lock.png', badge_path_lock: 'roms/3/42/retroachievements/badges/461384_lock.png',
          badge_url: 'https://media.retroachievements.org/Badge/461384.png', badge_path: 'roms/3/42/retroachievements/badges/461384.png',
          display_order: 15, type: '',
        },
      ],
    });
    // The hash list is cached compact, for REFRESH_RETROACHIEVEMENTS_CACHE_DAYS, without the key.
    const rows = [...cache.rows.values()];
    const list = rows.find((r) => r.body.includes('hashes'));
    expect(list?.ttl).toBe(14 * 24 * 3600 * 1000);
    expect(JSON.parse(list?.body ?? '{}')).toEqual({ hashes: {
      '1bc674be034e43c96b86487ac69d9293': 1, '09dadb5071eb35050067a32462e39c5f': 1, b4c6bcd0b0db9d2cc0f47e2fbb86a97b: 30734,
    } });
    for (const [k, v] of cache.rows) expect(`${k}${v.body}`).not.toContain(KEY);

    // A new pass reads the list and the game from the cache.
    const calls = s.requests.length;
    expect((await lookup(provider(s.url, { cache }), rom('Sonic.md')))?.id).toBe(1);
    expect(s.requests.length).toBe(calls);
  });

  it('prefers a (ra-N) tag, then the stored id, then ra_hash over MD5; null when unknown', async () => {
    const s = await server(handler);
    const p = provider(s.url);
    expect((await lookup(p, rom('Sonic (ra-1).md', { md5: null })))?.id).toBe(1);
    expect((await lookup(p, rom('Sonic.md', { md5: null, ids: { ra_id: 1 } })))?.id).toBe(1);
    expect((await lookup(p, rom('Sonic.md', { md5: 'ffffffffffffffffffffffffffffffff', raHash: '09DADB5071EB35050067A32462E39C5F' })))?.id).toBe(1);
    expect(await lookup(p, rom('Unknown.md', { md5: 'ffffffffffffffffffffffffffffffff' }))).toBeNull();
    expect(await lookup(p, rom('Unknown (ra-999).md', { md5: null }))).toBeNull();
  });

  it('fails for the pass on a refused key, retries 429, costs one timeout, reports malformed JSON', async () => {
    const s = await server(handler);
    const p = provider(s.url, { key: 'wrong' });
    expect((await failure(p.open(genesis))).kind).toBe('auth');
    const calls = s.requests.length;
    expect((await failure(p.open(genesis))).kind).toBe('unavailable');
    expect(s.requests.length).toBe(calls);
    await close?.();

    let n = 0;
    const waits: number[] = [];
    const s429 = await server((r) => (++n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : handler(r)));
    expect((await lookup(provider(s429.url, { waits }), rom('Sonic.md')))?.id).toBe(1);
    expect(waits).toEqual([1000]);
    await close?.();

    const slow = await server(() => ({ raw: LIST, delayMs: 3000 }));
    const sp = provider(slow.url, { timeoutMs: 150 });
    expect((await failure(sp.open(genesis))).message).toMatch(/timed out/);
    expect((await failure(sp.open(genesis))).kind).toBe('unavailable');
    await close?.();

    const bad = await server((r) => (endpoint(r) === 'API_GetGameList.php' ? { raw: '[{"ID": 1, "Hashes": [' } : handler(r)));
    expect((await failure(provider(bad.url).open(genesis))).kind).toBe('malformed');
  });

  it('only hands on image URLs of RetroAchievements paths', async () => {
    const evil = JSON.stringify({ ...JSON.parse(GAME) as object, ImageTitle: '//127.0.0.1/x.png', ImageIngame: '/Images/../../admin' });
    const s = await server((r) => (endpoint(r) === 'API_GetGameExtended.php' ? { raw: evil } : handler(r)));
    const m = await lookup(provider(s.url), rom('Sonic.md'));
    expect(m?.media).toEqual({});
    expect(m?.urls).toBeUndefined();
  });

  it('searches by id and checks health uncached', async () => {
    const s = await server(handler);
    const p = provider(s.url, { cache: new MemoryCache() });
    expect((await p.search({ platform: genesis, term: '1', by: 'id' })).map((m) => m.id)).toEqual([1]);
    expect(await p.search({ platform: genesis, term: 'Sonic', by: 'name' })).toEqual([]);
    expect(await p.health()).toBe(true);
    expect(await p.health()).toBe(true);
    expect(s.requests.filter((r) => endpoint(r) === 'API_GetAchievementOfTheWeek.php')).toHaveLength(2);
    expect(await provider(s.url, { key: 'wrong' }).health()).toBe(false);
  });
});
