import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { type MediaError, MediaStore } from '../../../../src/metadata/media-store.ts';
import { MobyProvider } from '../../../../src/metadata/moby/provider.ts';
import { ProviderError } from '../../../../src/metadata/online/provider-http.ts';
import type { MetadataPlatform, MetadataRom, PlatformSession } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../fixtures/metadata/moby', name), 'utf8'));
const SONIC = fixture('games-sonic-genesis.json');
const BY_ID = fixture('game-by-id-1156.json');
const GROUPS = fixture('groups.json');

const genesis: MetadataPlatform = { id: 1, slug: 'genesis', fsSlug: 'megadrive', name: 'Sega Mega Drive/Genesis', romsDir: '/roms/megadrive' };

function rom(fsName: string, fsNameNoTags: string, ids: MetadataRom['ids'] = {}): MetadataRom {
  return { id: 1, platformId: 1, fsName, fsNameNoTags, fsNameNoExt: fsName.replace(/\.[^.]+$/, ''), regions: [], crc: null, md5: null, sha1: null, ids };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function setup(handler: FakeHandler, opts: { apiKey?: string | null; cache?: MemoryCache; waits?: number[]; timeoutMs?: number } = {}) {
  const s = await startFakeProvider(handler);
  close = s.close;
  const provider = new MobyProvider({
    apiKey: opts.apiKey === undefined ? 'SECRET-KEY' : opts.apiKey, url: `${s.url}/v1`, perSecond: 0, timeoutMs: opts.timeoutMs ?? 1000,
    cache: (opts.cache ?? null) as unknown as MetadataCacheRepository | null,
    sleep: (ms) => { opts.waits?.push(ms); return Promise.resolve(); },
  });
  return { s, provider };
}

const params = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

async function session(provider: MobyProvider): Promise<PlatformSession> {
  const s = await provider.open(genesis);
  if (!s) throw new Error('no session');
  return s;
}

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('MobyProvider lookups', () => {
  it('searches the platform by title and answers the best match in RomM shape', async () => {
    const { s, provider } = await setup((r) => (r.url.startsWith('/v1/games?') ? { body: SONIC } : null));
    const m = await (await session(provider)).lookup(rom('Sonic The Hedgehog (USA, Europe).md', 'Sonic The Hedgehog'));
    expect(params(s.requests[0]!.url)).toEqual({ platform: '16', title: 'sonic the hedgehog', format: 'normal', api_key: 'SECRET-KEY' });
    expect(m).toEqual({
      source: 'moby', id: 3025, name: 'Sonic the Hedgehog',
      summary: '<p>Sonic the Hedgehog must stop Dr. Robotnik from turning animals into robots.</p>',
      metadata: {
        moby_score: '8.0', genres: ['Action', 'Platform'], alternate_titles: ['ソニック・ザ・ヘッジホッグ'],
        platforms: [{ moby_id: 16, name: 'Genesis' }, { moby_id: 26, name: 'SEGA Master System' }],
      },
      urls: {
        cover: 'https://cdn.mobygames.com/covers/4018427-sonic-the-hedgehog-genesis-front-cover.jpg',
        screenshots: [
          'https://cdn.mobygames.com/screenshots/1-sonic-the-hedgehog-genesis-title-screen.jpg',
          'https://cdn.mobygames.com/screenshots/2-sonic-the-hedgehog-genesis-green-hill-zone.jpg',
        ],
      },
      media: {
        cover: { url: 'https://cdn.mobygames.com/covers/4018427-sonic-the-hedgehog-genesis-front-cover.jpg' },
        screenshots: [
          { url: 'https://cdn.mobygames.com/screenshots/1-sonic-the-hedgehog-genesis-title-screen.jpg' },
          { url: 'https://cdn.mobygames.com/screenshots/2-sonic-the-hedgehog-genesis-green-hill-zone.jpg' },
        ],
      },
    });
  });

  it('writes "x - y" as "x: y", drops a leading article and sends the title in ASCII', async () => {
    const { s, provider } = await setup(() => ({ body: { games: [] } }));
    const sess = await session(provider);
    await sess.lookup(rom('The Legend of Zelda - A Link to the Past (USA).sfc', 'The Legend of Zelda - A Link to the Past'));
    await sess.lookup(rom('Pokémon Pinball (Europe).gbc', 'Pokémon Pinball'));
    expect(s.requests.map((r) => params(r.url).title)).toEqual([
      'legend of zelda: a link to the past', 'A Link to the Past', 'pokemon pinball', 'Pokemon Pinball',
    ]);
  });

  it('falls back to the last part of the name, compared with the last part of each title', async () => {
    const { s, provider } = await setup((r) => (params(r.url).title === 'Bloodlines'
      ? { body: { games: [{ game_id: 6790, title: 'Castlevania: Bloodlines' }, { game_id: 70, title: 'Bloodlines' }] } }
      : { body: { games: [{ game_id: 5, title: 'Completely Different Game' }] } }));
    const m = await (await session(provider)).lookup(rom('Castlevania - Bloodlines (USA).md', 'Castlevania -Bloodlines'));
    expect(s.requests).toHaveLength(2);
    expect(m?.id).toBe(6790);
  });

  it('answers null when nothing is close enough, and for a 404', async () => {
    const { provider } = await setup((r) => (r.url.includes('title=') ? { body: { games: [{ game_id: 1, title: 'Xenon 2 Megablast' }] } } : null));
    const sess = await session(provider);
    expect(await sess.lookup(rom('Sonic The Hedgehog (USA).md', 'Sonic The Hedgehog'))).toBeNull();
    expect(await sess.lookup(rom('Game (moby-777).md', 'Game'))).toBeNull();
  });

  it('uses a (moby-N) tag, then a stored id, before any search', async () => {
    const { s, provider } = await setup((r) => (params(r.url).id === '1156' ? { body: BY_ID } : { body: { games: [] } }));
    const sess = await session(provider);
    expect((await sess.lookup(rom('Sonic Collection (moby-1156).zip', 'Sonic Collection')))?.id).toBe(1156);
    expect((await sess.lookup(rom('Whatever.md', 'Whatever', { moby_id: '1156' })))?.name).toBe('Sonic & Knuckles Collection');
    expect(s.requests.map((r) => params(r.url))).toEqual([
      { id: '1156', format: 'normal', api_key: 'SECRET-KEY' }, { id: '1156', format: 'normal', api_key: 'SECRET-KEY' },
    ]);
  });

  it('never puts the API key in the cache key: another key reuses the cached answer', async () => {
    const cache = new MemoryCache();
    let answer: unknown = SONIC;
    const a = await setup(() => ({ body: answer }), { cache });
    await (await session(a.provider)).lookup(rom('Sonic The Hedgehog (USA).md', 'Sonic The Hedgehog'));
    answer = { games: [] };
    const b = new MobyProvider({ apiKey: 'OTHER-KEY', url: `${a.s.url}/v1`, perSecond: 0, cache: cache as unknown as MetadataCacheRepository });
    expect((await (await session(b)).lookup(rom('Sonic The Hedgehog (USA).md', 'Sonic The Hedgehog')))?.id).toBe(3025);
    expect(a.s.requests).toHaveLength(1);
    expect(b.http.stats.cacheHits).toBe(1);
  });

  it('stops at once after a 401', async () => {
    const { s, provider } = await setup(() => ({ status: 401, body: { code: 401, error: 'Authorization required' } }));
    const sess = await session(provider);
    expect((await providerError(sess.lookup(rom('A.md', 'A')))).kind).toBe('auth');
    expect((await providerError(sess.lookup(rom('B.md', 'B')))).kind).toBe('unavailable');
    expect(s.requests).toHaveLength(1);
    await provider.prepare();
    expect((await providerError(sess.lookup(rom('B.md', 'B')))).kind).toBe('auth');
  });

  it('waits as Retry-After says after a 429', async () => {
    let n = 0;
    const waits: number[] = [];
    const { provider } = await setup(() => (++n === 1 ? { status: 429, headers: { 'retry-after': '3' } } : { body: SONIC }), { waits });
    expect((await (await session(provider)).lookup(rom('Sonic The Hedgehog.md', 'Sonic The Hedgehog')))?.id).toBe(3025);
    expect(waits).toEqual([3000]);
  });

  it('turns a timeout and a malformed answer into provider errors', async () => {
    const slow = await setup(() => ({ body: SONIC, delayMs: 500 }), { timeoutMs: 100 });
    expect((await providerError((await session(slow.provider)).lookup(rom('A.md', 'A')))).kind).toBe('unavailable');
    await close?.();
    const bad = await setup((r) => (r.url.includes('title=A') ? { raw: '<html>oops</html>' } : { body: { nothing: [] } }));
    const sess = await session(bad.provider);
    expect((await providerError(sess.lookup(rom('A.md', 'A')))).kind).toBe('malformed');
    expect((await providerError(sess.lookup(rom('B.md', 'B')))).kind).toBe('malformed');
  });

  it('hands image URLs to the media store, which refuses a private address', async () => {
    const { s, provider } = await setup(() => ({ body: BY_ID }));
    const m = await (await session(provider)).lookup(rom('X (moby-1156).zip', 'X'));
    expect(m?.media.screenshots).toEqual([{ url: 'http://127.0.0.1:9/private.png' }]);
    expect(s.requests).toHaveLength(1);
    const tmp = await mkdtemp(path.join(tmpdir(), 'moby-media-'));
    try {
      const store = new MediaStore({ resourcesRoot: tmp });
      const skipped: MediaError[] = [];
      expect(await store.storeScreenshots({ platformId: 1, id: 1 }, m?.media.screenshots ?? [], (e) => skipped.push(e))).toEqual([]);
      expect(skipped.map((e) => e.kind)).toEqual(['media-failed']);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('has nothing for a platform MobyGames lacks, or without a key', async () => {
    const { provider } = await setup(() => null);
    const other = { ...genesis, slug: 'cps2' };
    expect(await provider.open(other)).toBeNull();
    expect(await provider.fingerprint(other)).toBeNull();
    expect(await provider.fingerprint(genesis)).toBe('online:v1');
    const keyless = await setup(() => null, { apiKey: null });
    expect(await keyless.provider.available()).toBe(false);
    expect(await keyless.provider.open(genesis)).toBeNull();
  });
});

describe('MobyProvider search and health', () => {
  it('lists every title found for a name, and one game for an id', async () => {
    const { s, provider } = await setup((r) => (params(r.url).id === '1156' ? { body: BY_ID } : params(r.url).title ? { body: SONIC } : null));
    const byName = await provider.search({ platform: genesis, term: 'Sonic', by: 'name' });
    expect(byName.map((m) => [m.id, m.name])).toEqual([[3025, 'Sonic the Hedgehog'], [3026, 'Sonic the Hedgehog 2'], [9999, 'Sonic the Hedgehog']]);
    expect(byName[2]?.metadata).toEqual({ moby_score: '', genres: [], alternate_titles: [], platforms: [] });
    expect(params(s.requests[0]!.url)).toMatchObject({ platform: '16', title: 'Sonic' });
    expect((await provider.search({ platform: genesis, term: '1156', by: 'id' })).map((m) => m.id)).toEqual([1156]);
    expect(await provider.search({ platform: genesis, term: 'abc', by: 'id' })).toEqual([]);
  });

  it('checks /groups uncached, and answers false on failure without throwing', async () => {
    let up = true;
    const cache = new MemoryCache();
    const { s, provider } = await setup((r) => (r.url.startsWith('/v1/groups') ? (up ? { body: GROUPS } : { status: 500 }) : null), { cache });
    expect(await provider.health()).toBe(true);
    expect(params(s.requests[0]!.url)).toEqual({ limit: '1', api_key: 'SECRET-KEY' });
    up = false;
    expect(await provider.health()).toBe(false);
    expect(cache.rows.size).toBe(0);
    const keyless = await setup(() => ({ body: GROUPS }), { apiKey: null });
    expect(await keyless.provider.health()).toBe(false);
    expect(keyless.s.requests).toHaveLength(0);
  });
});
