import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { FakeSearchProvider } from '../helpers/fake-metadata-provider.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

type Entry = Record<string, unknown> & { name: string };

describeEachEngine('GET /api/search/roms', (ctx) => {
  let t: TestApp;
  let bare: TestApp;
  let viewer: TestUser;
  let romId: number;
  let snes: number;
  const igdb = new FakeSearchProvider('igdb', [
    { id: 1070, name: 'Super Mario World', summary: 'From IGDB.', cover: 'https://images.igdb.com/igdb/image/upload/t_cover_big/co8lo8.jpg' },
    { id: 1071, name: "Super Mario World 2: Yoshi's Island", cover: 'https://images.igdb.com/igdb/image/upload/t_cover_big/co2kn9.jpg' },
  ]);
  const ss = new FakeSearchProvider('ss', [
    { id: 5121, name: 'Super Mario World', summary: 'From ScreenScraper.', cover: 'https://neoclone.screenscraper.fr/api2/mediaJeu.php?jeuid=5121' },
    { id: 5130, name: 'Super Mario World - Super Mario Bros. 4', cover: 'https://neoclone.screenscraper.fr/api2/mediaJeu.php?jeuid=5130' },
  ]);
  const sgdb = new FakeSearchProvider('sgdb', [{ id: 5252, name: 'Super Mario World', cover: 'https://cdn2.steamgriddb.com/grid/abc.png' }]);
  const moby = new FakeSearchProvider('moby', [{ id: 1, name: 'Super Mario World' }], { available: false });
  const down = new FakeSearchProvider('launchbox', [], { failSearch: true });
  const q = (query: string, user: TestUser | null = viewer, app: TestApp = t) =>
    app.app.inject({ url: `/api/search/roms?${query}`, headers: user ? { authorization: user.basic } : {} });

  beforeAll(async () => {
    t = await createTestApp(ctx(), {}, {}, { extraMetadataProviders: [igdb, ss, sgdb, moby, down] });
    viewer = await createUser(t.services, 'viewer');
    snes = await createPlatform(ctx().db.kysely, 'snes', { name: 'Super Nintendo Entertainment System' });
    romId = await createRom(ctx().db.kysely, { platformId: snes, fsPath: 'roms/snes', fsName: 'Super Mario World (USA).sfc', regions: ['USA'] });
    bare = await createTestApp(ctx());
  });
  afterAll(async () => {
    await t.app.close();
    await bare.app.close();
  });

  it('groups candidates by name across providers in priority order, with each source id and cover', async () => {
    const res = await q(`rom_id=${romId}`);
    expect(res.statusCode).toBe(200);
    const list = res.json<Entry[]>();
    // The default term is the file name without tags; IGDB outranks ScreenScraper in scan.priority.metadata.
    expect(igdb.searches.at(-1)).toMatchObject({ term: 'Super Mario World', by: 'name', platform: { id: snes, slug: 'snes', fsSlug: 'snes' } });
    expect(list.map((e) => e.name)).toEqual(['Super Mario World', "Super Mario World 2: Yoshi's Island", 'Super Mario World - Super Mario Bros. 4']);
    expect(list[0]).toEqual({
      igdb_id: 1070, ss_id: 5121, sgdb_id: 5252, name: 'Super Mario World', summary: 'From IGDB.', slug: '', platform_id: snes,
      igdb_url_cover: 'https://images.igdb.com/igdb/image/upload/t_cover_big/co8lo8.jpg',
      ss_url_cover: 'https://neoclone.screenscraper.fr/api2/mediaJeu.php?jeuid=5121',
      sgdb_url_cover: 'https://cdn2.steamgriddb.com/grid/abc.png',
      is_identified: true, is_unidentified: false,
    });
    expect(list[1]).toMatchObject({ igdb_id: 1071, platform_id: snes, is_identified: true });
    expect(list[1]).not.toHaveProperty('ss_id');
    expect(list[2]).toMatchObject({ ss_id: 5130, ss_url_cover: expect.stringContaining('jeuid=5130') });
    // An unconfigured provider is not asked; one that fails is left out without failing the search.
    expect(moby.searches).toHaveLength(0);
    expect(down.searches.length).toBeGreaterThan(0);
  });

  it('searches a given term, by id too, and case-insensitively as RomM lowers search_by', async () => {
    const yoshi = (await q(`rom_id=${romId}&search_term=${encodeURIComponent('yoshi')}`)).json<Entry[]>();
    expect(yoshi.map((e) => e.igdb_id)).toEqual([1071]);
    const byId = await q(`rom_id=${romId}&search_term=5130&search_by=ID`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json<Entry[]>().map((e) => [e.name, e.ss_id ?? null, e.igdb_id ?? null])).toEqual([['Super Mario World - Super Mario Bros. 4', 5130, null]]);
    expect(ss.searches.at(-1)).toMatchObject({ term: '5130', by: 'id' });
    const notAnId = await q(`rom_id=${romId}&search_term=mario&search_by=id`);
    expect(notAnId.statusCode).toBe(500);
    expect(notAnId.json()).toEqual({ detail: "Tried searching by ID, but 'mario' is not a valid ID" });
    expect((await q(`rom_id=${romId}&search_term=zzz`)).json()).toEqual([]);
  });

  it('answers an empty list for an unknown ROM and 500 when no provider can search, as RomM', async () => {
    expect((await q('rom_id=987654')).json()).toEqual([]);
    const none = await q(`rom_id=${romId}`, await createUser(bare.services, 'viewer'), bare);
    expect(none.statusCode).toBe(500);
    expect(none.json()).toEqual({ detail: 'No metadata providers enabled' });
  });

  it('validates its parameters and needs roms.read', async () => {
    const missing = await q('search_term=mario');
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toEqual({ detail: [{ type: 'missing', loc: ['query', 'rom_id'], msg: 'Field required' }] });
    expect((await q('rom_id=abc')).statusCode).toBe(422);
    expect((await q(`rom_id=${romId}&search_term=${'x'.repeat(401)}`)).statusCode).toBe(422);
    expect((await q(`rom_id=${romId}`, null)).statusCode).toBe(401);
  });
});
