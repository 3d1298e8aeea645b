import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { call } from '../integration/collections/http.ts';
import { seedRoms } from '../integration/collections/seed.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;

describeEachEngine('regular collections API', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let roms: number[];

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer');
    bob = await createUser(t.services, 'viewer');
    roms = await seedRoms(ctx().db.kysely, [
      { name: 'Alpha', cover: true }, { name: 'Beta' }, { name: 'Gamma', cover: true }, { name: 'Delta' },
    ]);
  });
  afterAll(async () => t.app.close());

  describe('create, read, list', () => {
    it('creates from a multipart form with query flags and returns RomM\'s CollectionSchema', async () => {
      const res = await call(t, alice, 'POST', '/api/collections?is_public=true', { form: { name: 'Shelf', description: 'Best' } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual([
        'name', 'description', 'rom_ids', 'rom_count', 'path_cover_small', 'path_cover_large', 'path_covers_small',
        'path_covers_large', 'is_public', 'is_favorite', 'is_virtual', 'is_smart', 'created_at', 'updated_at', 'id',
        'url_cover', 'user_id', 'owner_username',
      ]);
      expect(res.body).toMatchObject({
        name: 'Shelf', description: 'Best', rom_ids: [], rom_count: 0, path_cover_small: null, path_cover_large: null,
        path_covers_small: [], path_covers_large: [], is_public: true, is_favorite: false, is_virtual: false,
        is_smart: false, url_cover: '', user_id: alice.user.id, owner_username: alice.user.username,
      });
      expect(res.body.created_at).toMatch(ISO);
    });

    it('accepts url-encoded forms too and defaults flags to false', async () => {
      const res = await t.app.inject({
        method: 'POST', url: '/api/collections', headers: { authorization: alice.basic, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=Encoded&description=x',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Encoded', is_public: false, is_favorite: false });
    });

    it('answers 409 with RomM\'s message for a duplicate name of the same owner, not for another owner', async () => {
      const dup = await call(t, alice, 'POST', '/api/collections', { form: { name: 'Shelf' } });
      expect(dup).toEqual({ status: 409, body: { detail: "Collection with name 'Shelf' already exists" } });
      expect((await call(t, bob, 'POST', '/api/collections', { form: { name: 'Shelf' } })).status).toBe(200);
    });

    it('answers 422 for an empty name and for a bad query boolean', async () => {
      expect((await call(t, alice, 'POST', '/api/collections', { form: { name: '' } })).status).toBe(422);
      expect((await call(t, alice, 'POST', '/api/collections', { form: { name: '   ' } })).status).toBe(422);
      expect((await call(t, alice, 'POST', '/api/collections?is_public=maybe', { form: { name: 'Q' } })).status).toBe(422);
    });

    it('lists own and public collections by name, filters by updated_after, lists identifiers', async () => {
      await call(t, bob, 'POST', '/api/collections', { form: { name: 'Bob private' } });
      const list = await call(t, alice, 'GET', '/api/collections');
      const names = list.body.map((c: { name: string }) => c.name);
      expect(names).toContain('Shelf');
      expect(names).not.toContain('Bob private');
      expect([...names].sort()).toEqual(names);
      const ids = await call(t, alice, 'GET', '/api/collections/identifiers');
      expect(ids.body).toEqual(list.body.map((c: { id: number }) => c.id));
      const future = await call(t, alice, 'GET', '/api/collections?updated_after=2999-01-01T00:00:00Z');
      expect(future.body).toEqual([]);
      const past = await call(t, alice, 'GET', '/api/collections?updated_after=2000-01-01T00:00:00%2B00:00');
      expect(past.body.length).toBe(list.body.length);
      expect((await call(t, alice, 'GET', '/api/collections?updated_after=yesterday')).status).toBe(422);
    });

    it('answers 404 with RomM\'s message for an unknown id', async () => {
      expect(await call(t, alice, 'GET', '/api/collections/999999')).toEqual({ status: 404, body: { detail: "Collection with id '999999' not found" } });
      expect((await call(t, alice, 'GET', '/api/collections/0')).status).toBe(422);
    });
  });

  describe('membership', () => {
    let id: number;
    beforeAll(async () => {
      id = (await call(t, alice, 'POST', '/api/collections', { form: { name: 'Members' } })).body.id;
    });

    it('adds atomically, ignoring unknown and existing ids, and bumps updated_at only on change', async () => {
      const before = (await call(t, alice, 'GET', `/api/collections/${id}`)).body;
      const added = await call(t, alice, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: [roms[0], roms[1], 999999] } });
      expect(added.status).toBe(200);
      expect([...added.body.rom_ids].sort((a: number, b: number) => a - b)).toEqual([roms[0], roms[1]]);
      expect(added.body.rom_count).toBe(2);
      expect(added.body.updated_at >= before.updated_at).toBe(true);
      expect(added.body.path_covers_small).toHaveLength(1);
      expect(added.body.path_covers_small[0]).toMatch(/^\/assets\/romm\/resources\/roms\/\d+\/Alpha\/cover\/small\.png\?ts=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
      const again = await call(t, alice, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: [roms[0]] } });
      expect(again.body.rom_count).toBe(2);
      expect(again.body.updated_at).toBe(added.body.updated_at);
    });

    it('removes atomically, ignoring non-members', async () => {
      const res = await call(t, alice, 'DELETE', `/api/collections/${id}/roms`, { json: { rom_ids: [roms[0], roms[3]] } });
      expect(res.status).toBe(200);
      expect(res.body.rom_ids).toEqual([roms[1]]);
      const noop = await call(t, alice, 'DELETE', `/api/collections/${id}/roms`, { json: { rom_ids: [roms[0]] } });
      expect(noop.body.updated_at).toBe(res.body.updated_at);
    });

    it('validates the JSON body of add/remove', async () => {
      expect((await call(t, alice, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: 'x' } })).status).toBe(422);
      expect((await call(t, alice, 'POST', `/api/collections/${id}/roms`, { json: {} })).status).toBe(422);
    });

    it('PUT replaces membership from the rom_ids JSON string and keeps unspecified fields', async () => {
      const res = await call(t, alice, 'PUT', `/api/collections/${id}`, { form: { rom_ids: JSON.stringify([roms[2], roms[3], 424242]) } });
      expect(res.status).toBe(200);
      expect([...res.body.rom_ids].sort((a: number, b: number) => a - b)).toEqual([roms[2], roms[3]]);
      expect(res.body).toMatchObject({ name: 'Members', is_public: false });
      const renamed = await call(t, alice, 'PUT', `/api/collections/${id}?is_public=1`, { form: { rom_ids: '[]', name: 'Renamed', description: 'd' } });
      expect(renamed.body).toMatchObject({ name: 'Renamed', description: 'd', is_public: true, rom_ids: [], rom_count: 0 });
    });

    it('PUT answers 422 for missing or invalid rom_ids and 409 for a rename onto an existing name', async () => {
      const missing = await call(t, alice, 'PUT', `/api/collections/${id}`, { form: { name: 'x' } });
      expect(missing.status).toBe(422);
      expect(missing.body.detail[0]).toMatchObject({ loc: ['body', 'rom_ids'], msg: 'Field required' });
      expect(await call(t, alice, 'PUT', `/api/collections/${id}`, { form: { rom_ids: '[1,' } }))
        .toEqual({ status: 422, body: { detail: 'Invalid list for rom_ids field in update collection' } });
      expect((await call(t, alice, 'PUT', `/api/collections/${id}`, { form: { rom_ids: '{"a":1}' } })).status).toBe(422);
      expect(await call(t, alice, 'PUT', `/api/collections/${id}`, { form: { rom_ids: '[]', name: 'Shelf' } }))
        .toEqual({ status: 409, body: { detail: "Collection with name 'Shelf' already exists" } });
      expect((await call(t, alice, 'PUT', `/api/collections/${id}`, { form: { rom_ids: '[]', name: '' } })).status).toBe(422);
    });

    it('DELETE answers null, then 404', async () => {
      const del = await call(t, alice, 'DELETE', `/api/collections/${id}`);
      expect(del).toEqual({ status: 200, body: null });
      expect((await call(t, alice, 'GET', `/api/collections/${id}`)).status).toBe(404);
      expect((await call(t, alice, 'DELETE', `/api/collections/${id}`)).status).toBe(404);
    });
  });

  describe('favourites', () => {
    it('is_favorite is set at creation and drives the favorite ROM filter for its owner only', async () => {
      const fav = await call(t, alice, 'POST', '/api/collections?is_favorite=true', { form: { name: 'Favorites' } });
      expect(fav.body.is_favorite).toBe(true);
      await call(t, alice, 'POST', `/api/collections/${fav.body.id}/roms`, { json: { rom_ids: [roms[1]] } });
      const put = await call(t, alice, 'PUT', `/api/collections/${fav.body.id}?is_favorite=false`, { form: { rom_ids: JSON.stringify([roms[1]]) } });
      expect(put.body.is_favorite).toBe(true);
      const mine = await call(t, alice, 'GET', '/api/roms?favorite=true&with_filter_values=false');
      expect(mine.body.rom_id_index).toEqual([roms[1]]);
      const notMine = await call(t, alice, 'GET', '/api/roms?favorite=false&with_filter_values=false');
      expect(notMine.body.rom_id_index).not.toContain(roms[1]);
      const bobs = await call(t, bob, 'GET', '/api/roms?favorite=true&with_filter_values=false');
      expect(bobs.body.rom_id_index).toEqual([]);
    });
  });

  describe('covers', () => {
    let png: Buffer;
    beforeAll(async () => {
      png = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#336699' } }).png().toBuffer();
    });

    it('stores an uploaded artwork as re-encoded big and small covers', async () => {
      const res = await call(t, alice, 'POST', '/api/collections', { form: { name: 'Covered' }, file: { name: 'artwork', filename: 'c.png', type: 'image/png', bytes: png } });
      expect(res.status).toBe(200);
      const id = res.body.id as number;
      expect(res.body.path_cover_large).toMatch(new RegExp(`^/assets/romm/resources/collections/${id}/cover/big\\.png\\?ts=`));
      expect(res.body.path_cover_small).toMatch(new RegExp(`^/assets/romm/resources/collections/${id}/cover/small\\.png\\?ts=`));
      const small = await sharp(`${t.config.dataPath}/resources/collections/${id}/cover/small.png`).metadata();
      expect(small.format).toBe('png');
      expect(small.width).toBe(240);
      const removed = await call(t, alice, 'PUT', `/api/collections/${id}?remove_cover=true`, { form: { rom_ids: '[]' } });
      expect(removed.body).toMatchObject({ path_cover_small: null, path_cover_large: null, url_cover: '' });
    });

    it('refuses SVG and other non-images with 400 and creates nothing', async () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      const res = await call(t, alice, 'POST', '/api/collections', { form: { name: 'Evil' }, file: { name: 'artwork', filename: 'x.png', type: 'image/png', bytes: svg } });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/must be a PNG, JPEG, WebP, or GIF image/);
      const names = (await call(t, alice, 'GET', '/api/collections')).body.map((c: { name: string }) => c.name);
      expect(names).not.toContain('Evil');
    });

    it('refuses cover URLs that point at the server\'s own network (SSRF)', async () => {
      for (const url of ['http://127.0.0.1:1/x.png', 'http://169.254.169.254/latest/meta-data', 'file:///etc/passwd', 'http://[::1]/x', 'http://localhost/x']) {
        const res = await call(t, alice, 'POST', '/api/collections', { form: { name: `U ${url}`, url_cover: url } });
        expect(res.status, url).toBe(400);
        expect(res.body.detail).toMatch(/disallowed address|Only http and https|Invalid URL/);
      }
    });
  });
});
