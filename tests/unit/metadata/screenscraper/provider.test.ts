import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataCacheRepository } from '../../../../src/db/repositories/metadata-cache-repository.ts';
import { MediaError, MediaStore } from '../../../../src/metadata/media-store.ts';
import { ProviderError } from '../../../../src/metadata/online/provider-http.ts';
import { decodeAnswer } from '../../../../src/metadata/screenscraper/client.ts';
import { bestMatch, ssSearchTerm } from '../../../../src/metadata/screenscraper/matching.ts';
import { ScreenScraperProvider } from '../../../../src/metadata/screenscraper/provider.ts';
import type { MetadataPlatform, MetadataRom, ProviderMatch } from '../../../../src/metadata/types.ts';
import { startFakeProvider, type FakeHandler, type FakeRequest } from '../../../helpers/fake-provider-server.ts';
import { MemoryCache } from '../../../helpers/memory-cache.ts';

const fixture = (name: string): string => readFileSync(path.join(__dirname, '../../../fixtures/metadata/screenscraper', name), 'utf8');
const SONIC = fixture('jeuInfos-sonic.json');
const MARIO = fixture('jeuRecherche-mario.json');
const USER = fixture('ssuserInfos.json');
const PASSWORD = 'hunter2pw';

let close: (() => Promise<void>) | null = null;
afterEach(async () => { await close?.(); close = null; });

async function server(handler: FakeHandler) {
  const s = await startFakeProvider(handler);
  close = s.close;
  return s;
}

