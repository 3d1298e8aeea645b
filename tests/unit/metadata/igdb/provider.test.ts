import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { MediaError, MediaStore } from '../../../../src/metadata/media-store.ts';
import { ProviderError } from '../../../../src/metadata/online/provider-http.ts';
import { MemoryTitleIndexes } from '../../../../src/metadata/online/title-indexes.ts';
import type { MetadataRom } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler, type FakeRequest } from '../../../helpers/fake-provider-server.ts';
import { igdbAnswer, issues, MemoryCache, platform, provider, rom } from './igdb-fake.ts';

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function server(handler: FakeHandler) {
  const s = await startFakeProvider(handler);
  close = s.close;
  return s;
}

async function lookup(p: ReturnType<typeof provider>, slug: string, fsName: string, ids: MetadataRom['ids'] = {}) {
  const session = await p.open(platform(slug), issues);
  if (!session) throw new Error('no session');
  return session.lookup(rom(fsName, ids));
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const apiCalls = (reqs: FakeRequest[]) => reqs.filter((r) => r.url.startsWith('/v4/'));
const tokenCalls = (reqs: FakeRequest[]) => reqs.filter((r) => r.url === '/oauth2/token');

describe('IgdbProvider', () => {
  it('matches a No-Intro name with a comma article and tags, and fills RomM\'s blob and URLs', async () => {
    const s = await server(igdbAnswer);
    const match = await lookup(provider(s.url), 'snes', 'Legend of Zelda, The - A Link to the Past (USA) (Rev 1).sfc');
    const first = apiCalls(s.requests)[0];
    expect(first?.method).toBe('POST');
    expect(first?.body).toBe(`search "legend of zelda a link to the past"; fields ${first?.body.split('fields ')[1]?.split(';')[0]}; where (platforms=[19] | platforms=[58]) & game_type=(10,0,11,8,9,4); limit 200;`);
    expect(first?.body).toContain('involved_companies.company.name');
    expect(first?.headers['client-id']).toBe('client-abc');
    expect(first?.headers.authorization).toBe('Bearer tok-1');
    expect(match).toMatchObject({
      source: 'igdb', id: 1026, name: 'The Legend of Zelda: A Link to the Past',
      summary: 'The Legend of Zelda: A Link to the Past is the third installment in the series.',
      urls: {
        cover: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1ub0.jpg',
        screenshots: ['https://images.igdb.com/igdb/image/upload/t_720p/sc4dq2.jpg', 'https://images.igdb.com/igdb/image/upload/t_720p/sc4dq3.jpg'],
      },
      media: {
        cover: { url: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1ub0.jpg' },
        screenshots: [{ url: 'https://images.igdb.com/igdb/image/upload/t_720p/sc4dq2.jpg' }, { url: 'https://images.igdb.com/igdb/image/upload/t_720p/sc4dq3.jpg' }],
      },
    });
    expect(match?.metadata).toEqual({
      youtube_video_id: 'wWg1KEp5JvM', total_rating: '91.57', aggregated_rating: '95.0', first_release_date: 690940800,
      genres: ['Role-playing (RPG)', 'Adventure'], franchises: ['The Legend of Zelda', 'The Legend of Zelda'],
      alternative_names: ['Zelda no Densetsu: Kamigami no Triforce', 'A Link to the Past'], collections: ['The Legend of Zelda'],
      game_modes: ['Single player'], companies: ['Nintendo', 'Nintendo EAD'],
      platforms: [{ igdb_id: 19, name: 'Super Nintendo Entertainment System' }, { igdb_id: 5, name: 'Wii' }],
      multiplayer_modes: [], player_count: '1',
      age_ratings: [
        { rating: 'E', category: 'ESRB', rating_cover_url: 'https://www.igdb.com/icons/rating_icons/esrb/esrb_e.png' },
        { rating: '3', category: 'PEGI', rating_cover_url: 'https://www.igdb.com/icons/rating_icons/pegi/pegi_3.png' },
      ],
      expansions: [], dlcs: [], remasters: [], remakes: [], expanded_games: [],
      ports: [{
        id: 1027, slug: 'the-legend-of-zelda-a-link-to-the-past-and-four-swords', name: 'The Legend of Zelda: A Link to the Past & Four Swords',
        cover_url: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1ub9.jpg', type: 'port',
      }],
      similar_games: [{
        id: 1025, slug: 'zelda-ii-the-adventure-of-link', name: 'Zelda II: The Adventure of Link',
        cover_url: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1uaz.jpg', type: 'similar',
      }],
    });
  });

  it('picks the Japanese localization for a Japan ROM', async () => {
    const s = await server(igdbAnswer);
    const match = await lookup(provider(s.url), 'snes', 'Legend of Zelda, The - A Link to the Past (Japan).sfc');
    expect(match).toMatchObject({ id: 1026, name: 'Zelda no Densetsu: Kamigami no Triforce', urls: { cover: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1xzz.jpg' } });
  });

  it('matches a multi-disc PlayStation name on platform 7 only, ignoring the disc tag', async () => {
    const s = await server(igdbAnswer);
    const match = await lookup(provider(s.url), 'psx', 'Final Fantasy VII (USA) (Disc 1).chd');
    expect(apiCalls(s.requests)[0]?.body).toMatch(/^search "final fantasy vii"; .* where platforms=\[7\] & game_type=\(10,0,11,8,9,4\); limit 200;$/);
    expect(match).toMatchObject({ id: 427, name: 'Final Fantasy VII' });
    expect(match?.metadata).toMatchObject({
      total_rating: '90.0', companies: ['Square', 'Sony Computer Entertainment'], franchises: ['Final Fantasy'],
      age_ratings: [{ rating: 'T', category: 'ESRB' }, { rating: 'C', category: 'CERO' }],
      remakes: [{ id: 11169, type: 'remake', cover_url: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1tnw.jpg' }],
    });
  });

  it('turns a PS1 serial into its title through the serial index, and derives the player count of the platform', async () => {
    const s = await server(igdbAnswer);
    const p = provider(s.url, { indexes: new MemoryTitleIndexes({ 'ps1-serial': { 'SCUS-94163': 'Gran Turismo' } }) });
    const match = await lookup(p, 'psx', 'scus-94163.bin');
    expect(apiCalls(s.requests)[0]?.body).toMatch(/^search "gran turismo";/);
    expect(match).toMatchObject({ id: 1302, name: 'Gran Turismo', metadata: { player_count: '1-2' } });
    // Without an index the file name is searched as it is, and finds nothing.
    expect(await lookup(provider(s.url), 'psx', 'SCUS-94163.bin')).toBeNull();
  });

  it('uses an (igdb-N) tag and a stored igdb_id before searching by name', async () => {
    const s = await server(igdbAnswer);
    const p = provider(s.url);
    expect(await lookup(p, 'snes', 'Some Hack (igdb-1026).sfc')).toMatchObject({ id: 1026 });
    expect(await lookup(p, 'psx', 'Whatever (USA).bin', { igdb_id: 427 })).toMatchObject({ id: 427 });
    const bodies = apiCalls(s.requests).map((r) => r.body);
    expect(bodies.every((b) => !b.startsWith('search'))).toBe(true);
    expect(bodies[0]).toMatch(/where id=1026; limit 200;$/);
  });

  it('answers null when nothing matches, after widening through the alternative-name search', async () => {
    const s = await server(igdbAnswer);
    expect(await lookup(provider(s.url), 'snes', 'Unknown Homebrew (World).sfc')).toBeNull();
    const urls = apiCalls(s.requests).map((r) => r.url);
    expect(urls).toEqual(['/v4/games', '/v4/games', '/v4/search', '/v4/games', '/v4/search']);
    expect(apiCalls(s.requests)[2]?.body).toBe('fields game.id,name; where (game.platforms=[19] | game.platforms=[58]) & (name ~ *"unknown homebrew"* | alternative_name ~ *"unknown homebrew"*); limit 200;');
    expect(await provider(s.url).open(platform('not-a-platform'), issues)).toBeNull();
  });

  it('fetches one token, sends the secret only in the form body, and a cached rerun costs no call at all', async () => {
    const s = await server(igdbAnswer);
    const cache = new MemoryCache() as unknown as MetadataCacheRepository;
    const p = provider(s.url, { cache });
    await lookup(p, 'snes', 'Legend of Zelda, The - A Link to the Past (USA) (Rev 1).sfc');
    await lookup(p, 'psx', 'Final Fantasy VII (USA) (Disc 1).chd');
    const tokens = tokenCalls(s.requests);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.method).toBe('POST');
    expect(new URLSearchParams(tokens[0]?.body)).toEqual(new URLSearchParams({ client_id: 'client-abc', client_secret: 'secret-xyz', grant_type: 'client_credentials' }));
    expect(s.requests.every((r) => !r.url.includes('secret') && !JSON.stringify(r.headers).includes('secret-xyz'))).toBe(true);
    expect([...(cache as unknown as MemoryCache).rows.values()].some((r) => r.body.includes('tok-1'))).toBe(false);
    const before = s.requests.length;
    const again = provider(s.url, { cache });
    await again.prepare();
    expect(await lookup(again, 'snes', 'Legend of Zelda, The - A Link to the Past (USA) (Rev 1).sfc')).toMatchObject({ id: 1026 });
    expect(await lookup(again, 'psx', 'Final Fantasy VII (USA) (Disc 1).chd')).toMatchObject({ id: 427 });
    expect(s.requests.length).toBe(before);
  });

  it('renews the token shortly before it expires', async () => {
    let n = 0;
    const s = await server((r) => (r.url === '/oauth2/token' ? { body: { access_token: `tok-${++n}`, expires_in: 3600 } } : igdbAnswer(r)));
    let now = 1_000_000;
    const p = provider(s.url, { now: () => now });
    await lookup(p, 'psx', 'Final Fantasy VII (USA).bin');
    now += 3_560_000; // 40 s before expiry: inside the early-renewal window
    await lookup(p, 'psx', 'Final Fantasy VII (USA).bin', { igdb_id: 427 });
    expect(tokenCalls(s.requests)).toHaveLength(2);
    expect(apiCalls(s.requests).at(-1)?.headers.authorization).toBe('Bearer tok-2');
  });

  it('renews the token once on a 401 and retries; a second 401 means refused credentials', async () => {
    let n = 0;
    let revoked = true;
    const s = await server((r) => {
      if (r.url === '/oauth2/token') return { body: { access_token: `tok-${++n}`, expires_in: 5_000_000 } };
      if (revoked && r.headers.authorization === 'Bearer tok-1') return { status: 401, body: { message: 'Authorization Failure' } };
      return igdbAnswer(r);
    });
    const p = provider(s.url);
    expect(await lookup(p, 'psx', 'Final Fantasy VII (USA).bin')).toMatchObject({ id: 427 });
    expect(tokenCalls(s.requests)).toHaveLength(2);

    const bad = await server((r) => (r.url === '/oauth2/token' ? { body: { access_token: 'tok-x', expires_in: 5_000_000 } } : { status: 401 }));
    revoked = false;
    const q = provider(bad.url);
    expect((await failure(lookup(q, 'psx', 'Final Fantasy VII (USA).bin'))).kind).toBe('auth');
    const calls = bad.requests.length;
    expect((await failure(lookup(q, 'psx', 'Tekken 3 (USA).bin'))).kind).toBe('unavailable');
    expect(bad.requests.length).toBe(calls);
    await bad.close();
  });

  it('reports refused client credentials (Twitch answers 400) as an auth failure, once per pass', async () => {
    const s = await server((r) => (r.url === '/oauth2/token' ? { status: 400, body: { status: 400, message: 'invalid client' } } : igdbAnswer(r)));
    const p = provider(s.url);
    const err = await failure(lookup(p, 'psx', 'Final Fantasy VII (USA).bin'));
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('secret-xyz');
    await failure(lookup(p, 'psx', 'Tekken 3 (USA).bin'));
    expect(tokenCalls(s.requests)).toHaveLength(1);
    expect(apiCalls(s.requests)).toHaveLength(0);
    expect(await p.health()).toBe(false);
  });

  it('backs off on 429 with Retry-After, then succeeds', async () => {
    let games = 0;
    const waits: number[] = [];
    const s = await server((r) => (r.url === '/v4/games' && ++games === 1 ? { status: 429, headers: { 'retry-after': '1' } } : igdbAnswer(r)));
    const p = provider(s.url, { sleep: (ms) => { waits.push(ms); return Promise.resolve(); } });
    expect(await lookup(p, 'psx', 'Final Fantasy VII (USA).bin')).toMatchObject({ id: 427 });
    expect(waits).toEqual([1000]);
  });

  it('costs one timeout when IGDB hangs, then fails at once', async () => {
    const s = await server((r) => (r.url === '/oauth2/token' ? igdbAnswer(r) : { body: [], delayMs: 3000 }));
    const p = provider(s.url, { timeoutMs: 200 });
    const started = Date.now();
    expect((await failure(lookup(p, 'psx', 'Final Fantasy VII (USA).bin'))).message).toMatch(/timed out/);
    expect((await failure(lookup(p, 'psx', 'Tekken 3 (USA).bin'))).kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(apiCalls(s.requests)).toHaveLength(1);
  });

  it('refuses a malformed answer', async () => {
    const s = await server((r) => (r.url === '/oauth2/token' ? igdbAnswer(r) : { raw: '[{"id": 427, "name": ' }));
    expect((await failure(lookup(provider(s.url), 'psx', 'Final Fantasy VII (USA).bin'))).kind).toBe('malformed');
    const t = await server((r) => (r.url === '/oauth2/token' ? { body: { token_type: 'bearer' } } : igdbAnswer(r)));
    expect((await failure(lookup(provider(t.url), 'psx', 'Final Fantasy VII (USA).bin'))).kind).toBe('malformed');
    await t.close();
  });

  it('hands an image URL pointing at a private address to the media store, which refuses it', async () => {
    const s = await server((r) => (r.url === '/v4/games'
      ? { body: [{ id: 5, name: 'Evil', cover: { url: '//127.0.0.1:9/t_thumb/evil.jpg' }, screenshots: [{ url: '//10.0.0.1/t_thumb/s.jpg' }] }] }
      : igdbAnswer(r)));
    const match = await lookup(provider(s.url), 'psx', 'Evil (USA).bin');
    expect(match?.media).toEqual({ cover: { url: 'https://127.0.0.1:9/t_1080p/evil.jpg' }, screenshots: [{ url: 'https://10.0.0.1/t_720p/s.jpg' }] });
    expect(s.requests.some((r) => r.url.includes('evil'))).toBe(false);
    const dir = await mkdtemp(path.join(tmpdir(), 'igdb-media-'));
    try {
      const store = new MediaStore({ resourcesRoot: path.join(dir, 'resources') });
      const err = await store.storeCover({ platformId: 1, id: 1 }, match!.media.cover!).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('searches by name (games plus alternative names, unique ids) and by id for the manual match', async () => {
    const s = await server((r) => (r.url === '/v4/search'
      ? { body: [{ id: 1, game: { id: 9999 }, name: 'FF7 AC' }, { id: 2, game: { id: 427 }, name: 'FF7' }] }
      : igdbAnswer(r)));
    const p = provider(s.url);
    // A user's quotes cannot close the Apicalypse string and add clauses.
    await p.search({ platform: platform('psx'), term: 'Final "Fantasy"; where id=1', by: 'name' });
    expect(apiCalls(s.requests)[0]?.body).toMatch(/^search "Final Fantasy ; where id=1"; fields [^;]+; where platforms=\[7\]; limit 200;$/);
    s.requests.length = 0;
    const named = await p.search({ platform: platform('psx'), term: 'final fantasy vii', by: 'name' });
    expect(named.map((m) => [m.id, m.name])).toEqual([[427, 'Final Fantasy VII'], [9999, 'Final Fantasy VII: Advent Children']]);
    expect(named[0]).toMatchObject({ source: 'igdb', summary: 'Final Fantasy VII is a role-playing game.', urls: { cover: 'https://images.igdb.com/igdb/image/upload/t_1080p/co1qxr.jpg' } });
    expect(await p.search({ platform: platform('psx'), term: '1302', by: 'id' })).toMatchObject([{ id: 1302, name: 'Gran Turismo' }]);
    expect(await p.search({ platform: platform('psx'), term: 'abc', by: 'id' })).toEqual([]);
  });

  it('is unavailable without both credentials, and its health is one uncached call', async () => {
    const s = await server(igdbAnswer);
    const off = provider(s.url, { clientSecret: null });
    expect(await off.available()).toBe(false);
    expect(await off.health()).toBe(false);
    expect(await off.open(platform('snes'), issues)).toBeNull();
    const cache = new MemoryCache();
    const on = provider(s.url, { cache: cache as unknown as MetadataCacheRepository });
    expect(await on.available()).toBe(true);
    expect(on.heartbeatFlag).toBe('IGDB_API_ENABLED');
    expect(await on.health()).toBe(true);
    expect(await on.health()).toBe(true);
    expect(apiCalls(s.requests).map((r) => r.body)).toEqual(['fields id; limit 1;', 'fields id; limit 1;']);
    expect(cache.rows.size).toBe(0);
    expect(await on.fingerprint(platform('snes'))).toMatch(/^online:v1:/);
  });
});
