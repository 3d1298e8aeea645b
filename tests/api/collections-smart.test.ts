import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { call } from '../integration/collections/http.ts';
import { seedRoms } from '../integration/collections/seed.ts';
import { encodeVirtualCollectionId } from '../../src/domain/collections/virtual-id.ts';

describeEachEngine('smart collections API', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let r: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer');
    bob = await createUser(t.services, 'viewer');
    const names = ['Chrono', 'Earthbound', 'Mario', 'Zelda', 'Tetris'];
    const ids = await seedRoms(ctx().db.kysely, [
      { name: 'Chrono', cover: true, facets: { genre: ['RPG'], franchise: ['Chrono'], region: ['USA'], company: ['Square'] } },
      { name: 'Earthbound', facets: { genre: ['RPG'], region: ['USA'], tag: ['Beta'] } },
      { name: 'Mario', cover: true, facets: { genre: ['Platform'], franchise: ['Mario'], region: ['Japan'], company: ['Nintendo'] } },
      { name: 'Zelda', cover: true, facets: { genre: ['RPG', 'Adventure'], region: ['Europe'], language: ['En', 'Fr'], company: ['Nintendo'] } },
      { name: 'Tetris', platformSlug: 'gb', facets: { genre: ['Puzzle'], age_rating: ['E'] } },
    ]);
    r = Object.fromEntries(names.map((n, i) => [n, ids[i] as number]));
  });
  afterAll(async () => t.app.close());

  const create = (criteria: unknown, name = `S${Math.random()}`, user = alice, query = '') =>
    call(t, user, 'POST', `/api/collections/smart${query}`, { form: { name, filter_criteria: typeof criteria === 'string' ? criteria : JSON.stringify(criteria) } });
  const members = async (criteria: unknown) => {
    const res = await create(criteria);
    expect(res.status).toBe(200);
    return res.body.rom_ids as number[];
  };

  describe('CRUD and shape', () => {
    it('creates with RomM\'s SmartCollectionSchema, filter_summary in Python json.dumps form', async () => {
      const res = await create({ genres: ['RPG'], genres_logic: 'any', search_term: 'é' }, 'RPGs', alice, '?is_public=true');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual([
        'name', 'description', 'rom_ids', 'rom_count', 'path_cover_small', 'path_cover_large', 'path_covers_small',
        'path_covers_large', 'is_public', 'is_favorite', 'is_virtual', 'is_smart', 'created_at', 'updated_at', 'id',
        'filter_criteria', 'filter_summary', 'user_id', 'owner_username',
      ]);
      expect(res.body).toMatchObject({
        name: 'RPGs', description: '', is_public: true, is_smart: true, is_virtual: false, is_favorite: false,
        path_cover_small: null, path_cover_large: null, user_id: alice.user.id, owner_username: alice.user.username,
        filter_criteria: { genres: ['RPG'], genres_logic: 'any', search_term: 'é' },
        filter_summary: '{"genres": ["RPG"], "genres_logic": "any", "search_term": "\\u00e9"}',
      });
    });

    it('caches membership in criteria order (name by default) with up to five covers', async () => {
      const res = await create({ genres: ['RPG'] });
      expect(res.body.rom_ids).toEqual([r.Chrono, r.Earthbound, r.Zelda]);
      expect(res.body.rom_count).toBe(3);
      expect(res.body.path_covers_small).toHaveLength(2);
      expect(res.body.path_covers_small[0]).toMatch(/^\/assets\/romm\/resources\/roms\/\d+\/Chrono\/cover\/small\.png\?ts=/);
      const desc = await create({ genres: ['RPG'], order_by: 'name', order_dir: 'desc' });
      expect(desc.body.rom_ids).toEqual([r.Zelda, r.Earthbound, r.Chrono]);
    });

    it('answers 400 with RomM\'s message for invalid criteria JSON, 409 for a duplicate, 422 for an empty name', async () => {
      expect(await create('{not json')).toEqual({ status: 400, body: { detail: 'Invalid JSON for filter_criteria field' } });
      expect((await create('[1, 2]')).status).toBe(400);
      await create({}, 'Twice');
      expect(await create({}, 'Twice')).toEqual({ status: 409, body: { detail: "Collection with name 'Twice' already exists" } });
      expect((await create({}, 'Twice', bob)).status).toBe(200);
      expect((await create({}, '')).status).toBe(422);
    });

    it('lists (own + public, updated_after), identifiers, gets, updates and deletes', async () => {
      const mine = await create({ genres: ['Puzzle'] }, 'Puzzles');
      const id = mine.body.id as number;
      const list = await call(t, alice, 'GET', '/api/collections/smart');
      expect(list.body.map((s: { id: number }) => s.id)).toContain(id);
      expect((await call(t, alice, 'GET', '/api/collections/smart?updated_after=2999-01-01T00:00:00Z')).body).toEqual([]);
      expect((await call(t, alice, 'GET', '/api/collections/smart/identifiers')).body).toEqual(list.body.map((s: { id: number }) => s.id));
      expect((await call(t, alice, 'GET', `/api/collections/smart/${id}`)).body.rom_ids).toEqual([r.Tetris]);
      for (const item of list.body) expect(item).toEqual((await call(t, alice, 'GET', `/api/collections/smart/${item.id}`)).body);

      const renamed = await call(t, alice, 'PUT', `/api/collections/smart/${id}?is_public=true`, { form: { name: 'Blocks', description: 'falling' } });
      expect(renamed.body).toMatchObject({ name: 'Blocks', description: 'falling', is_public: true, rom_ids: [r.Tetris], filter_criteria: { genres: ['Puzzle'] } });
      const changed = await call(t, alice, 'PUT', `/api/collections/smart/${id}`, { form: { filter_criteria: '{"genres": ["Platform"]}' } });
      expect(changed.body).toMatchObject({ name: 'Blocks', is_public: true, rom_ids: [r.Mario] });
      expect((await call(t, alice, 'PUT', `/api/collections/smart/${id}`, { form: { filter_criteria: '{' } })).status).toBe(400);
      expect((await call(t, alice, 'PUT', `/api/collections/smart/${id}`, { form: { name: 'RPGs' } })).status).toBe(409);

      expect(await call(t, alice, 'DELETE', `/api/collections/smart/${id}`)).toEqual({ status: 200, body: null });
      expect(await call(t, alice, 'GET', `/api/collections/smart/${id}`)).toEqual({ status: 404, body: { detail: `Collection with id '${id}' not found` } });
    });
  });

  describe('criteria keys and legacy aliases (spec §7.2)', () => {
    it('multi-value lists with any / all / none', async () => {
      expect(await members({ genres: ['RPG', 'Puzzle'] })).toEqual([r.Chrono, r.Earthbound, r.Tetris, r.Zelda]);
      expect(await members({ genres: ['RPG', 'Adventure'], genres_logic: 'all' })).toEqual([r.Zelda]);
      expect(await members({ genres: ['RPG'], genres_logic: 'none' })).toEqual([r.Mario, r.Tetris]);
      expect(await members({ franchises: ['Mario'] })).toEqual([r.Mario]);
      expect(await members({ companies: ['Nintendo'], companies_logic: 'all' })).toEqual([r.Mario, r.Zelda]);
      expect(await members({ regions: ['USA'] })).toEqual([r.Chrono, r.Earthbound]);
      expect(await members({ languages: ['Fr'] })).toEqual([r.Zelda]);
      expect(await members({ tags: ['Beta'] })).toEqual([r.Earthbound]);
      expect(await members({ age_ratings: ['E'] })).toEqual([r.Tetris]);
    });

    it('legacy selected_* keys, scalars wrapped into lists, and platform_id', async () => {
      expect(await members({ selected_genre: 'Platform' })).toEqual([r.Mario]);
      expect(await members({ selected_franchise: ['Chrono'] })).toEqual([r.Chrono]);
      expect(await members({ selected_region: 'Japan' })).toEqual([r.Mario]);
      expect(await members({ selected_company: 'Square' })).toEqual([r.Chrono]);
      expect(await members({ selected_language: 'En' })).toEqual([r.Zelda]);
      expect(await members({ selected_tag: 'Beta' })).toEqual([r.Earthbound]);
      expect(await members({ selected_age_rating: 'E' })).toEqual([r.Tetris]);
      const gb = (await call(t, alice, 'GET', `/api/roms/${r.Tetris}`)).body.platform_id as number;
      expect(await members({ platform_id: gb })).toEqual([r.Tetris]);
      expect(await members({ platform_ids: [gb] })).toEqual([r.Tetris]);
    });

    it('statuses (also as selected_status) evaluate as the owner', async () => {
      const put = await t.app.inject({ method: 'PUT', url: `/api/roms/${r.Zelda}/props`, headers: { authorization: alice.basic }, payload: { status: 'finished' } });
      if (put.statusCode !== 200) {
        await ctx().db.kysely.insertInto('rom_user').values({ rom_id: r.Zelda as number, user_id: alice.user.id, status: 'finished', created_at: Date.now(), updated_at: Date.now() } as never).execute();
      }
      expect(await members({ statuses: ['finished'] })).toEqual([r.Zelda]);
      expect(await members({ selected_status: 'finished' })).toEqual([r.Zelda]);
      const bobs = await create({ statuses: ['finished'] }, `bob ${Math.random()}`, bob);
      expect(bobs.body.rom_ids).toEqual([]);
    });

    it('search_term, bools, player_counts, metadata_providers, virtual_collection_id and collection_id', async () => {
      expect(await members({ search_term: 'earth' })).toEqual([r.Earthbound]);
      expect(await members({ matched: true })).toEqual([]);
      expect(await members({ missing: false })).toHaveLength(5);
      expect(await members({ has_ra: true, duplicate: false, playable: true })).toEqual([]);
      expect(await members({ player_counts: ['1'] })).toHaveLength(5);
      expect(await members({ metadata_providers: ['igdb'] })).toEqual([]);
      expect(await members({ virtual_collection_id: encodeVirtualCollectionId('Nintendo', 'company') })).toEqual([r.Mario, r.Zelda]);
      const col = (await call(t, alice, 'POST', '/api/collections', { form: { name: `C${Math.random()}` } })).body.id as number;
      await call(t, alice, 'POST', `/api/collections/${col}/roms`, { json: { rom_ids: [r.Tetris, r.Chrono] } });
      expect(await members({ collection_id: col })).toEqual([r.Chrono, r.Tetris]);
    });

    it('ignores smart_collection_id inside criteria (no nesting or cycles)', async () => {
      const inner = await create({ genres: ['Puzzle'] });
      expect(await members({ smart_collection_id: inner.body.id, genres: ['Platform'] })).toEqual([r.Mario]);
    });
  });

  describe('cached membership follows changes', () => {
    it('refreshes when the named collection or the owner\'s favourites change', async () => {
      const col = (await call(t, alice, 'POST', '/api/collections', { form: { name: 'Feeds smart' } })).body.id as number;
      const s = await create({ collection_id: col });
      expect(s.body.rom_ids).toEqual([]);
      await call(t, alice, 'POST', `/api/collections/${col}/roms`, { json: { rom_ids: [r.Mario] } });
      expect((await call(t, alice, 'GET', `/api/collections/smart/${s.body.id}`)).body.rom_ids).toEqual([r.Mario]);
      await call(t, alice, 'PUT', `/api/collections/${col}`, { form: { rom_ids: JSON.stringify([r.Tetris, r.Zelda]) } });
      expect((await call(t, alice, 'GET', `/api/collections/smart/${s.body.id}`)).body.rom_ids).toEqual([r.Tetris, r.Zelda]);

      const fav = (await call(t, alice, 'POST', '/api/collections?is_favorite=true', { form: { name: 'Favs' } })).body.id as number;
      const favSmart = await create({ favorite: true });
      expect(favSmart.body.rom_ids).toEqual([]);
      await call(t, alice, 'POST', `/api/collections/${fav}/roms`, { json: { rom_ids: [r.Earthbound] } });
      expect((await call(t, alice, 'GET', `/api/collections/smart/${favSmart.body.id}`)).body.rom_ids).toEqual([r.Earthbound]);
      await call(t, alice, 'DELETE', `/api/collections/${fav}`);
      expect((await call(t, alice, 'GET', `/api/collections/smart/${favSmart.body.id}`)).body.rom_ids).toEqual([]);
    });

    it('refreshSmartCollections() picks up library changes', async () => {
      const s = await create({ genres: ['Shooter'] });
      expect(s.body.rom_count).toBe(0);
      const [newRom] = await seedRoms(ctx().db.kysely, [{ name: 'Gradius', facets: { genre: ['Shooter'] } }]);
      const before = (await call(t, alice, 'GET', `/api/collections/smart/${s.body.id}`)).body;
      expect(before.rom_count).toBe(0);
      expect(await t.services.collections.smart.refreshSmartCollections()).toBeGreaterThan(0);
      const after = (await call(t, alice, 'GET', `/api/collections/smart/${s.body.id}`)).body;
      expect(after).toMatchObject({ rom_ids: [newRom], rom_count: 1 });
      expect(after.updated_at > before.updated_at).toBe(true);
    });

    it('a ROM write through the API schedules a refresh', async () => {
      const s = await create({ statuses: ['retired'] });
      expect(s.body.rom_ids).toEqual([]);
      const put = await t.app.inject({ method: 'PUT', url: `/api/roms/${r.Mario}/props`, headers: { authorization: alice.basic }, payload: { status: 'retired' } });
      expect(put.statusCode).toBe(200);
      await t.services.collections.smart.settled();
      expect((await call(t, alice, 'GET', `/api/collections/smart/${s.body.id}`)).body.rom_ids).toEqual([r.Mario]);
    });

    it('live evaluation through GET /api/roms is the caller\'s view, the cache the owner\'s', async () => {
      const s = await create({ statuses: ['finished'] }, `live ${Math.random()}`, alice, '?is_public=true');
      expect(s.body.rom_ids).toEqual([r.Zelda]);
      const asBob = await call(t, bob, 'GET', `/api/roms?smart_collection_id=${s.body.id}&with_filter_values=false`);
      expect(asBob.body.rom_id_index).toEqual([]);
      const asAlice = await call(t, alice, 'GET', `/api/roms?smart_collection_id=${s.body.id}&with_filter_values=false`);
      expect(asAlice.body.rom_id_index).toEqual([r.Zelda]);
      expect(await t.services.collections.smart.resolveSmartRomIds(bob.user.id, s.body.id)).toEqual([]);
    });
  });
});
