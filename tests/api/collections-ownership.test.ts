import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { call } from '../integration/collections/http.ts';
import { seedRoms } from '../integration/collections/seed.ts';

type Actor = 'owner' | 'other' | 'admin' | 'anonymous';
const ACTORS: Actor[] = ['owner', 'other', 'admin', 'anonymous'];

/**
 * The ownership matrix (RomM's two IDOR CVEs): owner, another user, an admin and an anonymous caller against a
 * public and a private collection, on every route that reads or writes one.
 */
describeEachEngine('collection ownership matrix', (ctx) => {
  let t: TestApp;
  const users: Partial<Record<Actor, TestUser>> = {};
  let roms: number[];
  const ids = { public: 0, private: 0, smartPublic: 0, smartPrivate: 0 };
  const as = (a: Actor) => (a === 'anonymous' ? null : (users[a] as TestUser));

  beforeAll(async () => {
    t = await createTestApp(ctx());
    users.owner = await createUser(t.services, 'viewer');
    users.other = await createUser(t.services, 'viewer');
    users.admin = await createUser(t.services, 'admin');
    roms = await seedRoms(ctx().db.kysely, [{ name: 'One', facets: { genre: ['Puzzle'] } }, { name: 'Two', facets: { genre: ['Puzzle'] } }, { name: 'Three' }]);
    const owner = as('owner');
    ids.public = (await call(t, owner, 'POST', '/api/collections?is_public=true', { form: { name: 'Open' } })).body.id;
    ids.private = (await call(t, owner, 'POST', '/api/collections', { form: { name: 'Secret' } })).body.id;
    for (const id of [ids.public, ids.private]) await call(t, owner, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: [roms[0], roms[1]] } });
    ids.smartPublic = (await call(t, owner, 'POST', '/api/collections/smart?is_public=true', { form: { name: 'Open smart', filter_criteria: '{"genres": ["Puzzle"]}' } })).body.id;
    ids.smartPrivate = (await call(t, owner, 'POST', '/api/collections/smart', { form: { name: 'Secret smart', filter_criteria: '{"genres": ["Puzzle"]}' } })).body.id;
  });
  afterAll(async () => t.app.close());

  const readExpect = (a: Actor, isPublic: boolean) => (a === 'anonymous' ? 401 : a === 'owner' || isPublic ? 200 : 403);
  const writeExpect = (a: Actor) => (a === 'anonymous' ? 401 : a === 'owner' ? 200 : 403);

  describe.each([true, false])('regular collection, public=%s', (isPublic) => {
    const id = () => (isPublic ? ids.public : ids.private);

    it.each(ACTORS)('GET by id as %s', async (a) => {
      const res = await call(t, as(a), 'GET', `/api/collections/${id()}`);
      expect(res.status).toBe(readExpect(a, isPublic));
      if (res.status === 403) expect(res.body).toEqual({ detail: `Permission denied for collection with id '${id()}'` });
      if (res.status === 200) expect(res.body.rom_count).toBe(2);
    });

    it.each(ACTORS)('list and identifiers as %s', async (a) => {
      const list = await call(t, as(a), 'GET', '/api/collections');
      const idents = await call(t, as(a), 'GET', '/api/collections/identifiers');
      if (a === 'anonymous') return expect([list.status, idents.status]).toEqual([401, 401]);
      const visible = readExpect(a, isPublic) === 200;
      expect(list.body.some((c: { id: number }) => c.id === id())).toBe(visible);
      expect(idents.body.includes(id())).toBe(visible);
    });

    it.each(ACTORS.filter((a) => a !== 'owner'))('every write as %s is refused and changes nothing', async (a) => {
      const expected = writeExpect(a);
      const writes = [
        await call(t, as(a), 'PUT', `/api/collections/${id()}`, { form: { rom_ids: '[]', name: 'Pwned' } }),
        await call(t, as(a), 'PUT', `/api/collections/${id()}`, { form: { name: 'no rom_ids' } }),
        await call(t, as(a), 'POST', `/api/collections/${id()}/roms`, { json: { rom_ids: [roms[2]] } }),
        await call(t, as(a), 'DELETE', `/api/collections/${id()}/roms`, { json: { rom_ids: [roms[0]] } }),
        await call(t, as(a), 'DELETE', `/api/collections/${id()}`),
      ];
      for (const w of writes) {
        expect(w.status).toBe(expected);
        if (expected === 403) expect(w.body).toEqual({ detail: `Permission denied for collection with id '${id()}'` });
      }
      const after = await call(t, as('owner'), 'GET', `/api/collections/${id()}`);
      expect(after.body).toMatchObject({ name: isPublic ? 'Open' : 'Secret', rom_count: 2 });
    });

    it('the owner may write', async () => {
      const owner = as('owner');
      expect((await call(t, owner, 'POST', `/api/collections/${id()}/roms`, { json: { rom_ids: [roms[2]] } })).body.rom_count).toBe(3);
      expect((await call(t, owner, 'DELETE', `/api/collections/${id()}/roms`, { json: { rom_ids: [roms[2]] } })).body.rom_count).toBe(2);
      expect((await call(t, owner, 'PUT', `/api/collections/${id()}`, { form: { rom_ids: JSON.stringify([roms[0], roms[1]]) } })).status).toBe(200);
    });

    it.each(ACTORS)('ROM details list the collection in user_collections only when readable, as %s', async (a) => {
      const res = await call(t, as(a), 'GET', `/api/roms/${roms[0]}`);
      if (a === 'anonymous') return expect(res.status).toBe(401);
      expect(res.status).toBe(200);
      const listed = res.body.user_collections.some((c: { id: number; is_smart?: boolean }) => c.id === id() && !c.is_smart);
      expect(listed).toBe(readExpect(a, isPublic) === 200);
    });

    it.each(ACTORS)('GET /api/roms and /api/roms/random with collection_id as %s', async (a) => {
      const list = await call(t, as(a), 'GET', `/api/roms?collection_id=${id()}&with_filter_values=false`);
      const random = await call(t, as(a), 'GET', `/api/roms/random?collection_id=${id()}`);
      const expected = readExpect(a, isPublic);
      expect([list.status, random.status]).toEqual([expected, expected]);
      if (expected === 200) expect([...list.body.rom_id_index].sort()).toEqual([roms[0], roms[1]].sort());
      if (expected === 403) expect(list.body).toEqual({ detail: `Permission denied for collection with id '${id()}'` });
    });

    it.each(['other', 'admin'] as Actor[])('bulk download by collection_id as %s only when readable', async (a) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/roms/download?collection_id=${id()}`, headers: { authorization: (users[a] as TestUser).basic } });
      if (isPublic) expect(res.statusCode).not.toBe(403);
      else expect(res.statusCode).not.toBe(200);
    });
  });

  describe.each([true, false])('smart collection, public=%s', (isPublic) => {
    const id = () => (isPublic ? ids.smartPublic : ids.smartPrivate);

    it.each(ACTORS)('GET by id, list and identifiers as %s', async (a) => {
      const res = await call(t, as(a), 'GET', `/api/collections/smart/${id()}`);
      expect(res.status).toBe(readExpect(a, isPublic));
      if (res.status === 403) expect(res.body).toEqual({ detail: `Permission denied for collection with id '${id()}'` });
      if (a === 'anonymous') return;
      const visible = readExpect(a, isPublic) === 200;
      expect((await call(t, as(a), 'GET', '/api/collections/smart')).body.some((c: { id: number }) => c.id === id())).toBe(visible);
      expect((await call(t, as(a), 'GET', '/api/collections/smart/identifiers')).body.includes(id())).toBe(visible);
    });

    it.each(ACTORS)('GET /api/roms and bulk download with smart_collection_id as %s', async (a) => {
      const res = await call(t, as(a), 'GET', `/api/roms?smart_collection_id=${id()}&with_filter_values=false`);
      expect(res.status).toBe(readExpect(a, isPublic));
      const download = await call(t, as(a), 'GET', `/api/roms/download?smart_collection_id=${id()}`);
      if (readExpect(a, isPublic) === 403) expect(download.status).toBe(403);
      if (res.status === 200) expect([...res.body.rom_id_index].sort()).toEqual([roms[0], roms[1]].sort());
    });

    it.each(ACTORS.filter((a) => a !== 'owner'))('every write as %s is refused', async (a) => {
      const put = await call(t, as(a), 'PUT', `/api/collections/smart/${id()}`, { form: { name: 'Pwned', filter_criteria: '{}' } });
      const del = await call(t, as(a), 'DELETE', `/api/collections/smart/${id()}`);
      expect([put.status, del.status]).toEqual([writeExpect(a), writeExpect(a)]);
      expect((await call(t, as('owner'), 'GET', `/api/collections/smart/${id()}`)).body.name).toBe(isPublic ? 'Open smart' : 'Secret smart');
    });
  });

  describe('smart criteria that name a collection', () => {
    it('refuse a private collection of someone else at creation (403), for admins too', async () => {
      for (const a of ['other', 'admin'] as Actor[]) {
        const res = await call(t, as(a), 'POST', '/api/collections/smart', { form: { name: `Peek ${a}`, filter_criteria: JSON.stringify({ collection_id: ids.private }) } });
        expect(res).toEqual({ status: 403, body: { detail: `Permission denied for collection with id '${ids.private}'` } });
      }
      const ok = await call(t, as('other'), 'POST', '/api/collections/smart', { form: { name: 'Peek public', filter_criteria: JSON.stringify({ collection_id: ids.public }) } });
      expect(ok.body.rom_count).toBe(2);
    });

    it('match nothing once the named collection turns private', async () => {
      const other = as('other');
      const owner = as('owner');
      const tmp = (await call(t, owner, 'POST', '/api/collections?is_public=true', { form: { name: 'Soon private' } })).body.id;
      await call(t, owner, 'POST', `/api/collections/${tmp}/roms`, { json: { rom_ids: [roms[2]] } });
      const smart = await call(t, other, 'POST', '/api/collections/smart', { form: { name: 'Follows', filter_criteria: JSON.stringify({ collection_id: tmp }) } });
      expect(smart.body.rom_ids).toEqual([roms[2]]);
      await call(t, owner, 'PUT', `/api/collections/${tmp}?is_public=false`, { form: { rom_ids: JSON.stringify([roms[2]]) } });
      await t.services.collections.smart.refreshSmartCollections();
      const after = await call(t, other, 'GET', `/api/collections/smart/${smart.body.id}`);
      expect(after.body).toMatchObject({ rom_ids: [], rom_count: 0 });
      expect(await t.services.collections.smart.resolveSmartRomIds(other?.user.id ?? null, smart.body.id)).toEqual([]);
      // Live evaluation through the ROM list refuses too, even though the smart collection is the caller's own.
      const live = await call(t, other, 'GET', `/api/roms?smart_collection_id=${smart.body.id}&with_filter_values=false`);
      expect(live).toEqual({ status: 403, body: { detail: `Permission denied for collection with id '${tmp}'` } });
      const ownerView = await call(t, owner, 'GET', `/api/roms?collection_id=${tmp}&with_filter_values=false`);
      expect(ownerView.body.rom_id_index).toEqual([roms[2]]);
    });
  });

  describe('selectors exposed to the ROM list and downloads', () => {
    it('resolveCollectionRomIds enforces the read rule', async () => {
      const svc = t.services.collections.regular;
      await expect(svc.resolveCollectionRomIds(users.other?.user.id ?? null, ids.private)).rejects.toMatchObject({ status: 403 });
      await expect(svc.resolveCollectionRomIds(users.admin?.user.id ?? null, ids.private)).rejects.toMatchObject({ status: 403 });
      await expect(svc.resolveCollectionRomIds(null, ids.private)).rejects.toMatchObject({ status: 403 });
      await expect(svc.resolveCollectionRomIds(null, 987654)).rejects.toMatchObject({ status: 404 });
      expect((await svc.resolveCollectionRomIds(users.other?.user.id ?? null, ids.public)).sort()).toEqual([roms[0], roms[1]].sort());
      expect((await svc.resolveCollectionRomIds(users.owner?.user.id ?? null, ids.private)).length).toBe(2);
    });

    it('resolveSmartFilter enforces the read rule', async () => {
      const svc = t.services.collections.smart;
      await expect(svc.resolveSmartFilter(users.other?.user.id ?? null, ids.smartPrivate)).rejects.toMatchObject({ status: 403 });
      await expect(svc.resolveSmartFilter(users.other?.user.id ?? null, ids.smartPublic)).resolves.toBeTruthy();
    });
  });
});
