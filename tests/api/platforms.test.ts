import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';

describeEachEngine('platforms API', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    viewer = await createUser(t.services, 'viewer');
    const dir = path.join(t.config.libraryPath, 'roms', 'megadrive');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'Sonic (USA).md'), 'sonic');
    writeFileSync(path.join(dir, 'Streets of Rage (Europe).md'), 'sor!');
    mkdirSync(path.join(t.config.libraryPath, 'roms', 'homebrew-box'), { recursive: true });
    await t.services.scans.runIfIdle({ type: 'quick' });
  });

  it('lists platforms in RomM PlatformSchema shape with counts and sizes', async () => {
    const res = await t.app.inject({ url: '/api/platforms', headers: { authorization: viewer.basic } });
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>[]>();
    const md = body.find((p) => p.fs_slug === 'megadrive');
    expect(md).toMatchObject({
      slug: 'genesis', name: 'Sega Mega Drive/Genesis', display_name: 'Sega Mega Drive/Genesis', rom_count: 2,
      fs_size_bytes: 9, missing_from_fs: false, is_identified: true, is_unidentified: false, firmware: [],
      firmware_count: 0, custom_name: '', category: 'Console',
    });
    expect(typeof md?.created_at).toBe('string');
    const hb = body.find((p) => p.fs_slug === 'homebrew-box');
    expect(hb).toMatchObject({ name: 'Homebrew Box', rom_count: 0, fs_size_bytes: 0, is_identified: false });
  });

  it('identifiers, one platform, 404 and updated_after', async () => {
    const headers = { authorization: viewer.basic };
    const ids = (await t.app.inject({ url: '/api/platforms/identifiers', headers })).json<number[]>();
    expect(ids.length).toBe(2);
    const one = await t.app.inject({ url: `/api/platforms/${ids[0]}`, headers });
    expect(one.statusCode).toBe(200);
    const missing = await t.app.inject({ url: '/api/platforms/999999', headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: "Platform with id '999999' not found" });
    const future = await t.app.inject({ url: '/api/platforms?updated_after=2999-01-01T00:00:00Z', headers });
    expect(future.json()).toEqual([]);
    const past = await t.app.inject({ url: '/api/platforms?updated_after=2000-01-01T00:00:00%2B00:00', headers });
    expect(past.json<unknown[]>()).toHaveLength(2);
    const bad = await t.app.inject({ url: '/api/platforms?updated_after=yesterday', headers });
    expect(bad.statusCode).toBe(422);
  });

  it('needs platforms.read', async () => {
    expect((await t.app.inject({ url: '/api/platforms' })).statusCode).toBe(401);
  });
});
