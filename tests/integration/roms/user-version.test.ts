import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { createPlatform, createRom } from '../../helpers/rom-fixtures.ts';

describeEachEngine('gallery cache versions', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let romId: number;

  const libraryVersion = async () =>
    Number((await sql<{ version: number }>`select version from library_version where id = 1`.execute(ctx().db.kysely)).rows[0]?.version);
  const userVersion = async (userId: number) =>
    Number((await sql<{ version: number }>`select version from rom_user_version where user_id = ${userId}`.execute(ctx().db.kysely)).rows[0]?.version ?? 0);

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer');
    bob = await createUser(t.services, 'viewer');
    const platform = await createPlatform(ctx().db.kysely, 'snes');
    romId = await createRom(ctx().db.kysely, { platformId: platform, fsName: 'Game (USA).sfc', fsPath: 'roms/snes', size: 10 });
  });
  afterAll(async () => t.app.close());

  it('per-user props bump only that user\'s version, never the library version', async () => {
    const lib = await libraryVersion();
    const props = (user: TestUser, body: object) =>
      t.app.inject({ method: 'PUT', url: `/api/roms/${romId}/props`, headers: { authorization: user.basic }, payload: body });
    expect((await props(alice, { hidden: true })).statusCode).toBe(200);
    expect((await props(alice, { rating: 7 })).statusCode).toBe(200);
    expect(await userVersion(alice.user.id)).toBeGreaterThanOrEqual(2);
    expect(await userVersion(bob.user.id)).toBe(0);
    expect(await libraryVersion()).toBe(lib);

    await ctx().db.kysely.deleteFrom('rom_user').where('user_id', '=', alice.user.id).execute();
    expect(await userVersion(alice.user.id)).toBeGreaterThanOrEqual(3);
    expect(await libraryVersion()).toBe(lib);
  });

  it('a user sees their own prop change at once while others keep their cached index', async () => {
    const list = (user: TestUser) =>
      t.app.inject({ method: 'GET', url: '/api/roms?limit=10', headers: { authorization: user.basic } });
    expect((await list(alice)).json().total).toBe(1);
    expect((await list(bob)).json().total).toBe(1);
    await t.app.inject({ method: 'PUT', url: `/api/roms/${romId}/props`, headers: { authorization: alice.basic }, payload: { hidden: true } });
    expect((await list(alice)).json().total).toBe(0);
    expect((await list(bob)).json().total).toBe(1);
    // A library write still reaches everyone.
    await ctx().db.kysely.updateTable('roms').set({ name: 'Renamed', updated_at: Date.now() }).where('id', '=', romId).execute();
    expect((await list(bob)).json().items[0].name).toBe('Renamed');
  });
});
