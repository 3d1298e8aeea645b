import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalogue, romContent, type Catalogue } from '../../../bench/lib/fake-providers/catalogue.ts';
import { startFakeHasheous } from '../../../bench/lib/fake-providers/hasheous.ts';
import { startFakeIgdb } from '../../../bench/lib/fake-providers/igdb.ts';
import { startFakeLibretro } from '../../../bench/lib/fake-providers/libretro.ts';
import type { FakeServer } from '../../../bench/lib/fake-providers/server.ts';
import { BENCH_PLATFORMS, type LibraryRom } from '../../../bench/lib/metadata-platforms.ts';
import { hashesOf } from '../../../bench/lib/online-library.ts';

// The plumbing of `npm run bench:metadata-online`: the fakes answer in the real services' shapes, enforce their
// limits with 429 + Retry-After, and count what they see.

const nes = BENCH_PLATFORMS.find((p) => p.slug === 'nes')!;
const psx = BENCH_PLATFORMS.find((p) => p.slug === 'psx')!;
const names: [typeof nes, string, string][] = [
  [nes, 'Super Mario Bros. (World).nes', 'Super Mario Bros.'],
  [nes, 'Legend of Zelda, The (USA).nes', 'Legend of Zelda, The'],
  [nes, 'Legend of Zelda, The (Europe).nes', 'Legend of Zelda, The'],
  [nes, 'Mega Man 2 (USA).nes', 'Mega Man 2'],
  [nes, 'Kid Icarus (USA, Europe).nes', 'Kid Icarus'],
  [psx, 'Final Fantasy VII (USA) (Disc 1).chd', 'Final Fantasy VII'],
  [psx, 'Crash Bandicoot (USA).chd', 'Crash Bandicoot'],
  [psx, 'Tekken 3 (Europe).chd', 'Tekken 3'],
];
const roms: LibraryRom[] = [];
for (let k = 0; k < 5; k++) for (const [platform, fileName, title] of names) roms.push({ platform, fileName: k ? fileName.replace(/\)\./, `) (Rev ${k}).`) : fileName, title });
const catalogue: Catalogue = buildCatalogue(roms, (i) => hashesOf(romContent(roms[i]!, i)));
const fast: [number, number] = [1, 3];

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const track = <T extends FakeServer>(s: T): T => { servers.push(s); return s; };

describe('fake Hasheous', () => {
  it('identifies a ROM by hash, maps it to IGDB, answers 404 for unknown hashes, and counts per endpoint', async () => {
    const server = track(await startFakeHasheous({ catalogue, seed: 1, latencyMs: fast }));
    const known = catalogue.roms.find((r) => r.hasheousIgdb)!;
    const post = (body: unknown) => fetch(`${server.url}/api/v1/Lookup/ByHash?returnAllSources=true&returnFields=Signatures%2C+Metadata%2C+Attributes`, {
      method: 'POST', headers: { 'content-type': 'application/json-patch+json', 'x-client-api-key': 'k' }, body: JSON.stringify(body),
    });
    const res = await post([{ mD5: known.hashes.md5, shA1: known.hashes.sha1, crc: known.hashes.crc }]);
    expect(res.status).toBe(200);
    const body = await res.json() as { id: number; name: string; signatures: Record<string, unknown[]>; metadata: { source: string; immutableId: string }[] };
    expect(body.id).toBe(known.hasheousId);
    expect(Object.keys(body.signatures)).toContain(known.slug === 'psx' ? 'Redump' : 'NoIntros');
    expect(body.metadata.find((m) => m.source === 'IGDB')?.immutableId).toBe(String(known.igdbId));

    expect((await post([{ mD5: '0'.repeat(32), shA1: '0'.repeat(40), crc: '00000000' }])).status).toBe(404);

    const proxy = await fetch(`${server.url}/api/v1/MetadataProxy/IGDB/Game?Id=${known.igdbId}&expandColumns=genres`);
    const game = await proxy.json() as { id: number; genres: Record<string, { name: string }>; first_release_date: string };
    expect(game.id).toBe(known.igdbId);
    expect(Object.values(game.genres)[0]?.name).toBeTruthy();
    expect(game.first_release_date).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\+00:00$|^\d{4}-\d\d-\d\dT[\d:]+\+00:00$/);

    const stats = server.stats();
    expect(stats.by_endpoint).toEqual({ 'POST Lookup/ByHash': 2, 'GET MetadataProxy/IGDB/Game': 1 });
    expect(stats.by_status).toEqual({ 200: 2, 404: 1 });
    expect(server.withoutClientKey()).toBe(1);
  });

  it('enforces its fixed window with 429 and Retry-After, and counts each 429', async () => {
    const server = track(await startFakeHasheous({ catalogue, seed: 1, latencyMs: fast, limit: 5, windowMs: 2000 }));
    const answers = await Promise.all(Array.from({ length: 7 }, () => fetch(`${server.url}/api/v1/HealthCheck`)));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited[0]!.text()).toContain('Too many requests');
    expect(server.stats().rate_limited_429).toBe(2);
    expect(server.stats().requests).toBe(7);
  });
});

