import path from 'node:path';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { scan, writeTree } from './fixtures.ts';

describeEachEngine('scan lock across processes', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  const lockRow = async () =>
    (await sql<{ owner: string | null; heartbeat_at: number }>`select owner, heartbeat_at from scan_lock where id = 1`.execute(ctx().db.kysely)).rows[0];
  const holdLock = (owner: string | null, heartbeatAt: number) =>
    sql`update scan_lock set owner = ${owner}, heartbeat_at = ${heartbeatAt} where id = 1`.execute(ctx().db.kysely);

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    writeTree(t.config.libraryPath, { 'roms/nes/Game (USA).nes': 'nes-bytes' });
  });
  afterAll(async () => {
    await holdLock(null, 0);
    await t.app.close();
  });

  it('refuses a scan while another live process holds the lock, with RomM\'s message and the holder', async () => {
    await holdLock('nas-box:4242:abcd', Date.now());
    await expect(scan(ctx().db, t.config.libraryPath)).rejects.toMatchObject({ status: 409, detail: 'A scan is already in progress (by nas-box pid 4242)' });
    const api = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: admin.basic }, payload: { type: 'quick' } });
    expect(api.statusCode).toBe(409);
    expect(api.json()).toEqual({ detail: 'A scan is already in progress' });
    // The background tick treats it as nothing to do.
    expect(await t.services.scans.runIfIdle({ type: 'quick' })).toBeNull();
  });

  it('takes over a lock whose holder stopped beating (a killed process), and releases it when done', async () => {
    await holdLock('crashed:1:dead', Date.now() - 5 * 60_000);
    const result = await scan(ctx().db, t.config.libraryPath);
    expect(result.stats.new_roms).toBe(1);
    expect((await lockRow())?.owner).toBeNull();
    const again = await scan(ctx().db, path.join(t.config.libraryPath));
    expect(again.stats.new_roms).toBe(0);
    expect((await lockRow())?.owner).toBeNull();
  });
});

describeEachEngine('scan lock left by a killed process on this machine', (ctx) => {
  it('is taken over at once when its process no longer exists', async () => {
    const t = await createTestApp(ctx());
    writeTree(t.config.libraryPath, { 'roms/gb/Game (Japan).gb': 'gb-bytes' });
    // A pid far above any live one on this machine, with a fresh heartbeat.
    await sql`update scan_lock set owner = ${`${hostname()}:4194304:dead`}, heartbeat_at = ${Date.now()} where id = 1`.execute(ctx().db.kysely);
    const result = await scan(ctx().db, t.config.libraryPath);
    expect(result.stats.new_roms).toBe(1);
    await t.app.close();
  });
});
