import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/common/errors.ts';
import type { MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { CoverSearchService } from '../../../../src/domain/metadata/cover-search.ts';
import { MediaStore } from '../../../../src/metadata/media-store.ts';
import { ProviderError, ProviderHttp } from '../../../../src/metadata/online/provider-http.ts';
import { SgdbClient } from '../../../../src/metadata/sgdb/client.ts';
import { searchSgdbCovers } from '../../../../src/metadata/sgdb/covers.ts';
import { bestGame, candidateNames } from '../../../../src/metadata/sgdb/matching.ts';
import { SgdbProvider } from '../../../../src/metadata/sgdb/provider.ts';
import type { MetadataPlatform, MetadataRom, ProviderMatch } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';

const FIX = path.resolve('tests/fixtures/metadata/sgdb');
const SEARCH = JSON.parse(readFileSync(path.join(FIX, 'search-mario.json'), 'utf8')) as unknown;
const GRIDS = JSON.parse(readFileSync(path.join(FIX, 'grids-5254.json'), 'utf8')) as unknown;

const platform: MetadataPlatform = { id: 1, slug: 'snes', fsSlug: 'snes', name: 'SNES', romsDir: '/nowhere' };
const rom = (fsNameNoTags: string, ids: MetadataRom['ids'] = {}): MetadataRom => ({
  id: 1, platformId: 1, fsName: `${fsNameNoTags} (USA).sfc`, fsNameNoExt: `${fsNameNoTags} (USA)`, fsNameNoTags, regions: [], crc: null, md5: null, sha1: null, ids,
});

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

const api: FakeHandler = (r) => {
  if (r.headers.authorization !== 'Bearer good-key') return { status: 401, body: { success: false, errors: ['Invalid key format'] } };
  if (r.url === '/api/v2/search/autocomplete/super%20mario%20world') return { body: SEARCH };
  if (r.url.startsWith('/api/v2/search/autocomplete/')) return { body: { success: true, data: [] } };
  if (r.url.startsWith('/api/v2/grids/game/5254?')) return { body: GRIDS };
  if (r.url.startsWith('/api/v2/grids/game/')) return { body: { success: true, page: 0, total: 0, limit: 50, data: [] } };
  if (r.url === '/api/v2/games/id/5254' || r.url === '/api/v2/games/id/1') return { body: { success: true, data: { id: 5254, name: 'Super Mario World' } } };
  return { status: 404, body: { success: false, status: 404, errors: ['Game not found'] } };
};

async function setup(handler: FakeHandler, key: string | null = 'good-key', cache?: MemoryCache) {
  const s = await startFakeProvider(handler);
  close = s.close;
  const http = new ProviderHttp({ provider: 'sgdb', baseUrl: `${s.url}/api/v2`, sleep: () => Promise.resolve(), timeoutMs: 300, cache: (cache ?? null) as unknown as MetadataCacheRepository });
  const client = new SgdbClient(http, key);
  return { s, client, provider: new SgdbProvider(client) };
}

async function lookup(p: SgdbProvider, r: MetadataRom, earlier: ProviderMatch[] = []) {
  return (await p.open())!.lookup(r, { earlier });
}

describe('SteamGridDB matching', () => {
  it('tries the names other sources found in RomM order, then the file name', () => {
    const earlier: ProviderMatch[] = [
      { source: 'gamelist', id: 'g', name: 'Super Mario World', media: {} },
      { source: 'igdb', id: 1, name: 'Super Mario World: Super Mario Bros. 4', media: {} },
      { source: 'libretro', id: 'x', media: {} },
    ];
    expect(candidateNames(earlier, 'Super Mario World')).toEqual(['Super Mario World: Super Mario Bros. 4', 'Super Mario World']);
  });

  it('needs a 0.98 similarity and keeps the lowest id of a name', () => {
    const games = [{ id: 9, name: 'Super Mario World' }, { id: 3, name: 'Super Mario World' }, { id: 4, name: 'Super Mario Land' }];
    expect(bestGame('super mario world', games)).toEqual({ id: 3, name: 'Super Mario World' });
    expect(bestGame('the legend of zelda', [{ id: 1, name: 'Legend of Zelda, The' }])).toEqual({ id: 1, name: 'Legend of Zelda, The' });
    expect(bestGame('super mario kart', games)).toBeNull(); // 0.969 against Super Mario Land
  });
});

describe('SgdbProvider', () => {
  it('finds a cover by name: id, url_cover and a { url } the media store refuses on a private address', async () => {
    const { s, provider } = await setup(api);
    expect(await provider.available()).toBe(true);
    expect(await provider.fingerprint()).toBe('online:v1');
    const m = await lookup(provider, rom('Super Mario World'));
    expect(m).toEqual({ source: 'sgdb', id: 5254, urls: { cover: 'http://10.0.0.5/grid/smw.png' }, media: { cover: { url: 'http://10.0.0.5/grid/smw.png' } } });
    const grids = s.requests.find((r) => r.url.startsWith('/api/v2/grids/'))!;
    expect(new URL(grids.url, s.url).searchParams.get('types')).toBe('static');
    expect(new URL(grids.url, s.url).searchParams.get('nsfw')).toBe('false');
    const resources = await mkdtemp(path.join(tmpdir(), 'sgdb-res-'));
    try {
      await expect(new MediaStore({ resourcesRoot: resources }).storeCover({ platformId: 1, id: 1 }, m!.media.cover!)).rejects.toMatchObject({ kind: 'media-failed' });
    } finally {
      await rm(resources, { recursive: true, force: true });
    }
  });

  it('answers null when nothing matches, refreshes by a stored id, and searches', async () => {
    const { provider } = await setup(api);
    expect(await lookup(provider, rom('Zzz Nonexistent'))).toBeNull();
    expect(await lookup(provider, rom('Anything', { sgdb_id: 5254 }))).toMatchObject({ id: 5254, urls: { cover: 'http://10.0.0.5/grid/smw.png' } });
    expect(await provider.search({ platform, term: 'Super Mario World', by: 'name' })).toMatchObject([{ id: 5254, name: 'Super Mario World' }]);
    expect(await provider.search({ platform, term: '5254', by: 'id' })).toMatchObject([{ id: 5254, name: 'Super Mario World' }]);
    expect(await provider.search({ platform, term: 'abc', by: 'id' })).toEqual([]);
  });

  it('a refused key, malformed JSON and a timeout are ProviderErrors; 429 is retried', async () => {
    const bad = await setup(api, 'wrong');
    await expect(lookup(bad.provider, rom('Super Mario World'))).rejects.toMatchObject({ kind: 'auth' });
    expect(await bad.provider.health()).toBe(false);
    await close?.();
    const junk = await setup(() => ({ raw: '<html>oops' }));
    await expect(lookup(junk.provider, rom('Super Mario World'))).rejects.toMatchObject({ kind: 'malformed' });
    await close?.();
    const slow = await setup(() => ({ delayMs: 1000, body: {} }));
    const err = await lookup(slow.provider, rom('Super Mario World')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    await close?.();
    let n = 0;
    const busy = await setup((r) => (++n === 1 ? { status: 429, headers: { 'retry-after': '0' } } : api(r)));
    expect(await lookup(busy.provider, rom('Super Mario World'))).toMatchObject({ id: 5254 });
    expect(await busy.provider.health()).toBe(true);
    expect(await new SgdbProvider(new SgdbClient(new ProviderHttp({ provider: 'sgdb', baseUrl: 'http://127.0.0.1:9' }), null)).available()).toBe(false);
  });

  it('caches answers: a rerun costs no call', async () => {
    const cache = new MemoryCache();
    const { s, provider } = await setup(api, 'good-key', cache);
    await lookup(provider, rom('Super Mario World'));
    const calls = s.requests.length;
    await lookup(provider, rom('Super Mario World'));
    expect(s.requests.length).toBe(calls);
  });
});

describe('cover search (GET /api/search/cover)', () => {
  it("answers RomM's SearchCoverSchema, locked and non-http grids left out", async () => {
    const { s, client } = await setup(api);
    const found = await searchSgdbCovers(client, 'super mario world');
    expect(found.map((f) => f.name)).toEqual(['Super Mario World', 'Super Mario World', "Super Mario World 2: Yoshi's Island"]);
    expect(found[0]!.resources).toEqual([{
      thumb: 'https://cdn2.steamgriddb.com/thumb/smw.webm', url: 'http://10.0.0.5/grid/smw.png', type: 'animated', width: 600, height: 900,
      style: 'alternate', author: 'duckdicks', score: 2, nsfw: false, humor: false, epilepsy: false,
    }]);
    const grids = new URL(s.requests.find((r) => r.url.startsWith('/api/v2/grids/'))!.url, s.url).searchParams;
    expect(grids.get('nsfw')).toBe('any');
    expect(grids.get('types')).toBe('static,animated');
    expect(await searchSgdbCovers(client, '   ')).toEqual([]);
  });

  it("maps RomM's errors", async () => {
    const off = new CoverSearchService(new SgdbClient(new ProviderHttp({ provider: 'sgdb', baseUrl: 'http://127.0.0.1:9' }), null));
    await expect(off.search('x')).rejects.toEqual(new AppError(500, 'No SteamGridDB enabled'));
    const bad = await setup(api, 'wrong');
    const err = await new CoverSearchService(bad.client).search('mario').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, detail: 'Invalid SGDB API key' });
  });
});