describe('fake IGDB', () => {
  const token = async (url: string) => (await (await fetch(`${url}/oauth2/token?client_id=x&client_secret=y&grant_type=client_credentials`, { method: 'POST' })).json() as { access_token: string; expires_in: number; token_type: string });

  it('wants a Twitch token, then answers Apicalypse searches and id lookups trimmed to the fields asked', async () => {
    const server = track(await startFakeIgdb({ catalogue, seed: 2, latencyMs: fast, perSecond: 100 }));
    const games = (body: string, auth?: string) => fetch(`${server.url}/v4/games`, {
      method: 'POST', body, headers: auth ? { 'client-id': 'x', authorization: `Bearer ${auth}` } : {},
    });
    expect((await games('fields id; limit 1;')).status).toBe(401);
    const t = await token(server.url);
    expect(t.token_type).toBe('bearer');
    expect(t.expires_in).toBeGreaterThan(0);

    const search = await games('search "legend of zelda"; fields id,name,cover.url,genres.name,platforms.id; where platforms=[18] & game_type=(0,8,9,10,11); limit 200;', t.access_token);
    expect(search.status).toBe(200);
    const found = await search.json() as { id: number; name: string; cover: { id: number; url: string }; genres: { name: string }[]; platforms: { id: number }[] }[];
    expect(found.map((g) => g.name)).toContain('Legend of Zelda, The');
    const zelda = found.find((g) => g.name === 'Legend of Zelda, The')!;
    expect(zelda.cover.url).toMatch(/^\/\/127\.0\.0\.1:\d+\/igdb\/image\/upload\/t_thumb\/co\w+\.jpg$/);
    expect(zelda.platforms).toEqual([{ id: 18 }]);
    expect(Object.keys(zelda).sort()).toEqual(['cover', 'genres', 'id', 'name', 'platforms']);

    // Not on that platform: nothing.
    expect(await (await games('search "legend of zelda"; fields id; where platforms=[7];', t.access_token)).json()).toEqual([]);
    const byId = await (await games(`fields name,cover; where id=${zelda.id};`, t.access_token)).json() as { id: number; cover: number }[];
    expect(byId).toEqual([{ id: zelda.id, name: 'Legend of Zelda, The', cover: zelda.cover.id }]);

    const alt = await (await fetch(`${server.url}/v4/search`, {
      method: 'POST', headers: { 'client-id': 'x', authorization: `Bearer ${t.access_token}` },
      body: 'fields game.id,name; where game.platforms=[18] & (name ~ *"mega man"* | alternative_name ~ *"mega man"*); limit 200;',
    })).json() as { name: string; game: { id: number } }[];
    expect(alt.map((r) => r.name)).toEqual(['Mega Man 2']);
    expect(typeof alt[0]!.game.id).toBe('number');

    expect(server.stats().by_endpoint).toMatchObject({ 'POST /oauth2/token': 1, 'POST /v4/games': 4, 'POST /v4/search': 1 });
    expect(server.tokensIssued()).toBe(1);
  });

  it('answers 429 past 4 requests per second and past 8 open requests; the token endpoint is outside the limit', async () => {
    const server = track(await startFakeIgdb({ catalogue, seed: 2, latencyMs: fast }));
    const t = await token(server.url);
    const call = () => fetch(`${server.url}/v4/games`, { method: 'POST', body: 'fields id; limit 1;', headers: { 'client-id': 'x', authorization: `Bearer ${t.access_token}` } });
    const burst = await Promise.all(Array.from({ length: 6 }, call));
    expect(burst.filter((r) => r.status === 429)).toHaveLength(2);
    expect(burst.find((r) => r.status === 429)!.headers.get('retry-after')).toBe('1');
    expect(server.stats().rate_limited_429).toBe(2);

    const open = track(await startFakeIgdb({ catalogue, seed: 3, latencyMs: [300, 300], perSecond: 1000, openRequests: 8 }));
    const t2 = await token(open.url);
    const many = await Promise.all(Array.from({ length: 10 }, () => fetch(`${open.url}/v4/games`, { method: 'POST', body: 'fields id;', headers: { 'client-id': 'x', authorization: `Bearer ${t2.access_token}` } })));
    expect(many.filter((r) => r.status === 429)).toHaveLength(2);
    expect(open.stats().max_open).toBe(10);
  });
});

describe('fake libretro thumbnails', () => {
  it('serves Apache listings RomM parses, PNGs for listed names, 404 otherwise', async () => {
    const server = track(await startFakeLibretro({ catalogue, seed: 3, latencyMs: fast, perSecond: 1000 }));
    const system = 'Nintendo - Nintendo Entertainment System';
    const listed = catalogue.libretro.get(system)!.get('Named_Boxarts')!;
    const res = await fetch(`${server.url}/${encodeURIComponent(system)}/Named_Boxarts/?F=2`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // RomM keeps the href of every <a> that is not a sort, parent or query link, percent-decoded.
    const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!).filter((h) => !/^[?/#]/.test(h)).map((h) => decodeURIComponent(h.replace(/&amp;/g, '&')));
    expect(hrefs).toEqual(listed);

    const png = await fetch(`${server.url}/${encodeURIComponent(system)}/Named_Boxarts/${encodeURIComponent(listed[0]!)}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await fetch(`${server.url}/${encodeURIComponent(system)}/Named_Boxarts/Nope%20(USA).png`)).status).toBe(404);
    expect((await fetch(`${server.url}/No%20Such%20System/Named_Boxarts/`)).status).toBe(404);
    expect((await fetch(`${server.url}/${encodeURIComponent(system)}/Named_Boxarts`, { redirect: 'manual' })).status).toBe(301);
    expect(server.stats().by_endpoint).toEqual({ listing: 3, image: 2 });
  });

  it('limits requests per second with 429', async () => {
    const server = track(await startFakeLibretro({ catalogue, seed: 3, latencyMs: fast, perSecond: 3 }));
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(`${server.url}/`)));
    expect(answers.filter((r) => r.status === 429)).toHaveLength(2);
    expect(server.stats()).toMatchObject({ requests: 5, rate_limited_429: 2 });
  });
});
