import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../../src/common/paths.ts';
import { hasheousProviders, type HasheousProvidersOptions } from '../../../../src/metadata/hasheous/provider.ts';
import { MediaStore } from '../../../../src/metadata/media-store.ts';
import { ProviderError } from '../../../../src/metadata/online/provider-http.ts';
import type { MetadataPlatform, MetadataProvider, MetadataRom, ProviderMatch, SourceId } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler, type FakeRequest } from '../../../helpers/fake-provider-server.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'tests/fixtures/metadata/hasheous', name), 'utf8'));

const PAPER_MARIO = { md5: 'a722f8161ff489943191330bf8416496', sha1: '3d3a5ac6e6a2ea87a8a3bd2f1c1ca8f1fa1d4a16', crc: '65eee467' };
const CRASH = { md5: '0f0e0d0c0b0a09080706050403020100', sha1: null, crc: '0a1b2c3d' };

const n64: MetadataPlatform = { id: 1, slug: 'n64', fsSlug: 'n64', name: 'Nintendo 64', romsDir: '/lib/roms/n64' };
const psx: MetadataPlatform = { id: 2, slug: 'psx', fsSlug: 'psx', name: 'PlayStation', romsDir: '/lib/roms/psx' };

let nextId = 1;
function rom(fsName: string, hashes: { md5: string | null; sha1: string | null; crc: string | null }): MetadataRom {
  return {
    id: nextId++, platformId: 1, fsName, fsNameNoTags: fsName.replace(/ \(.*$/, ''), fsNameNoExt: fsName.replace(/\.[^.]+$/, ''),
    regions: ['USA'], ...hashes, ids: {},
  };
}

/** Hasheous as RomM's cassettes show it: ByHash by MD5 or CRC, the IGDB proxy by id. */
const hasheous = (overrides: Partial<Record<'byHash' | 'igdb', FakeHandler>> = {}): FakeHandler => (req) => {
  const u = new URL(req.url, 'http://x');
  if (req.method === 'POST' && u.pathname === '/api/v1/Lookup/ByHash') {
    if (overrides.byHash) return overrides.byHash(req);
    const [entry] = JSON.parse(req.body) as Record<string, string>[];
    if (entry?.mD5 === PAPER_MARIO.md5) return { body: fixture('by-hash-paper-mario.json') };
    if (entry?.crc === CRASH.crc) return { body: fixture('by-hash-redump-ra.json') };
    return { status: 404, body: {} };
  }
  if (req.method === 'GET' && u.pathname === '/api/v1/MetadataProxy/IGDB/Game') {
    if (overrides.igdb) return overrides.igdb(req);
    return u.searchParams.get('Id') === '3340' ? { body: fixture('igdb-game-paper-mario.json') } : { status: 404 };
  }
  if (u.pathname === '/api/v1/HealthCheck') return { body: 'Healthy', raw: 'Healthy' };
  return null;
};

const closing: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closing.splice(0)) await c(); });

