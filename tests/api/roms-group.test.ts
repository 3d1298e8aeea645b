import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { createRom, seedRomLibrary, type SeededLibrary } from '../helpers/rom-fixtures.ts';

describeEachEngine('GET /api/roms?group_by_meta_id: group key, representative, siblings', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let lib: SeededLibrary;
  let r: SeededLibrary['roms'];
  const get = async (query: string, user: TestUser = alice) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms?${query}`, headers: { authorization: user.basic } });
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

  it('keeps one ROM per group: full release first, then region priority', async () => {
    const body = await get('group_by_meta_id=true');
    expect(body.items.map((i: { id: number }) => i.id)).toEqual([r.percent, r.ff7, r.zeldaJp, r.marioUsa, r.zelda]);
    expect(body.total).toBe(5);
    expect(body.rom_id_index).toEqual([r.percent, r.ff7, r.zeldaJp, r.marioUsa, r.zelda]);
    expect(body.char_index).toEqual({ 0: 0, f: 1, l: 2, s: 3, z: 4 });
    // The representative's siblings are the rest of its group.
    const mario = body.items.find((i: { id: number }) => i.id === r.marioUsa);
    expect(mario.sibling_roms.map((s: { id: number }) => s.id).sort()).toEqual([r.marioEur, r.marioBeta].sort());
  });

  it('prefers the caller’s main sibling, even a pre-release', async () => {
    expect(await ids('group_by_meta_id=true', bob)).toEqual([r.percent, r.doom, r.ff7, r.zeldaJp, r.marioBeta, r.zelda]);
    const mario = (await get(`platform_ids=${lib.platforms.gba}&search_term=advance&order_by=id`, bob)).items[0];
    expect(mario.id).toBe(r.marioUsa);
    expect(mario.sibling_roms.find((s: { id: number }) => s.id === r.marioBeta).is_main_sibling).toBe(true);
    expect(mario.sibling_roms.find((s: { id: number }) => s.id === r.marioEur).is_main_sibling).toBe(false);
  });

  it('picks the best member among the ROMs that match the other filters', async () => {
    expect(await ids('group_by_meta_id=true&regions=Europe')).toEqual([r.marioEur]);
    expect(await ids('group_by_meta_id=true&tags=Beta')).toEqual([r.marioBeta]);
    expect(await ids('group_by_meta_id=true&with_rom_id_index=false&limit=2&offset=3')).toEqual([r.marioUsa, r.zelda]);
    expect((await get('group_by_meta_id=true&with_rom_id_index=false')).total).toBe(5);
  });

  it('uses the provider priority key: igdb beats ss, and platforms never merge', async () => {
    const db = ctx().db.kysely;
    const gba = lib.platforms.gba;
    const a = await createRom(db, { platformId: gba, fsPath: 'roms/gba', fsName: 'Key Test (USA).gba', ids: { ss_id: 900 } });
    const b = await createRom(db, { platformId: gba, fsPath: 'roms/gba', fsName: 'Key Test (Europe).gba', ids: { ss_id: 900, igdb_id: 901 } });
    const c = await createRom(db, { platformId: lib.platforms.psx, fsPath: 'roms/psx', fsName: 'Key Test (Japan).bin', ids: { ss_id: 900 } });
    // a and b are siblings (shared ss_id) yet land in different groups (b's key is its igdb id).
    expect(await ids('group_by_meta_id=true&search_term=key%20test&order_by=id')).toEqual([a, b, c]);
    const body = await get('search_term=key%20test&order_by=id');
    expect(body.items[0].sibling_roms.map((s: { id: number }) => s.id)).toEqual([b]);
    expect(body.items[2].sibling_roms).toEqual([]);
    await db.deleteFrom('roms').where('id', 'in', [a, b, c]).execute();
  });
});
