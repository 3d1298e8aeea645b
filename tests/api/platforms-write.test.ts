import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

describeEachEngine('platforms API: create, update, delete', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  let editor: TestUser;
  const roms = () => path.join(t.config.libraryPath, 'roms');

  beforeAll(async () => {
    t = await createTestApp(ctx());
    viewer = await createUser(t.services, 'viewer');
    editor = await createUser(t.services, 'editor');
    mkdirSync(path.join(roms(), 'snes'), { recursive: true });
    writeFileSync(path.join(roms(), 'snes', 'Zelda (USA).sfc'), 'zelda');
    writeFileSync(path.join(roms(), 'snes', 'Mario (USA).sfc'), 'mario');
    await t.services.scans.runIfIdle({ type: 'quick' });
  });
  afterAll(async () => t.app.close());

  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, user: TestUser = editor) =>
    t.app.inject({ method, url, payload: payload as object, headers: { authorization: user.basic } });
  const idOf = async (fsSlug: string) => {
    const list = (await t.app.inject({ url: '/api/platforms', headers: { authorization: viewer.basic } })).json<{ id: number; fs_slug: string }[]>();
    const p = list.find((x) => x.fs_slug === fsSlug);
    if (!p) throw new Error(`no platform ${fsSlug}`);
    return p.id;
  };

  it('POST creates the folder and the row the scan would create (201 PlatformSchema)', async () => {
    const res = await send('POST', '/api/platforms', { fs_slug: 'n64' });
    expect(res.statusCode).toBe(201);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      slug: 'n64', fs_slug: 'n64', name: 'Nintendo 64', display_name: 'Nintendo 64', rom_count: 0, fs_size_bytes: 0,
      custom_name: '', description: '', igdb_id: 4, category: 'Console', is_identified: true, missing_from_fs: false,
      firmware: [], firmware_count: 0,
    });
    expect(body.id).toBeGreaterThan(0);
    expect(statSync(path.join(roms(), 'n64')).isDirectory()).toBe(true);
    // It now has a row: /filesystem no longer lists it, /api/platforms does.
    const fs = await t.app.inject({ url: '/api/platforms/filesystem', headers: { authorization: viewer.basic } });
    expect(fs.json()).toEqual([]);
    expect(await idOf('n64')).toBe(body.id);
  });

  it('POST of a folder that exists on disk without a row adopts it', async () => {
    mkdirSync(path.join(roms(), 'megadrive'));
    const res = await send('POST', '/api/platforms', { fs_slug: 'megadrive' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ slug: 'genesis', fs_slug: 'megadrive', name: 'Sega Mega Drive/Genesis' });
  });

  it('POST of a platform that has a row is 409 with RomM\'s message (RomM would insert a duplicate)', async () => {
    const res = await send('POST', '/api/platforms', { fs_slug: 'snes' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ detail: 'Platform snes already exists' });
    const list = (await t.app.inject({ url: '/api/platforms', headers: { authorization: viewer.basic } })).json<{ fs_slug: string }[]>();
    expect(list.filter((p) => p.fs_slug === 'snes')).toHaveLength(1);
  });

  it('POST refuses names that are not one safe folder name, and writes nothing', async () => {
    const before = readdirSync(t.config.libraryPath).sort();
    const beforeRoms = readdirSync(roms()).sort();
    for (const name of ['..', '.', '../escape', 'a/b', 'a\\b', '/abs', '', ' padded', 'nul\u0000x', 'x'.repeat(101)]) {
      const res = await send('POST', '/api/platforms', { fs_slug: name });
      expect(res.statusCode, JSON.stringify(name)).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(/^(Invalid platform folder name '.*'|Platform folder name is longer than 100 characters)$/s);
    }
    expect((await send('POST', '/api/platforms', { fs_slug: '..' })).json()).toEqual({ detail: "Invalid platform folder name '..'" });
    // A folder the scan excludes would never be scanned.
    expect((await send('POST', '/api/platforms', { fs_slug: '@eaDir' })).json()).toEqual({
      detail: "Platform folder '@eaDir' is excluded from scans by the configuration",
    });
    expect(readdirSync(t.config.libraryPath).sort()).toEqual(before);
    expect(readdirSync(roms()).sort()).toEqual(beforeRoms);
    expect(existsSync(path.join(t.config.libraryPath, 'escape'))).toBe(false);
  });

  it('POST: a file in the way is 409; a body without fs_slug is 422', async () => {
    writeFileSync(path.join(roms(), 'not-a-dir'), 'x');
    const res = await send('POST', '/api/platforms', { fs_slug: 'not-a-dir' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ detail: 'Platform not-a-dir already exists and is not a folder' });
    const bad = await send('POST', '/api/platforms', {});
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ detail: { loc: unknown[] }[] }>().detail[0]?.loc).toEqual(['body', 'fs_slug']);
  });

  it('PUT applies non-null fields only; "" clears; limits are 422', async () => {
    const id = await idOf('snes');
    const named = await send('PUT', `/api/platforms/${id}`, { custom_name: 'Super Famicom', description: 'Nintendo, 1990' });
    expect(named.statusCode).toBe(200);
    expect(named.json()).toMatchObject({ id, custom_name: 'Super Famicom', display_name: 'Super Famicom', description: 'Nintendo, 1990', rom_count: 2 });
    const kept = await send('PUT', `/api/platforms/${id}`, { custom_name: null });
    expect(kept.json()).toMatchObject({ custom_name: 'Super Famicom', description: 'Nintendo, 1990' });
    const noBody = await send('PUT', `/api/platforms/${id}`);
    expect(noBody.statusCode, noBody.body).toBe(200);
    expect(noBody.json()).toMatchObject({ custom_name: 'Super Famicom' });
    const cleared = await send('PUT', `/api/platforms/${id}`, { custom_name: '' });
    expect(cleared.json()).toMatchObject({ custom_name: '', display_name: 'Super Nintendo Entertainment System', description: 'Nintendo, 1990' });
    const tooLong = await send('PUT', `/api/platforms/${id}`, { custom_name: 'x'.repeat(401) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json<{ detail: { loc: unknown[] }[] }>().detail[0]?.loc).toEqual(['body', 'custom_name']);
    const missing = await send('PUT', '/api/platforms/999999', { custom_name: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: "Platform with id '999999' not found" });
    expect((await send('PUT', '/api/platforms/0', {})).statusCode).toBe(422);
  });

  it('writes need platforms.write: viewers get 403, anonymous callers 401', async () => {
    const id = await idOf('snes');
    for (const [method, url, payload] of [
      ['POST', '/api/platforms', { fs_slug: 'gba' }], ['PUT', `/api/platforms/${id}`, { custom_name: 'x' }],
      ['DELETE', `/api/platforms/${id}`, undefined],
    ] as const) {
      const denied = await send(method, url, payload, viewer);
      expect(denied.statusCode, `${method} ${url}`).toBe(403);
      expect(denied.json()).toEqual({ detail: 'Forbidden' });
      const anon = await t.app.inject({ method, url, payload });
      expect(anon.statusCode).toBe(401);
    }
    expect(existsSync(path.join(roms(), 'gba'))).toBe(false);
  });

  it('DELETE removes the platform and its ROM rows, never a file; 200 null; then 404', async () => {
    const id = await idOf('snes');
    const res = await send('DELETE', `/api/platforms/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('null');
    const headers = { authorization: viewer.basic };
    expect((await t.app.inject({ url: `/api/platforms/${id}`, headers })).statusCode).toBe(404);
    const left = (await t.app.inject({ url: '/api/roms?limit=50', headers })).json<{ items: { platform_id: number }[] }>();
    expect(left.items.filter((r) => r.platform_id === id)).toEqual([]);
    expect(readdirSync(path.join(roms(), 'snes')).sort()).toEqual(['Mario (USA).sfc', 'Zelda (USA).sfc']);
    const again = await send('DELETE', `/api/platforms/${id}`);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: `Platform with id '${id}' not found` });
    // The folder is still there, so the platform is a filesystem platform again and the next scan brings it back.
    const fs = (await t.app.inject({ url: '/api/platforms/filesystem', headers })).json<{ fs_slug: string }[]>();
    expect(fs.map((p) => p.fs_slug)).toContain('snes');
    await t.services.scans.runIfIdle({ type: 'quick' });
    const back = (await t.app.inject({ url: '/api/platforms', headers })).json<{ fs_slug: string; rom_count: number }[]>();
    expect(back.find((p) => p.fs_slug === 'snes')?.rom_count).toBe(2);
  });
});
