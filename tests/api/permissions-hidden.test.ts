import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { FakeSearchProvider } from '../helpers/fake-metadata-provider.ts';
import { seedRomLibrary, type SeededLibrary } from '../helpers/rom-fixtures.ts';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';
import { encodeVirtualCollectionId } from '../../src/domain/collections/virtual-id.ts';

/**
 * RomM 5 hide lists, end to end: Alice (a viewer) has the PlayStation platform (so Final Fantasy VII) and Zelda
 * hidden for herself, and Mario (Europe) hidden through her permission group. Every listing leaves them out, every
 * single-ROM route answers exactly like a missing ROM, and the admin Bob still sees everything.
 */
describeEachEngine('hidden platforms and ROMs (RomM 5 permissions)', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let carol: TestUser;
  let ed: TestUser;
  let bob: TestUser;
  let lib: SeededLibrary;
  let r: SeededLibrary['roms'];
  let perms: PermissionsRepository;
  let hiddenIds: number[];
  const igdb = new FakeSearchProvider('igdb', [{ id: 1, name: 'Zelda' }]);

  const get = (url: string, user: TestUser | null = alice) =>
    t.app.inject({ method: 'GET', url, headers: user ? { authorization: user.basic } : {} });
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, body: unknown, user: TestUser = alice) =>
    t.app.inject({ method, url, payload: body as object, headers: { authorization: user.basic } });
  const romMissing = (id: number) => ({ detail: `Rom with id '${id}' not found` });
  const ids = (list: Array<{ id: number }>) => list.map((x) => x.id);

  beforeAll(async () => {
    t = await createTestApp(ctx(), {}, {}, { extraMetadataProviders: [igdb] });
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'admin', 'bob');
    carol = await createUser(t.services, 'viewer', 'carol');
    ed = await createUser(t.services, 'editor', 'ed');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
    r = lib.roms;
    perms = new PermissionsRepository(ctx().db.kysely);
    const now = Date.now();
    await perms.addHidden('platforms', lib.platforms.psx, { userId: alice.user.id }, now);
    await perms.addHidden('roms', r.zelda, { userId: alice.user.id }, now);
    const groupId = alice.user.permission_group_id;
    expect(groupId).not.toBeNull();
    await perms.addHidden('roms', r.marioEur, { groupId: Number(groupId) }, now);
    await perms.addHidden('roms', r.zelda, { userId: ed.user.id }, now);
    await perms.addHidden('platforms', lib.platforms.win, { userId: ed.user.id }, now);
    hiddenIds = [r.ff7, r.zelda, r.marioEur];
    await t.services.collections.smart.refreshSmartCollections();
  });
  afterAll(async () => t.app.close());

  it('GET /api/roms leaves hidden ROMs out of items, totals and every sidecar', async () => {
    const all = (await get('/api/roms?limit=100', bob)).json();
    expect(all.rom_id_index).toEqual(expect.arrayContaining(hiddenIds));
    expect(all.filter_values.platforms).toContain(lib.platforms.psx);
    expect(all.filter_values.genres).toEqual(expect.arrayContaining(['Adventure', 'RPG']));

    const res = await get('/api/roms?limit=100');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    // Alice also hides Doom herself (rom_user.hidden): that one is hers to show with statuses=hidden.
    const expected = all.rom_id_index.filter((id: number) => !hiddenIds.includes(id) && id !== r.doom);
    expect(page.rom_id_index).toEqual(expected);
    expect(ids(page.items)).toEqual(expected);
    expect(page.total).toBe(expected.length);
    // Only Final Fantasy VII sorts under f and Zelda under z: their letters leave the index.
    expect(Object.keys(all.char_index)).toEqual(expect.arrayContaining(['f', 'z']));
    expect(Object.keys(page.char_index)).not.toContain('f');
    expect(Object.keys(page.char_index)).not.toContain('z');
    expect(Math.max(...Object.values(page.char_index as Record<string, number>))).toBeLessThan(expected.length);
    expect(page.filter_values.platforms).toEqual([lib.platforms.gba]);
    expect(page.filter_values.genres).not.toContain('RPG');
    expect(page.filter_values.genres).not.toContain('Adventure');
    expect(page.filter_values.regions).not.toContain('Europe');

    // Without the id index the count and page come from their own queries.
    const counted = (await get('/api/roms?limit=100&with_rom_id_index=false')).json();
    expect(counted.total).toBe(expected.length);
    expect(ids(counted.items)).toEqual(expected);
    // Neither a scope nor `statuses=hidden` brings them back.
    expect((await get(`/api/roms?platform_ids=${lib.platforms.psx}`)).json()).toMatchObject({ total: 0, items: [], rom_id_index: [] });
    const statuses = (await get('/api/roms?statuses=hidden&limit=100')).json();
    expect(statuses.rom_id_index).toEqual([r.doom]);
    const search = (await get('/api/roms?search_term=zelda')).json();
    expect(search.rom_id_index).toEqual([r.zeldaJp]);
    const scoped = (await get(`/api/roms?collection_id=${lib.collections.bobs}&limit=100`)).json();
    expect(scoped.rom_id_index).not.toContain(r.ff7);
    expect(scoped.filter_values.platforms).not.toContain(lib.platforms.psx);
  });

  it('group_by_meta_id picks representatives among visible ROMs only', async () => {
    const grouped = (await get('/api/roms?group_by_meta_id=true&limit=100')).json();
    for (const id of hiddenIds) expect(grouped.rom_id_index).not.toContain(id);
    expect(grouped.rom_id_index).toContain(r.marioUsa);
    expect(grouped.total).toBe(grouped.rom_id_index.length);
    const admin = (await get('/api/roms?group_by_meta_id=true&limit=100', bob)).json();
    expect(admin.rom_id_index).toContain(r.ff7);
  });

  it('identifiers, random, by-hash, by-metadata-provider and sibling lists leave them out', async () => {
    const identifiers = (await get('/api/roms/identifiers')).json();
    for (const id of hiddenIds) expect(identifiers).not.toContain(id);
    expect((await get('/api/roms/identifiers', bob)).json()).toEqual(expect.arrayContaining(hiddenIds));

    for (let i = 0; i < 5; i++) {
      const random = await get(`/api/roms/random?platform_ids=${lib.platforms.psx}`);
      expect(random.statusCode).toBe(200);
      expect(random.json()).toBeNull();
    }
    expect((await get(`/api/roms/random?platform_ids=${lib.platforms.psx}`, bob)).json().id).toBe(r.ff7);

    const byHash = await get('/api/roms/by-hash?crc_hash=11112222');
    expect(byHash.statusCode).toBe(404);
    expect(byHash.json()).toEqual({ detail: 'No ROM or file found with given hash values' });
    expect((await get('/api/roms/by-hash?crc_hash=11112222', bob)).json().id).toBe(r.ff7);
    const byProvider = await get('/api/roms/by-metadata-provider?ss_id=200');
    expect(byProvider.statusCode).toBe(404);
    expect(byProvider.json()).toEqual({ detail: 'ROM not found with given metadata IDs' });
    expect((await get('/api/roms/by-metadata-provider?ss_id=200', bob)).json().id).toBe(r.zelda);

    const siblings = (await get(`/api/roms/${r.marioUsa}`)).json().sibling_roms.map((s: { id: number }) => s.id);
    expect(siblings).toEqual([r.marioBeta]);
    const adminSiblings = (await get(`/api/roms/${r.marioUsa}`, bob)).json().sibling_roms.map((s: { id: number }) => s.id);
    expect(adminSiblings.sort()).toEqual([r.marioEur, r.marioBeta].sort());
  });

  it('every single-ROM route answers a hidden ROM exactly like a missing one', async () => {
    const ff7 = (await get(`/api/roms/${r.ff7}`, bob)).json();
    const ff7File = ff7.files[0].id as number;
    for (const id of hiddenIds) {
      for (const path of [`/api/roms/${id}`, `/api/roms/${id}/simple`, `/api/roms/${id}/notes`, `/api/roms/${id}/notes/identifiers`,
        `/api/roms/${id}/metadata/sources`, `/api/roms/${id}/content/x.zip`]) {
        const res = await get(path);
        expect(res.statusCode, path).toBe(404);
        expect(res.json(), path).toEqual(romMissing(id));
      }
      const props = await send('PUT', `/api/roms/${id}/props`, { rating: 5 });
      expect(props.statusCode).toBe(404);
      expect(props.json()).toEqual(romMissing(id));
      const note = await send('POST', `/api/roms/${id}/notes`, { title: 'mine' });
      expect(note.statusCode).toBe(404);
      expect(note.json()).toEqual(romMissing(id));
    }
    // Nothing was written for the hidden ROMs.
    const rows = await ctx().db.kysely.selectFrom('rom_user').select('rom_id')
      .where('user_id', '=', alice.user.id).where('rom_id', 'in', hiddenIds).where('rating', '=', 5).execute();
    expect(rows).toEqual([]);
    expect(await ctx().db.kysely.selectFrom('rom_notes').select('id').where('title', '=', 'mine').execute()).toEqual([]);

    for (const path of [`/api/roms/${ff7File}/files`, `/api/roms/${ff7File}/files/content/x.bin`]) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json(), path).toEqual({ detail: 'File not found' });
    }
    expect((await get(`/api/roms/${ff7File}/files`, bob)).statusCode).toBe(200);
    // A visible ROM's routes still answer; the admin reaches the hidden ones.
    expect((await get(`/api/roms/${r.marioUsa}/notes`)).statusCode).toBe(200);
    for (const id of hiddenIds) expect((await get(`/api/roms/${id}`, bob)).statusCode).toBe(200);
    // A user who hides nothing but is in the same group loses only the group's hide.
    expect((await get(`/api/roms/${r.zelda}`, carol)).statusCode).toBe(200);
    expect((await get(`/api/roms/${r.marioEur}`, carol)).json()).toEqual(romMissing(r.marioEur));
  });

  it('edits, deletes and the patcher mask hidden ROMs too', async () => {
    const edit = await t.app.inject({
      method: 'PUT', url: `/api/roms/${r.zelda}`, payload: { name: 'x' }, headers: { authorization: ed.basic },
    });
    expect(edit.statusCode).toBe(404);
    expect(edit.json()).toEqual(romMissing(r.zelda));
    expect((await get(`/api/roms/${r.zelda}`, bob)).json().name).not.toBe('x');

    // Ed holds the (roms, delete) grant: the hidden ROM is reported as not found and stays.
    const del = await send('POST', '/api/roms/delete', { roms: [r.zelda], delete_from_fs: [] }, ed);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ successful_items: 0, failed_ids: [r.zelda], errors: [`ROM with ID ${r.zelda} not found`] });
    expect((await get(`/api/roms/${r.zelda}`, bob)).statusCode).toBe(200);

    // Platform writes: a platform hidden from the editor answers like a missing one and is left untouched.
    const win = lib.platforms.win;
    for (const method of ['PUT', 'DELETE'] as const) {
      const res = await send(method, `/api/platforms/${win}`, method === 'PUT' ? { custom_name: 'Mine' } : undefined, ed);
      expect(res.statusCode, method).toBe(404);
      expect(res.json()).toEqual({ detail: `Platform with id '${win}' not found` });
    }
    const winRow = (await get(`/api/platforms/${win}`, bob)).json();
    expect(winRow.custom_name).not.toBe('Mine');
    expect(winRow.rom_count).toBe(1);

    const ff7File = (await get(`/api/roms/${r.ff7}`, bob)).json().files[0].id as number;
    const boundary = 'hidebound';
    const patch = await t.app.inject({
      method: 'POST', url: `/api/roms/${ff7File}/patch`,
      headers: { authorization: alice.basic, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="patch_file_id"\r\n\r\n${ff7File}\r\n--${boundary}--\r\n`,
    });
    expect(patch.statusCode).toBe(404);
    expect(patch.json()).toEqual({ detail: `ROM file with id ${ff7File} not found` });
  });

  it('downloads drop hidden ROMs: by id they are "not found"', async () => {
    for (const q of [`rom_ids=${r.zelda}`, `rom_ids=${r.zelda},${r.ff7}`]) {
      const res = await get(`/api/roms/download?${q}`);
      expect(res.statusCode, q).toBe(404);
      expect(res.json()).toEqual({ detail: 'No ROMs found with the provided IDs' });
    }
    const platform = await get(`/api/roms/download?platform_id=${lib.platforms.psx}`);
    expect(platform.statusCode).toBe(404);
  });

  it('platforms: hidden ones leave the list and identifiers and read as missing', async () => {
    const list = await get('/api/platforms');
    expect(list.statusCode).toBe(200);
    expect(ids(list.json())).not.toContain(lib.platforms.psx);
    expect(ids(list.json()).sort()).toEqual([lib.platforms.gba, lib.platforms.win].sort());
    // rom_count is the platform's own count, as RomM computes it (a column of the platform, not per caller).
    const adminList = (await get('/api/platforms', bob)).json<Array<{ id: number; rom_count: number }>>();
    const gbaCount = adminList.find((p) => p.id === lib.platforms.gba)?.rom_count;
    expect((list.json<Array<{ id: number; rom_count: number }>>()).find((p) => p.id === lib.platforms.gba)?.rom_count).toBe(gbaCount);
    expect(ids(adminList)).toContain(lib.platforms.psx);
    expect((await get('/api/platforms/identifiers')).json()).not.toContain(lib.platforms.psx);
    expect((await get('/api/platforms/identifiers', bob)).json()).toContain(lib.platforms.psx);
    const one = await get(`/api/platforms/${lib.platforms.psx}`);
    expect(one.statusCode).toBe(404);
    expect(one.json()).toEqual({ detail: `Platform with id '${lib.platforms.psx}' not found` });
    expect((await get(`/api/platforms/${lib.platforms.psx}`, bob)).statusCode).toBe(200);
  });

  it('collections of every kind leave hidden ROMs out of rom_ids and rom_count', async () => {
    const bobs = (await get(`/api/collections/${lib.collections.bobs}`)).json();
    expect(bobs.rom_ids.sort()).toEqual([r.doom, r.marioUsa].sort());
    expect(bobs.rom_count).toBe(2);
    expect((await get(`/api/collections/${lib.collections.bobs}`, bob)).json().rom_count).toBe(3);
    const listed = (await get('/api/collections')).json<Array<{ id: number; rom_ids: number[]; rom_count: number }>>();
    const favorites = listed.find((c) => c.id === lib.collections.favorites);
    expect(favorites).toMatchObject({ rom_ids: [r.marioUsa], rom_count: 1 });

    // Adding a hidden ROM is accepted as in RomM; reads keep leaving it out.
    const added = await send('POST', `/api/collections/${lib.collections.favorites}/roms`, { rom_ids: [r.ff7] });
    expect(added.statusCode).toBe(200);
    expect((await get(`/api/collections/${lib.collections.favorites}`)).json()).toMatchObject({ rom_ids: [r.marioUsa], rom_count: 1 });
    await send('DELETE', `/api/collections/${lib.collections.favorites}/roms`, { rom_ids: [r.ff7] });

    // Smart: Alice's RPG collection holds Zelda and FF7, both hidden from her.
    const smart = (await get(`/api/collections/smart/${lib.collections.smartRpg}`)).json();
    expect(smart).toMatchObject({ rom_ids: [], rom_count: 0 });
    const smartList = (await get('/api/collections/smart')).json<Array<{ id: number; rom_ids: number[]; rom_count: number }>>();
    expect(smartList.find((c) => c.id === lib.collections.smartRpg)).toMatchObject({ rom_ids: [], rom_count: 0 });
    const raw = await ctx().db.kysely.selectFrom('smart_collections').select('rom_ids').where('id', '=', lib.collections.smartRpg).executeTakeFirstOrThrow();
    expect((JSON.parse(raw.rom_ids) as number[]).sort()).toEqual([r.zelda, r.ff7].sort());
    expect((await get(`/api/roms?smart_collection_id=${lib.collections.smartRpg}`)).json().total).toBe(0);

    // Virtual: the "Platform" genre holds the three Marios; Mario (Europe) is hidden through Alice's group.
    const platformGenre = encodeVirtualCollectionId('Platform', 'genre');
    const virtual = (await get(`/api/collections/virtual/${encodeURIComponent(platformGenre)}`)).json();
    expect(virtual.rom_ids.sort()).toEqual([r.marioUsa, r.marioBeta].sort());
    expect(virtual.rom_count).toBe(2);
    const virtualList = (await get('/api/collections/virtual?type=genre')).json<Array<{ id: string; rom_ids: number[]; rom_count: number }>>();
    expect(virtualList.find((c) => c.id === platformGenre)).toMatchObject({ rom_count: 2 });
    const adminVirtual = (await get('/api/collections/virtual?type=genre', bob)).json<Array<{ id: string; rom_count: number }>>();
    expect(adminVirtual.find((c) => c.id === platformGenre)?.rom_count).toBe(3);
    expect((await get(`/api/roms?virtual_collection_id=${encodeURIComponent(platformGenre)}`)).json().rom_id_index).not.toContain(r.marioEur);
  });

  it('metadata search and stats treat hidden ROMs as absent', async () => {
    const hidden = await get(`/api/search/roms?rom_id=${r.zelda}&search_term=Zelda`);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toEqual([]);
    const searchesBefore = igdb.searches.length;
    expect((await get(`/api/search/roms?rom_id=${r.zelda}&search_term=Zelda`, bob)).json()).not.toEqual([]);
    expect(igdb.searches.length).toBe(searchesBefore + 1);

    const mine = (await get('/api/stats?include_platform_stats=true')).json();
    const admin = (await get('/api/stats?include_platform_stats=true', bob)).json();
    expect(admin.ROMS).toBe(8);
    expect(admin.PLATFORMS).toBe(3);
    expect(mine.ROMS).toBe(5);
    expect(mine.PLATFORMS).toBe(2);
    expect(mine.TOTAL_FILESIZE_BYTES).toBeLessThan(admin.TOTAL_FILESIZE_BYTES);
    expect(Object.keys(mine.REGION_BREAKDOWN)).not.toContain(String(lib.platforms.psx));
    expect(Object.keys(admin.REGION_BREAKDOWN)).toContain(String(lib.platforms.psx));
  });

  it('unhiding brings them back at once, cached lists included', async () => {
    const before = (await get('/api/roms?limit=100')).json();
    expect(before.rom_id_index).not.toContain(r.zelda);
    await perms.removeHidden('roms', r.zelda, { userId: alice.user.id });
    await perms.removeHidden('platforms', lib.platforms.psx, { userId: alice.user.id });
    const after = (await get('/api/roms?limit=100')).json();
    expect(after.rom_id_index).toContain(r.zelda);
    expect(after.rom_id_index).toContain(r.ff7);
    expect(after.rom_id_index).not.toContain(r.marioEur);
    expect(after.total).toBe(before.total + 2);
    expect(after.filter_values.platforms).toContain(lib.platforms.psx);
    expect((await get('/api/roms/identifiers')).json()).toContain(r.zelda);
    expect((await get(`/api/roms/${r.zelda}`)).statusCode).toBe(200);
    expect(ids((await get('/api/platforms')).json())).toContain(lib.platforms.psx);
    expect((await get(`/api/collections/smart/${lib.collections.smartRpg}`)).json().rom_count).toBe(2);
    // And hiding again takes effect just as fast.
    await perms.addHidden('roms', r.zelda, { userId: alice.user.id }, Date.now());
    expect((await get('/api/roms?limit=100')).json().rom_id_index).not.toContain(r.zelda);
    expect((await get(`/api/roms/${r.zelda}`)).statusCode).toBe(404);
  });
});
