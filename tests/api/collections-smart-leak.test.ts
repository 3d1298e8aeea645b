import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { call } from '../integration/collections/http.ts';
import { seedRoms } from '../integration/collections/seed.ts';

interface SmartBody {
  id: number;
  rom_ids: number[];
  rom_count: number;
  path_covers_small: string[];
  path_covers_large: string[];
}

/**
 * A public smart collection must not show a caller the members of collections that caller may not read: its
 * criteria may name the owner's private collection, or the owner's private favourites.
 */
describeEachEngine('public smart collections over private sources', (ctx) => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let admin: TestUser;
  let roms: number[];
  const ids = { secret: 0, open: 0, overSecret: 0, overFavourites: 0, overOpen: 0 };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    owner = await createUser(t.services, 'viewer');
    other = await createUser(t.services, 'viewer');
    admin = await createUser(t.services, 'admin');
    roms = await seedRoms(ctx().db.kysely, [{ name: 'Alpha' }, { name: 'Beta' }, { name: 'Gamma' }]);
    ids.secret = (await call(t, owner, 'POST', '/api/collections', { form: { name: 'Secret' } })).body.id;
    ids.open = (await call(t, owner, 'POST', '/api/collections?is_public=true', { form: { name: 'Open' } })).body.id;
    const favourites = (await call(t, owner, 'POST', '/api/collections?is_favorite=true', { form: { name: 'Favourites' } })).body.id;
    await call(t, owner, 'POST', `/api/collections/${ids.secret}/roms`, { json: { rom_ids: [roms[0], roms[1]] } });
    await call(t, owner, 'POST', `/api/collections/${ids.open}/roms`, { json: { rom_ids: [roms[2]] } });
    await call(t, owner, 'POST', `/api/collections/${favourites}/roms`, { json: { rom_ids: [roms[1]] } });
    const smart = async (name: string, criteria: unknown) =>
      (await call(t, owner, 'POST', '/api/collections/smart?is_public=true', { form: { name, filter_criteria: JSON.stringify(criteria) } })).body as SmartBody;
    ids.overSecret = (await smart('Over secret', { collection_id: ids.secret })).id;
    ids.overFavourites = (await smart('Over favourites', { favorite: true })).id;
    ids.overOpen = (await smart('Over open', { collection_id: ids.open })).id;
  });
  afterAll(async () => t.app.close());

  const single = async (user: TestUser, id: number) => (await call(t, user, 'GET', `/api/collections/smart/${id}`)).body as SmartBody;
  const listed = async (user: TestUser, id: number) =>
    ((await call(t, user, 'GET', '/api/collections/smart')).body as SmartBody[]).find((s) => s.id === id);
  const empty = { rom_ids: [], rom_count: 0, path_covers_small: [], path_covers_large: [] };

  it('the owner sees the members', async () => {
    expect(await single(owner, ids.overSecret)).toMatchObject({ rom_ids: [roms[0], roms[1]], rom_count: 2 });
    expect(await listed(owner, ids.overSecret)).toMatchObject({ rom_ids: [roms[0], roms[1]], rom_count: 2 });
    expect(await single(owner, ids.overFavourites)).toMatchObject({ rom_ids: [roms[1]], rom_count: 1 });
  });

  describe.each(['other', 'admin'] as const)('as %s', (who) => {
    const as = () => (who === 'other' ? other : admin);

    it('GET /api/collections/smart/{id} shows no members of a private source', async () => {
      expect(await single(as(), ids.overSecret)).toMatchObject(empty);
      expect(await single(as(), ids.overFavourites)).toMatchObject(empty);
    });

    it('GET /api/collections/smart shows no members of a private source', async () => {
      expect(await listed(as(), ids.overSecret)).toMatchObject(empty);
      expect(await listed(as(), ids.overFavourites)).toMatchObject(empty);
    });

    it('a public source still shows its members', async () => {
      expect(await single(as(), ids.overOpen)).toMatchObject({ rom_ids: [roms[2]], rom_count: 1 });
      expect(await listed(as(), ids.overOpen)).toMatchObject({ rom_ids: [roms[2]], rom_count: 1 });
    });

    it('the ROM list refuses the smart collection over a private collection', async () => {
      const res = await call(t, as(), 'GET', `/api/roms?smart_collection_id=${ids.overSecret}&with_filter_values=false`);
      expect(res).toEqual({ status: 403, body: { detail: `Permission denied for collection with id '${ids.secret}'` } });
    });

    it('ROM details do not list it among the ROM\'s collections', async () => {
      for (const rom of [roms[0], roms[1]]) {
        const res = await call(t, as(), 'GET', `/api/roms/${rom}`);
        const smartIds = (res.body.user_collections as { id: number; is_smart: boolean }[]).filter((c) => c.is_smart).map((c) => c.id);
        expect(smartIds).not.toContain(ids.overSecret);
        expect(smartIds).not.toContain(ids.overFavourites);
      }
      const open = await call(t, as(), 'GET', `/api/roms/${roms[2]}`);
      expect(open.body.user_collections).toContainEqual(expect.objectContaining({ id: ids.overOpen, is_smart: true }));
    });
  });

  it('members show again once the source turns public', async () => {
    await call(t, owner, 'PUT', `/api/collections/${ids.secret}?is_public=true`, { form: { rom_ids: JSON.stringify([roms[0], roms[1]]) } });
    expect(await single(other, ids.overSecret)).toMatchObject({ rom_ids: [roms[0], roms[1]], rom_count: 2 });
    await call(t, owner, 'PUT', `/api/collections/${ids.secret}?is_public=false`, { form: { rom_ids: JSON.stringify([roms[0], roms[1]]) } });
    expect(await single(other, ids.overSecret)).toMatchObject(empty);
  });
});