async function setup(handler: FakeHandler, opts: Partial<HasheousProvidersOptions> = {}) {
  const server = await startFakeProvider(handler);
  closing.push(server.close);
  const waits: number[] = [];
  const providers = hasheousProviders({
    enabled: true, url: `${server.url}/api/v1`, clientApiKey: 'client-key', timeoutMs: 500, cache: null,
    igdbConfigured: false, raConfigured: false, sleep: (ms) => { waits.push(ms); return Promise.resolve(); }, ...opts,
  });
  for (const p of providers) await p.prepare?.({ add: () => undefined });
  const by = (id: SourceId): MetadataProvider => {
    const p = providers.find((x) => x.id === id);
    if (!p) throw new Error(`no ${id} provider`);
    return p;
  };
  /** Every provider's answer for one ROM, as the pass asks them: one after the other. */
  const lookupAll = async (r: MetadataRom, platform = n64): Promise<Partial<Record<SourceId, ProviderMatch | null>>> => {
    const out: Partial<Record<SourceId, ProviderMatch | null>> = {};
    for (const p of providers) {
      const session = await p.open(platform, { add: () => undefined });
      out[p.id] = session ? await session.lookup(r) : null;
    }
    return out;
  };
  const lookup = async (id: SourceId, r: MetadataRom, platform = n64) => {
    const session = await by(id).open(platform, { add: () => undefined });
    if (!session) throw new Error('no session');
    return session.lookup(r);
  };
  return { server, providers, by, lookupAll, lookup, waits };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const apiCalls = (requests: FakeRequest[]) => requests.map((r) => `${r.method} ${new URL(r.url, 'http://x').pathname}`);

describe('Hasheous provider', () => {
  it('matches by hash and answers for hasheous, igdb, ra and tgdb from one lookup', async () => {
    const { server, lookupAll } = await setup(hasheous());
    const answers = await lookupAll(rom('Paper Mario (USA).z64', { ...PAPER_MARIO, md5: PAPER_MARIO.md5.toUpperCase() }));

    // One ByHash and one proxy call serve all four providers.
    expect(apiCalls(server.requests)).toEqual(['POST /api/v1/Lookup/ByHash', 'GET /api/v1/MetadataProxy/IGDB/Game']);
    const [byHash, proxy] = server.requests;
    expect(new URL(byHash?.url ?? '', 'http://x').searchParams.get('returnFields')).toBe('Signatures, Metadata, Attributes');
    expect(new URL(byHash?.url ?? '', 'http://x').searchParams.get('returnAllSources')).toBe('true');
    expect(JSON.parse(byHash?.body ?? '')).toEqual([{ mD5: PAPER_MARIO.md5, shA1: PAPER_MARIO.sha1, crc: PAPER_MARIO.crc }]);
    expect(byHash?.headers['content-type']).toBe('application/json-patch+json');
    expect(proxy?.headers['x-client-api-key']).toBe('client-key');
    expect(new URL(proxy?.url ?? '', 'http://x').searchParams.get('expandColumns')).toContain('involved_companies');

    const cover = 'https://images.igdb.com/igdb/image/upload/t_1080p/co1qda.jpg';
    const shots = [
      'https://images.igdb.com/igdb/image/upload/t_720p/a5r3k2lf3lgvifrycqeg.jpg',
      'https://images.igdb.com/igdb/image/upload/t_720p/jz66se3deczeta6hd4ys.jpg',
    ];
    expect(answers.hasheous).toEqual({
      source: 'hasheous', id: 4872, name: 'Paper Mario', summary: expect.stringMatching(/^Paper Mario, a turn-based/) as unknown,
      metadata: {
        tosec_match: false, mame_arcade_match: false, mame_mess_match: false, nointro_match: true, redump_match: false,
        mame_redump_match: false, whdload_match: false, ra_match: false, fbneo_match: false, puredos_match: false,
      },
      urls: { cover, screenshots: shots },
      media: { cover: { url: cover }, screenshots: shots.map((url) => ({ url })) },
    });
    expect(answers.igdb).toMatchObject({ source: 'igdb', id: 3340, name: 'Paper Mario', urls: { cover, screenshots: shots }, media: { cover: { url: cover } } });
    expect(answers.igdb?.metadata).toEqual({
      youtube_video_id: 'N6k5mCj5WmQ', total_rating: '88.52', aggregated_rating: '90.0', first_release_date: 965952000,
      genres: ['Role-playing (RPG)', 'Adventure'], franchises: ['Mario'], alternative_names: ['Mario Story', 'Super Mario RPG 2'],
      collections: ['Super Mario', 'Paper Mario'], game_modes: ['Single player'],
      // The company left unexpanded (a bare id) names nobody.
      companies: ['Intelligent Systems', 'Nintendo'],
      platforms: [{ igdb_id: 4, name: 'Nintendo 64' }, { igdb_id: 5, name: 'Wii' }],
      age_ratings: [
        { rating: '3', category: 'PEGI', rating_cover_url: 'https://www.igdb.com/icons/rating_icons/pegi/pegi_3.png' },
        { rating: 'E', category: 'ESRB', rating_cover_url: 'https://www.igdb.com/icons/rating_icons/esrb/esrb_e.png' },
        { rating: 'A', category: 'CERO', rating_cover_url: 'https://www.igdb.com/icons/rating_icons/cero/cero_a.png' },
      ],
      expansions: [], dlcs: [], ports: [], remakes: [], remasters: [], similar_games: [], expanded_games: [], multiplayer_modes: [],
      player_count: '1',
    });
    // Unmapped in Hasheous: no answer.
    expect(answers.ra).toBeNull();
    expect(answers.tgdb).toBeNull();
  });

  it('reads RetroAchievements and TheGamesDB ids, ignores IGDB slugs and logo links off the Hasheous host', async () => {
    const { server, lookupAll } = await setup(hasheous());
    const answers = await lookupAll(rom('Crash Bandicoot (USA).chd', CRASH), psx);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual([{ mD5: CRASH.md5, crc: CRASH.crc }]);
    expect(answers.hasheous).toMatchObject({ id: 21877, name: 'Crash Bandicoot', metadata: { redump_match: true, ra_match: true, nointro_match: false }, media: {} });
    expect(answers.hasheous?.urls).toBeUndefined();
    expect(answers.ra).toEqual({ source: 'ra', id: 11240, media: {} });
    expect(answers.tgdb).toEqual({ source: 'tgdb', id: 2465, media: {} });
    // An IGDB slug is no id: no IGDB answer, no proxy call.
    expect(answers.igdb).toBeNull();
    expect(apiCalls(server.requests)).toEqual(['POST /api/v1/Lookup/ByHash']);
  });

  it('without a client key: no proxy call, the IGDB id alone, and the Hasheous logo as cover', async () => {
    const { server, lookupAll } = await setup(hasheous(), { clientApiKey: null });
    const answers = await lookupAll(rom('Paper Mario (USA).z64', PAPER_MARIO));
    expect(apiCalls(server.requests)).toEqual(['POST /api/v1/Lookup/ByHash']);
    expect(server.requests[0]?.headers['x-client-api-key']).toBeUndefined();
    expect(answers.igdb).toEqual({ source: 'igdb', id: 3340, media: {} });
    const logo = `${server.url}/api/v1/images/10436E2F69C4C5325F5805B3C8F80CBA13D8492C`;
    expect(answers.hasheous).toMatchObject({ name: 'Paper Mario', urls: { cover: logo }, media: { cover: { url: logo } } });
    expect(answers.hasheous?.summary).toBeUndefined();
  });

  it('answers null for unknown hashes, ROMs without hashes and platforms Hasheous does not know', async () => {
    const { server, lookup, by } = await setup(hasheous());
    expect(await lookup('hasheous', rom('Homebrew (World).z64', { md5: 'ffffffffffffffffffffffffffffffff', sha1: null, crc: null }))).toBeNull();
    expect(await lookup('igdb', rom('Homebrew (World).z64', { md5: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', sha1: null, crc: null }))).toBeNull();
    // An empty object is how RomM's client sees a miss too.
    const empty = await setup(hasheous({ byHash: () => ({ body: {} }) }));
    expect(await empty.lookup('hasheous', rom('Any (USA).z64', PAPER_MARIO))).toBeNull();
    expect(server.requests).toHaveLength(2);
    // Malformed hashes are not sent; nothing left means no request at all.
    expect(await lookup('hasheous', rom('Bad (USA).z64', { md5: 'not-a-hash', sha1: '', crc: 'zz' }))).toBeNull();
    expect(server.requests).toHaveLength(2);
    const unknown: MetadataPlatform = { ...n64, slug: 'my-own-console', fsSlug: 'mine' };
    expect(await by('hasheous').fingerprint(unknown)).toBeNull();
    expect(await by('hasheous').open(unknown, { add: () => undefined })).toBeNull();
    expect(await by('hasheous').fingerprint(n64)).toBe('online:hasheous:v1');
  });

  it('turns 401 into an auth error, after which the pass fails at once', async () => {
    const { server, lookup } = await setup(hasheous({ byHash: () => ({ status: 401, body: { title: 'Unauthorized' } }) }));
    expect((await failure(lookup('hasheous', rom('Paper Mario (USA).z64', PAPER_MARIO)))).kind).toBe('auth');
    expect((await failure(lookup('igdb', rom('Other (USA).z64', CRASH)))).kind).toBe('unavailable');
    expect(server.requests).toHaveLength(1);
  });

  it('backs off on 429 as Retry-After says, then answers', async () => {
    let calls = 0;
    const { waits, lookup } = await setup(hasheous({
      byHash: () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { body: fixture('by-hash-paper-mario.json') }),
    }), { clientApiKey: null });
    expect(await lookup('hasheous', rom('Paper Mario (USA).z64', PAPER_MARIO))).toMatchObject({ id: 4872 });
    expect(waits).toEqual([1000]);
    expect(calls).toBe(2);
  });

  it('fails as unavailable on a timeout and shares the failure with the companions', async () => {
    const { server, providers } = await setup(hasheous({ byHash: () => ({ body: {}, delayMs: 3000 }) }), { timeoutMs: 150 });
    const r = rom('Paper Mario (USA).z64', PAPER_MARIO);
    const errors: string[] = [];
    for (const p of providers) {
      const session = await p.open(n64, { add: () => undefined });
      await session?.lookup(r).catch((e: ProviderError) => errors.push(`${p.id}:${e.kind}`));
    }
    expect(errors).toEqual(['hasheous:unavailable', 'igdb:unavailable', 'ra:unavailable', 'tgdb:unavailable']);
    expect(server.requests).toHaveLength(1);
  });

  it('reports malformed JSON as malformed', async () => {
    const { lookup } = await setup(hasheous({ byHash: () => ({ raw: '<html>Bad gateway</html>' }) }));
    expect((await failure(lookup('hasheous', rom('Paper Mario (USA).z64', PAPER_MARIO)))).kind).toBe('malformed');
    const badProxy = await setup(hasheous({ igdb: () => ({ raw: '{"id": 3340, "name": ' }) }));
    expect((await failure(badProxy.lookup('igdb', rom('Paper Mario (USA).z64', PAPER_MARIO)))).kind).toBe('malformed');
  });

  it('hands image URLs to the media store, which refuses a private address', async () => {
    const game = fixture('igdb-game-paper-mario.json') as Record<string, unknown>;
    const { server, lookup } = await setup(hasheous({
      igdb: () => ({ body: { ...game, cover: { url: '//127.0.0.1:9/t_thumb/cover.jpg' }, screenshots: [{ url: 'http://10.0.0.8/shot.png' }, { url: 'javascript:alert(1)' }, 42] } }),
    }));
    const match = await lookup('igdb', rom('Paper Mario (USA).z64', PAPER_MARIO));
    expect(match?.media).toEqual({ cover: { url: 'https://127.0.0.1:9/t_1080p/cover.jpg' }, screenshots: [{ url: 'http://10.0.0.8/shot.png' }] });
    expect(match?.urls).toEqual({ cover: 'https://127.0.0.1:9/t_1080p/cover.jpg', screenshots: ['http://10.0.0.8/shot.png'] });
    // The provider fetched no image itself.
    expect(apiCalls(server.requests)).toEqual(['POST /api/v1/Lookup/ByHash', 'GET /api/v1/MetadataProxy/IGDB/Game']);
    const store = new MediaStore({ resourcesRoot: mkdtempSync(path.join(os.tmpdir(), 'hasheous-media-')) });
    const refused = await store.storeCover({ platformId: 1, id: 1 }, match?.media.cover ?? { url: '' }).then(() => null, (e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'media-failed' });
  });

  it('offers IGDB and RetroAchievements companions only when those sources have no provider of their own', async () => {
    const ids = async (opts: Partial<HasheousProvidersOptions>) => (await setup(hasheous(), opts)).providers.map((p) => p.id);
    expect(await ids({})).toEqual(['hasheous', 'igdb', 'ra', 'tgdb']);
    expect(await ids({ igdbConfigured: true })).toEqual(['hasheous', 'ra', 'tgdb']);
    expect(await ids({ raConfigured: true })).toEqual(['hasheous', 'igdb', 'tgdb']);
    const { providers } = await setup(hasheous(), { enabled: false });
    for (const p of providers) expect(await p.available()).toBe(false);
    expect(providers.find((p) => p.id === 'igdb')).toMatchObject({ runsWith: 'hasheous', online: true });
    expect(providers.find((p) => p.id === 'hasheous')).toMatchObject({ heartbeatFlag: 'HASHEOUS_API_ENABLED', online: true });
    expect(providers.find((p) => p.id === 'igdb')?.heartbeatFlag).toBeUndefined();
  });

  it('health() is RomM heartbeat request, uncached, false when Hasheous is down', async () => {
    const { server, by } = await setup(hasheous());
    expect(await by('hasheous').health?.()).toBe(true);
    expect(await by('hasheous').health?.()).toBe(true);
    expect(apiCalls(server.requests)).toEqual(['GET /api/v1/HealthCheck', 'GET /api/v1/HealthCheck']);
    // The companion names a service that is not the one answering.
    expect(await by('igdb').health?.()).toBe(false);
    const down = await setup(() => ({ status: 503 }), { clientApiKey: null });
    expect(await down.by('hasheous').health?.()).toBe(false);
  });
});