const endpoint = (r: FakeRequest): string => new URL(r.url, 'http://x').pathname.replace(/^\/api2\//, '');
const param = (r: FakeRequest, k: string): string | null => new URL(r.url, 'http://x').searchParams.get(k);

function provider(url: string, extra: { password?: string; cache?: MemoryCache; timeoutMs?: number; waits?: number[] } = {}) {
  return new ScreenScraperProvider({
    config: { user: 'alice', password: extra.password ?? PASSWORD, devId: 'romshelfdev', devPassword: 'devsecret', url: `${url}/api2` },
    cache: (extra.cache ?? null) as unknown as MetadataCacheRepository | null,
    timeoutMs: extra.timeoutMs ?? 2000,
    sleep: (ms) => { extra.waits?.push(ms); return Promise.resolve(); },
  });
}

const megadrive: MetadataPlatform = { id: 1, slug: 'genesis', fsSlug: 'megadrive', name: 'Mega Drive', romsDir: '/lib/megadrive' };
const snes: MetadataPlatform = { id: 2, slug: 'snes', fsSlug: 'snes', name: 'SNES', romsDir: '/lib/snes' };

const rom = (fsName: string, extra: Partial<MetadataRom> = {}): MetadataRom => {
  const noExt = fsName.replace(/\.[^.]+$/, '');
  return {
    id: 7, platformId: 1, fsName, fsNameNoExt: noExt, fsNameNoTags: noExt.replace(/\s*\(.*$/, ''), regions: ['USA'],
    crc: 'f9394e97', md5: '1bc674be034e43c96b86487ac69d9293', sha1: null, ids: {}, ...extra,
  };
};

async function lookup(p: ScreenScraperProvider, r: MetadataRom, platform = megadrive): Promise<ProviderMatch | null> {
  const session = await p.open(platform);
  if (!session) throw new Error('no session');
  return session.lookup(r);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const sonicHandler: FakeHandler = (r) => {
  switch (endpoint(r)) {
    case 'ssuserInfos.php': return { raw: USER };
    case 'jeuInfos.php': return param(r, 'md5') || param(r, 'gameid') === '2' ? { raw: SONIC } : { status: 404, raw: 'Erreur : Jeu non trouvée !  ' };
    case 'jeuRecherche.php': return { raw: MARIO };
    default: return null;
  }
};

describe('ScreenScraperProvider', () => {
  it('is available only with a user and a password, and reports the heartbeat flag', async () => {
    const off = new ScreenScraperProvider({ config: { user: 'alice', password: null, devId: null, devPassword: null, url: 'http://127.0.0.1:9' } });
    expect(await off.available()).toBe(false);
    expect(await off.health()).toBe(false);
    expect(await off.open(megadrive)).toBeNull();
    expect(off.heartbeatFlag).toBe('SS_API_ENABLED');
    const s = await server(sonicHandler);
    expect(await provider(s.url).available()).toBe(true);
    expect(await provider(s.url).open({ ...megadrive, slug: 'no-such-platform' })).toBeNull();
  });

  it('identifies a ROM by its hashes, with RomM\'s blob, region-chosen media and no credential stored', async () => {
    const s = await server(sonicHandler);
    const cache = new MemoryCache();
    const p = provider(s.url, { cache });
    await p.prepare();
    const m = await lookup(p, rom('Sonic The Hedgehog (USA, Europe).md', { regions: ['USA', 'Europe'] }));
    const info = s.requests.find((r) => endpoint(r) === 'jeuInfos.php');
    expect(info && Object.fromEntries(new URL(info.url, 'http://x').searchParams)).toMatchObject({
      md5: '1bc674be034e43c96b86487ac69d9293', crc: 'f9394e97', systemeid: '1', romtype: 'rom', romnom: 'Sonic The Hedgehog (USA, Europe).md',
      ssid: 'alice', sspassword: PASSWORD, devid: 'romshelfdev', output: 'json',
    });
    expect(m).toMatchObject({
      source: 'ss', id: 2, name: 'Sonic & the Hedgehog: Genesis',
      summary: 'Dr. Robotnik has captured the animals & turned them into robots.',
    });
    expect(m?.metadata).toMatchObject({
      ss_score: '7.5', alternative_names: ['Sonic The Hedgehog', 'Sonic the Hedgehog (JP)', 'Sonic &amp; the Hedgehog : Genesis'],
      age_ratings: [{ rating: '3', category: 'PEGI' }], companies: ['SEGA', 'Sonic Team'], genres: ['Platform'],
      first_release_date: Date.UTC(1991, 5, 23) / 1000, franchises: ['Sonic'], game_modes: ['Single-player'], player_count: '1',
      logo_url: null, physical_url: null, title_screen_path: null, video_path: null,
    });
    // The ROM's own region (USA) picks the box front; the stored URL carries no credential at all.
    expect(m?.metadata?.box2d_url).toBe('https://neoclone.screenscraper.fr/api2/mediaJeu.php?softname=romshelf&systemeid=1&jeuid=2&media=box-2D%28us%29');
    expect(m?.urls?.cover).toBe(m?.metadata?.box2d_url);
    const cover = m?.media.cover as { url: string };
    expect(cover.url).toContain('media=box-2D%28us%29');
    expect(cover.url).toContain('devid=romshelfdev');
    expect(cover.url).not.toContain('sspassword');
    expect(m?.media.screenshots).toEqual([{ url: expect.stringContaining('media=ss%28wor%29') as string }]);
    expect(m?.media.manual).toEqual({ url: expect.stringContaining('mediaManuelJeu.php') as string });
    expect(Object.keys(m?.media.extras ?? {}).sort()).toEqual(['fanart', 'title_screen', 'video']);
    expect(JSON.stringify(m)).not.toContain(PASSWORD);

    // Nothing cached holds the password, in the keys or in the bodies.
    expect(cache.rows.size).toBeGreaterThan(0);
    for (const [k, v] of cache.rows) {
      expect(k).not.toContain(PASSWORD);
      expect(v.body).not.toContain(PASSWORD);
      expect(v.body).not.toContain('commandRequested');
    }
    // A second pass, even with a changed password, answers from the cache: the key never held it.
    const calls = s.requests.length;
    const again = provider(s.url, { cache, password: 'changed-pw' });
    expect((await lookup(again, rom('Sonic The Hedgehog (USA, Europe).md', { regions: ['USA', 'Europe'] })))?.id).toBe(2);
    expect(s.requests.length).toBe(calls);
  });

  it('reads the account thread allowance once per pass and never runs more calls at once', async () => {
    let inFlight = 0;
    let peak = 0;
    let userCalls = 0;
    let threads = '2';
    const s = await server((r) => {
      if (endpoint(r) === 'ssuserInfos.php') {
        userCalls++;
        return threads === 'down' ? { status: 500 } : { raw: USER.replace('"maxthreads": "2"', `"maxthreads": "${threads}"`) };
      }
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => { inFlight--; }, 60);
      return { status: 404, raw: 'Erreur : Jeu non trouvée !', delayMs: 60 };
    });
    const p = provider(s.url);
    const run = async () => {
      peak = 0;
      const session = await p.open(megadrive);
      if (!session) throw new Error('no session');
      await Promise.all(Array.from({ length: 6 }, (_, i) => session.lookup(rom(`Game ${i}.md`, { md5: `${i}`.padStart(32, '0') }))));
    };
    await p.prepare();
    expect(p.client?.limits.maxThreads).toBe(2);
    await run();
    expect(peak).toBe(2);
    expect(userCalls).toBe(1);

    // Without an answer (a 500, retried), the pass runs on one thread; lookups never ask for the account again.
    threads = 'down';
    await p.prepare();
    const afterPrepare = userCalls;
    expect(p.client?.limits.maxThreads).toBe(1);
    await run();
    expect(peak).toBe(1);
    expect(userCalls).toBe(afterPrepare);
  });

  it('answers null when ScreenScraper does not know the ROM, plain-text 400 and 404 alike, without opening the breaker', async () => {
    const s = await server((r) => {
      if (endpoint(r) === 'jeuInfos.php') return param(r, 'md5')?.startsWith('0') ? { status: 400, raw: 'Champ crc, md5 ou sha1 erron\u00e9  ' } : { status: 404, raw: 'Erreur : Rom/Iso/Dossier non trouv\u00e9e !  ' };
      if (endpoint(r) === 'jeuRecherche.php') return { body: { response: { jeux: [{}] } } };
      return null;
    });
    const p = provider(s.url);
    for (let i = 0; i < 5; i++) expect(await lookup(p, rom(`Nothing ${i} (USA).md`, { md5: `${i % 2}`.padStart(32, '0') }))).toBeNull();
    expect(p.client?.transport.unavailable).toBeNull();
  });

  it('stops for the pass on refused credentials, even when the refusal comes with a 200', async () => {
    const s = await server(() => ({ raw: 'Erreur de login : V\u00e9rifier vos identifiants d\u00e9veloppeur ! sspassword=hunter2pw' }));
    const p = provider(s.url);
    const err = await failure(lookup(p, rom('Sonic (USA).md')));
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain(PASSWORD);
    const calls = s.requests.length;
    expect((await failure(lookup(p, rom('Other (USA).md')))).kind).toBe('unavailable');
    expect(s.requests.length).toBe(calls);
  });

  it('treats 401 as refused, retries 429 with backoff, costs one timeout, reports malformed JSON', async () => {
    const s401 = await server(() => ({ status: 401, raw: 'API closed for non-members' }));
    expect((await failure(lookup(provider(s401.url), rom('A (USA).md')))).kind).toBe('auth');
    await close?.();

    let n = 0;
    const waits: number[] = [];
    const s429 = await server((r) => (endpoint(r) === 'jeuInfos.php' && ++n === 1 ? { status: 429, headers: { 'retry-after': '2' }, raw: 'too fast' } : sonicHandler(r)));
    expect((await lookup(provider(s429.url, { waits }), rom('Sonic (USA).md')))?.id).toBe(2);
    expect(waits).toEqual([2000]);
    await close?.();

    const slow = await server(() => ({ raw: SONIC, delayMs: 3000 }));
    const p = provider(slow.url, { timeoutMs: 150 });
    expect((await failure(lookup(p, rom('A (USA).md')))).message).toMatch(/timed out/);
    expect((await failure(lookup(p, rom('B (USA).md')))).kind).toBe('unavailable');
    expect(slow.requests).toHaveLength(1);
    await close?.();

    const bad = await server(() => ({ raw: '{"response": {"jeu": ' }));
    expect((await failure(lookup(provider(bad.url), rom('A (USA).md')))).kind).toBe('malformed');
  });

  it('stops for the pass when the daily quota is spent', async () => {
    const s = await server(() => ({ status: 430, raw: 'Votre quota de scrape est dépassé pour aujourd\'hui !' }));
    const p = provider(s.url);
    expect((await failure(lookup(p, rom('A (USA).md')))).kind).toBe('rate-limited');
    const calls = s.requests.length;
    expect((await failure(lookup(p, rom('B (USA).md')))).message).toMatch(/quota/);
    expect(s.requests.length).toBe(calls);
    // The next pass tries again.
    await p.prepare();
    expect(s.requests.length).toBeGreaterThan(calls);
  });

  it('repairs invalid backslash escapes as RomM does', () => {
    const decoded = decodeAnswer('{"header":{"commandRequested":"x?sspassword=p"},"response":{"jeu":{"id":"1","synopsis":[{"langue":"en","text":"C:\\Games \\o/"}]}}}');
    expect(JSON.stringify(decoded)).toContain('C:\\\\Games \\\\o/');
    expect(JSON.stringify(decoded)).not.toContain('sspassword');
  });

  it('falls back to a name search and matches real-world names like RomM', async () => {
    const s = await server((r) => (endpoint(r) === 'jeuRecherche.php' ? { raw: MARIO } : { status: 404, raw: 'Erreur : Jeu non trouvée !' }));
    const p = provider(s.url);
    const m = await lookup(p, rom('Super Mario World (USA).sfc', { md5: null, crc: null }), snes);
    expect(m?.id).toBe(1234);
    expect(param(s.requests.find((r) => endpoint(r) === 'jeuRecherche.php') as FakeRequest, 'recherche')).toBe('super mario world');
    // The cover points at a private address: the provider only passes it on; the media store refuses it.
    expect(m?.media.cover).toEqual({ url: 'http://192.168.1.10/internal/cover.png' });
    expect(s.requests.some((r) => r.url.includes('internal'))).toBe(false);
    const tmp = await mkdtemp(path.join(tmpdir(), 'ss-media-'));
    try {
      const err = await new MediaStore({ resourcesRoot: tmp }).storeCover({ platformId: 2, id: 7 }, m?.media.cover as { url: string }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }

    expect(ssSearchTerm('The Legend of Zelda - A Link to the Past')).toBe('legend of zelda - a link to the past');
    expect(ssSearchTerm('Pokémon: Edición Amarilla')).toBe('pokemon - edicion amarilla');
    const games = JSON.parse(MARIO) as { response: { jeux: never[] } };
    expect(bestMatch('Super Mario World 2 - Yoshis Island', games.response.jeux)?.id).toBe('9001');
    expect(bestMatch('Totally Different Game', games.response.jeux)).toBeNull();
  });

  it('uses a (ssfr-N) tag when the hashes are unknown', async () => {
    const s = await server((r) => (endpoint(r) === 'jeuInfos.php' && param(r, 'gameid') === '2' ? { raw: SONIC } : { status: 404, raw: 'Erreur' }));
    const m = await lookup(provider(s.url), rom('My Sonic Hack (ssfr-2).md', { md5: 'ffffffffffffffffffffffffffffffff' }));
    expect(m?.id).toBe(2);
    expect(s.requests.some((r) => endpoint(r) === 'jeuRecherche.php')).toBe(false);
  });

  it('searches by name (canonical entries only) and by id', async () => {
    const s = await server(sonicHandler);
    const p = provider(s.url);
    const byName = await p.search({ platform: snes, term: 'Super Mario World', by: 'name' });
    expect(byName.map((m) => m.id)).toEqual([9001, 1234]);
    expect(byName[0]?.name).toBe("Super Mario World 2: Yoshi's Island");
    const byId = await p.search({ platform: megadrive, term: '2', by: 'id' });
    expect(byId.map((m) => m.id)).toEqual([2]);
    expect(await p.search({ platform: megadrive, term: 'abc', by: 'id' })).toEqual([]);
  });

  it('checks health with one uncached request', async () => {
    const up = await server((r) => (endpoint(r) === 'ssinfraInfos.php' ? { body: { response: { serveurs: { cpu1: '3' } } } } : null));
    const p = provider(up.url, { cache: new MemoryCache() });
    expect(await p.health()).toBe(true);
    expect(await p.health()).toBe(true);
    expect(up.requests).toHaveLength(2);
    await close?.();
    const down = await server(() => ({ status: 503 }));
    expect(await provider(down.url).health()).toBe(false);
  });
});
