import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { seedRomLibrary, HEX32, HEX40, type SeededLibrary } from '../helpers/rom-fixtures.ts';
import { encodeVirtualCollectionId } from '../../src/domain/collections/virtual-id.ts';

describeEachEngine('GET /api/roms: filters, logic, search and scopes', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let lib: SeededLibrary;
  let r: SeededLibrary['roms'];
  const get = async (query: string, user: TestUser = alice) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms?order_by=id&${query}`, headers: { authorization: user.basic } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ids = async (query: string, user: TestUser = alice) => (await get(query, user)).items.map((i: { id: number }) => i.id);
  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'admin', 'bob');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
    r = lib.roms;
  });
  afterAll(async () => t.app.close());

  it('filters by platform', async () => {
    expect(await ids(`platform_ids=${lib.platforms.psx}`)).toEqual([r.ff7]);
    expect(await ids(`platform_ids=${lib.platforms.psx}&platform_ids=${lib.platforms.win}`, bob)).toEqual([r.ff7, r.doom]);
    expect(await ids('platform_ids=999')).toEqual([]);
  });

  it('applies every tri-state boolean filter, false negating true', async () => {
    const all = [r.marioUsa, r.marioEur, r.marioBeta, r.zelda, r.zeldaJp, r.ff7, r.percent];
    const cases: [string, number[]][] = [
      ['matched', [r.marioUsa, r.marioEur, r.marioBeta, r.zelda, r.ff7]],
      ['favorite', [r.marioUsa, r.zelda]],
      ['duplicate', [r.marioUsa, r.marioEur, r.marioBeta]],
      ['last_played', [r.zelda, r.ff7]],
      ['playable', all],
      ['missing', [r.zeldaJp]],
      ['has_ra', [r.zelda]],
      ['has_saves', []],
      ['has_states', []],
      ['verified', [r.zelda]],
      ['has_soundtrack', [r.ff7]],
    ];
    for (const [name, expected] of cases) {
      expect(await ids(`${name}=true`), name).toEqual(expected);
      expect(await ids(`${name}=false`), name).toEqual(all.filter((id) => !expected.includes(id)));
    }
    expect(await ids('playable=false', bob)).toEqual([r.doom]);
    expect(await ids('matched=1&favorite=YES&has_ra=on')).toEqual([r.zelda]);
  });

  it('sets screenshot_path only for the continue-playing rail (last_played given)', async () => {
    const body = await get('last_played=false&platform_ids=' + lib.platforms.gba);
    const mario = body.items.find((i: { id: number }) => i.id === r.marioUsa);
    expect(mario.screenshot_path).toBe('/assets/romm/resources/roms/1/1/title.png');
    expect((await get('')).items.every((i: { screenshot_path: unknown }) => i.screenshot_path === null)).toBe(true);
  });

  it('filters by updated_after (strictly later)', async () => {
    expect(await ids('updated_after=2026-01-02T03:04:05.500%2B00:00')).toEqual([r.marioUsa]);
    expect(await ids('updated_after=2026-01-02T03:04:06Z')).toEqual([]);
    expect(await ids('updated_after=2026-01-02T03:04:06Z', bob)).toEqual([r.doom]);
    expect(await ids('updated_after=2026-01-02T03:04:06')).toEqual([]);
  });

  it('combines multi-value facet filters with any, all and none', async () => {
    expect(await ids('genres=RPG')).toEqual([r.zelda, r.ff7]);
    expect(await ids('genres=RPG&genres=Platform&genres_logic=any')).toEqual([r.marioUsa, r.marioEur, r.marioBeta, r.zelda, r.ff7]);
    expect(await ids('genres=Adventure&genres=RPG&genres_logic=all')).toEqual([r.zelda]);
    expect(await ids('genres=Platform&genres=RPG&genres_logic=all')).toEqual([]);
    // `none` keeps ROMs without any genre (RomM drops them through SQL NULL logic).
    expect(await ids('genres=Platform&genres_logic=none')).toEqual([r.zelda, r.zeldaJp, r.ff7, r.percent]);
    expect(await ids('genres=RPG&genres_logic=bogus')).toEqual([r.zelda, r.ff7]);
    expect(await ids('regions=USA')).toEqual([r.marioUsa, r.marioBeta, r.zelda, r.ff7, r.percent]);
    expect(await ids('regions=USA&regions=Japan&regions_logic=none')).toEqual([r.marioEur]);
    expect(await ids('languages=En&languages=Fr&languages_logic=all')).toEqual([r.zelda]);
    expect(await ids('tags=Beta&tags=Proto')).toEqual([r.marioBeta, r.percent]);
    expect(await ids('companies=Capcom')).toEqual([r.zelda]);
    expect(await ids('companies=Nintendo&companies=Capcom&companies_logic=all')).toEqual([r.zelda]);
    expect(await ids('franchises=Mario')).toEqual([r.marioUsa]);
    expect(await ids('collections=Mario%20Series')).toEqual([r.marioUsa]);
    expect(await ids('age_ratings=E&age_ratings_logic=none')).toEqual([r.marioEur, r.marioBeta, r.zelda, r.zeldaJp, r.ff7, r.percent]);
    expect(await ids('genres=RPG&regions=USA&languages=Fr&languages_logic=none')).toEqual([r.ff7]);
  });

  it('filters player counts, metadata providers and statuses', async () => {
    expect(await ids('player_counts=1-4')).toEqual([r.marioUsa]);
    expect(await ids('player_counts=1-4&player_counts=1&player_counts_logic=all')).toEqual([r.marioUsa, r.marioEur, r.marioBeta, r.zelda, r.zeldaJp, r.ff7, r.percent]);
    expect(await ids('player_counts=1-4&player_counts_logic=none')).toEqual([r.marioEur, r.marioBeta, r.zelda, r.zeldaJp, r.ff7, r.percent]);
    expect(await ids('metadata_providers=igdb')).toEqual([r.marioUsa, r.marioEur, r.marioBeta]);
    expect(await ids('metadata_providers=ss&metadata_providers=ra&metadata_providers_logic=all')).toEqual([r.zelda]);
    expect(await ids('metadata_providers=moby&metadata_providers=hltb&metadata_providers_logic=all')).toEqual([r.ff7]);
    expect(await ids('metadata_providers=igdb&metadata_providers=moby&metadata_providers_logic=none')).toEqual([r.zelda, r.zeldaJp, r.percent]);
    expect(await ids('metadata_providers=nonsense')).toHaveLength(7);
    expect(await ids('statuses=finished')).toEqual([r.zelda]);
    expect(await ids('statuses=now_playing')).toEqual([r.ff7]);
    expect(await ids('statuses=backlogged')).toEqual([r.marioEur]);
    expect(await ids('statuses=finished&statuses=completed_100')).toEqual([r.marioUsa, r.zelda]);
    expect(await ids('statuses=finished&statuses=completed_100&statuses_logic=all')).toEqual([]);
    // `none` keeps ROMs without a rom_user row.
    expect(await ids('statuses=finished&statuses_logic=none')).toEqual([r.marioUsa, r.marioEur, r.marioBeta, r.zeldaJp, r.ff7, r.percent]);
    // Hidden ROMs come back only when asked for.
    expect(await ids('statuses=hidden')).toEqual([r.doom]);
    expect(await ids('statuses=hidden&statuses=finished')).toEqual([r.zelda, r.doom]);
    expect(await ids('statuses=hidden', bob)).toEqual([]);
  });

  it('searches names and file names: words ANDed, | alternatives, wildcards as data, hashes', async () => {
    expect(await ids('search_term=mario')).toEqual([r.marioUsa, r.marioEur, r.marioBeta]);
    expect(await ids('search_term=MARIO%20adv')).toEqual([r.marioUsa, r.marioEur, r.marioBeta]);
    expect(await ids('search_term=mario%20zelda')).toEqual([]);
    expect(await ids('search_term=zelda%7Cfantasy')).toEqual([r.zelda, r.zeldaJp, r.ff7]);
    expect(await ids('search_term=%7C%20%7C')).toHaveLength(7);
    expect(await ids('search_term=(beta)')).toEqual([r.marioBeta]);
    expect(await ids('search_term=%25')).toEqual([r.percent]);
    expect(await ids('search_term=_')).toEqual([r.percent]);
    expect(await ids('search_term=aabbccdd')).toEqual([r.marioUsa]);
    expect(await ids('search_term=AABBCCDD')).toEqual([r.marioUsa]);
    expect(await ids('search_term=11112222')).toEqual([r.ff7]);
    expect(await ids(`search_term=${HEX32}`)).toEqual([r.marioUsa]);
    expect(await ids(`search_term=${HEX40}%7Cdoom`, bob)).toEqual([r.marioUsa, r.doom]);
  });

  it('orders search results by relevance when order_by is empty, on every engine', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/roms?search_term=zelda', headers: { authorization: alice.basic } });
    // "Zelda - Minish Cap" starts with the term, "The Legend of Zelda" only contains it.
    expect(res.json().items.map((i: { id: number }) => i.id)).toEqual([r.zelda, r.zeldaJp]);
    const byName = await t.app.inject({ method: 'GET', url: '/api/roms?search_term=zelda&order_by=name', headers: { authorization: alice.basic } });
    expect(byName.json().items.map((i: { id: number }) => i.id)).toEqual([r.zeldaJp, r.zelda]);
  });

  it('scopes by collection, virtual collection and smart collection', async () => {
    expect(await ids(`collection_id=${lib.collections.bobs}`)).toEqual([r.marioUsa, r.ff7]);
    expect(await ids(`collection_id=${lib.collections.bobs}`, bob)).toEqual([r.marioUsa, r.ff7, r.doom]);
    expect(await ids('collection_id=999')).toEqual([]);
    expect(encodeVirtualCollectionId('RPG', 'genre')).toBe('eyJuYW1lIjogIlJQRyIsICJ0eXBlIjogImdlbnJlIn0=');
    expect(await ids('virtual_collection_id=eyJuYW1lIjogIlJQRyIsICJ0eXBlIjogImdlbnJlIn0=')).toEqual([r.zelda, r.ff7]);
    expect(await ids(`virtual_collection_id=${encodeVirtualCollectionId('Nintendo', 'company')}`)).toEqual([r.marioUsa, r.marioEur, r.zelda]);
    expect(await ids(`virtual_collection_id=${encodeVirtualCollectionId('Single player', 'mode')}`)).toEqual([r.marioUsa]);
    expect(await ids(`virtual_collection_id=${encodeVirtualCollectionId('Mario', 'franchise')}`)).toEqual([r.marioUsa]);
    expect(await ids(`virtual_collection_id=${encodeVirtualCollectionId('Mario Series', 'collection')}`)).toEqual([r.marioUsa]);
    expect(await ids(`virtual_collection_id=${encodeVirtualCollectionId('E', 'age_rating')}`)).toEqual([]);
    expect(await ids('virtual_collection_id=not-a-valid-id!!')).toEqual([]);
    expect(await ids(`smart_collection_id=${lib.collections.smartRpg}`)).toEqual([r.zelda, r.ff7]);
    expect(await ids(`smart_collection_id=${lib.collections.smartRpg}&regions=Japan`)).toEqual([]);
    // Someone else's private smart collection: 403, as GET /api/collections/smart/{id} answers.
    const denied = await t.app.inject({ method: 'GET', url: `/api/roms?smart_collection_id=${lib.collections.smartPrivate}`, headers: { authorization: alice.basic } });
    expect(denied.statusCode).toBe(403);
    expect(await ids(`smart_collection_id=${lib.collections.smartPrivate}`, bob)).toEqual([r.marioUsa, r.marioEur, r.marioBeta, r.zelda, r.zeldaJp, r.percent]);
    expect(await ids('smart_collection_id=999')).toEqual([]);
  });

  it('computes filter_values over the scope only, not over the other filters', async () => {
    const scoped = await get(`platform_ids=${lib.platforms.psx}&genres=Nothing`);
    expect(scoped.items).toEqual([]);
    expect(scoped.filter_values).toMatchObject({ genres: ['RPG'], franchises: ['Final Fantasy'], regions: ['USA'], player_counts: ['1'], platforms: [lib.platforms.psx] });
    const filtered = await get('genres=RPG');
    expect(filtered.filter_values.genres).toEqual(['Adventure', 'Platform', 'RPG']);
    const searched = await get('search_term=doom');
    expect(searched.filter_values.genres).toEqual([]);
    expect((await get('search_term=doom', bob)).filter_values).toMatchObject({ genres: ['Shooter'], companies: ['id Software'], platforms: [lib.platforms.win] });
  });

  it('answers /api/roms/filters over the whole library', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/roms/filters', headers: { authorization: alice.basic } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      genres: ['Adventure', 'Platform', 'RPG', 'Shooter'], franchises: ['Final Fantasy', 'Mario'], collections: ['Mario Series'],
      companies: ['Capcom', 'Nintendo', 'id Software'], game_modes: ['Single player'], age_ratings: ['E'], player_counts: ['1', '1-4'],
      regions: ['Europe', 'Japan', 'USA', 'World'], languages: ['En', 'Fr', 'Ja'], tags: ['Beta', 'Proto'],
      platforms: [lib.platforms.gba, lib.platforms.psx, lib.platforms.win],
    });
  });

  it('sees writes at once: the cached index follows the library version', async () => {
    expect(await ids('')).toHaveLength(7);
    await ctx().db.kysely.updateTable('rom_user').set({ hidden: 0 }).where('rom_id', '=', r.doom).where('user_id', '=', alice.user.id).execute();
    expect(await ids('')).toHaveLength(8);
    await ctx().db.kysely.updateTable('rom_user').set({ hidden: 1 }).where('rom_id', '=', r.doom).where('user_id', '=', alice.user.id).execute();
    expect(await ids('')).toHaveLength(7);
    const before = (await get('')).filter_values.genres;
    await ctx().db.kysely.insertInto('rom_facets').values({ rom_id: r.percent, kind: 'genre', value: 'Zz New' }).execute();
    expect((await get('')).filter_values.genres).toEqual([...before, 'Zz New']);
    await ctx().db.kysely.deleteFrom('rom_facets').where('value', '=', 'Zz New').execute();
    expect((await get('')).filter_values.genres).toEqual(before);
  });
});
