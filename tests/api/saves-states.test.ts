import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

const BASE_KEYS = [
  'id', 'rom_id', 'user_id', 'file_name', 'file_name_no_tags', 'file_name_no_ext', 'file_extension', 'file_path',
  'file_size_bytes', 'full_path', 'download_path', 'missing_from_fs', 'created_at', 'updated_at',
];
const STATE_KEYS = [...BASE_KEYS, 'emulator', 'is_public', 'screenshot'];
const SCREENSHOT_KEYS = [...BASE_KEYS, 'is_gallery', 'is_public'];

interface Asset {
  id: number; file_name: string; file_path: string; full_path: string; file_size_bytes: number; emulator?: string | null;
  is_public: boolean; is_gallery?: boolean; screenshot?: { id: number; file_name: string } | null; download_path: string;
}

function multipart(files: { field: string; filename: string; data: string }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----romshelf-states-test';
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${f.data}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('states, screenshots and DetailedRom assets', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let rom: number;
  let other: number;
  let hiddenRom: number;
  let assets: string;

  const get = (url: string, user: TestUser = alice) => t.app.inject({ url, headers: { authorization: user.basic } });
  const json = (method: 'POST' | 'PUT' | 'DELETE', url: string, body: unknown, user: TestUser = alice) =>
    t.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: { authorization: user.basic } });
  const send = (method: 'POST' | 'PUT', url: string, files: { field: string; filename: string; data: string }[], user: TestUser = alice) => {
    const body = multipart(files);
    return t.app.inject({ method, url, payload: body.payload, headers: { ...body.headers, authorization: user.basic } });
  };
  const romIds = async (query: string, user: TestUser = alice) =>
    (await get(`/api/roms?${query}&limit=100`, user)).json<{ items: { id: number }[] }>().items.map((i) => i.id).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await createTestApp(ctx(), { SAVE_VERSIONS_KEEP: '5' });
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'viewer', 'bob');
    const db = ctx().db.kysely;
    const snes = await createPlatform(db, 'snes');
    rom = await createRom(db, { platformId: snes, fsName: 'Zelda.sfc' });
    other = await createRom(db, { platformId: snes, fsName: 'Mario.sfc' });
    hiddenRom = await createRom(db, { platformId: snes, fsName: 'Secret.sfc' });
    await new PermissionsRepository(db).addHidden('roms', hiddenRom, { userId: alice.user.id }, Date.now());
    assets = path.join(t.config.dataPath, 'assets');
  });
  afterAll(async () => t.app.close());

  it('has_saves / has_states are false before any upload', async () => {
    expect(await romIds('has_saves=true')).toEqual([]);
    expect(await romIds('has_states=true')).toEqual([]);
  });

  it('POST /api/states: StateSchema in order, screenshot paired, emulator move replaces the old file', async () => {
    const res = await send('POST', `/api/states?rom_id=${rom}&emulator=snes9x`, [
      { field: 'stateFile', filename: 'Zelda.state1', data: 'state-a' },
      { field: 'screenshotFile', filename: 'Zelda.state1.png', data: 'png-a' },
    ]);
    expect(res.statusCode).toBe(200);
    const s = res.json<Asset>();
    expect(Object.keys(s)).toEqual(STATE_KEYS);
    const u = Buffer.from(`User:${alice.user.id}`).toString('hex');
    expect(s).toMatchObject({ file_name: 'Zelda.state1', file_path: `users/${u}/states/snes/${rom}/snes9x`, emulator: 'snes9x' });
    expect(s.screenshot?.file_name).toBe('Zelda.state1.png');
    expect(s.download_path.startsWith(`/api/states/${s.id}/content?timestamp=`)).toBe(true);
    // Same name under another emulator: the row moves, the old file goes, the old content is a version.
    const moved = (await send('POST', `/api/states?rom_id=${rom}&emulator=bsnes`, [{ field: 'stateFile', filename: 'Zelda.state1', data: 'state-b' }])).json<Asset>();
    expect(moved.id).toBe(s.id);
    expect(moved.file_path).toBe(`users/${u}/states/snes/${rom}/bsnes`);
    expect(existsSync(path.join(assets, s.full_path))).toBe(false);
    expect(readFileSync(path.join(assets, moved.full_path), 'utf8')).toBe('state-b');
    const versions = (await get(`/api/states/${s.id}/versions`)).json<{ id: number; reason: string }[]>();
    expect(versions.map((v) => v.reason)).toEqual(['overwrite']);
    expect((await get(`/api/states/${s.id}/versions/${versions[0]?.id}/content`)).body).toBe('state-a');
    const restored = await json('POST', `/api/states/${s.id}/versions/${versions[0]?.id}/restore`, {});
    expect(restored.statusCode).toBe(200);
    expect((await get(`/api/states/${s.id}/content`)).body).toBe('state-a');
    // Identical content again: no new version.
    await send('PUT', `/api/states/${s.id}`, [{ field: 'stateFile', filename: 'x', data: 'state-a' }]);
    expect((await get(`/api/states/${s.id}/versions`)).json()).toHaveLength(2);
  });

  it('states: list, identifiers, isolation, hidden ROM, errors, visibility and delete', async () => {
    const list = (await get(`/api/states?rom_id=${rom}`)).json<Asset[]>();
    expect(list).toHaveLength(1);
    const id = list[0]?.id ?? 0;
    expect((await get('/api/states/identifiers')).json()).toEqual([id]);
    expect((await get(`/api/states?rom_id=${rom}`, bob)).json()).toEqual([]);
    expect((await get(`/api/states/${id}`, bob)).json()).toEqual({ detail: `State with ID ${id} not found` });
    expect((await get(`/api/states/${id}/content`, bob)).statusCode).toBe(404);
    expect((await get(`/api/states/${id}/versions`, bob)).statusCode).toBe(404);
    const hidden = await send('POST', `/api/states?rom_id=${hiddenRom}`, [{ field: 'stateFile', filename: 'a.st', data: 'x' }]);
    expect(hidden.json()).toEqual({ detail: `Rom with id '${hiddenRom}' not found` });
    expect((await send('POST', `/api/states?rom_id=${rom}`, [{ field: 'stateFile', filename: '', data: 'x' }])).json())
      .toEqual({ detail: 'State file has no filename' });
    expect((await send('POST', `/api/states?rom_id=${rom}&emulator=..`, [{ field: 'stateFile', filename: 'a', data: 'x' }])).statusCode).toBe(400);
    const pub = await json('PUT', `/api/states/${id}/visibility`, { is_public: true });
    expect(pub.json<Asset>().is_public).toBe(true);
    expect((await get(`/api/states/${id}/content`, bob)).body).toBe('state-a');
    expect((await json('POST', '/api/states/delete', { states: [] })).json()).toEqual({ detail: 'No states were provided' });
    expect((await json('POST', '/api/states/delete', { states: [id] }, bob)).statusCode).toBe(404);
  });

  it('screenshots gallery: extension check, upsert, content, visibility, delete', async () => {
    const bad = await send('POST', `/api/screenshots?rom_id=${rom}`, [{ field: 'screenshotFile', filename: 'x.svg', data: '<svg/>' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ detail: 'Unsupported image file type. Allowed: .avif, .bmp, .gif, .jpeg, .jpg, .png, .tif, .tiff, .webp' });
    const res = await send('POST', `/api/screenshots?rom_id=${rom}`, [{ field: 'screenshotFile', filename: 'Shot 1.PNG', data: 'img' }]);
    expect(res.statusCode).toBe(200);
    const shot = res.json<Asset>();
    expect(Object.keys(shot)).toEqual(SCREENSHOT_KEYS);
    expect(shot).toMatchObject({ file_name: 'Shot 1.PNG', is_gallery: true, is_public: false });
    const content = await get(`/api/screenshots/${shot.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(`/api/screenshots/${shot.id}/content`, bob)).json()).toEqual({ detail: 'Screenshot not found' });
    expect((await json('PUT', `/api/screenshots/${shot.id}`, { is_public: true }, bob)).statusCode).toBe(404);
    expect((await json('PUT', `/api/screenshots/${shot.id}`, { is_public: true })).json<Asset>().is_public).toBe(true);
    expect((await get(`/api/screenshots/${shot.id}/content`, bob)).statusCode).toBe(200);
    expect((await get('/api/screenshots/0/content')).statusCode).toBe(422);
    const del = await json('DELETE', `/api/screenshots/${shot.id}`, undefined);
    expect(del.statusCode).toBe(200);
    expect(del.body).toBe('');
    expect(existsSync(path.join(assets, shot.full_path))).toBe(false);
    expect((await json('DELETE', `/api/screenshots/${shot.id}`, undefined)).statusCode).toBe(404);
  });

  it('DetailedRom carries the caller\'s saves, states and screenshots; has_saves / has_states follow uploads', async () => {
    const save = await send('POST', `/api/saves?rom_id=${other}`, [{ field: 'saveFile', filename: 'Mario.srm', data: 'sv' }]);
    expect(save.statusCode).toBe(200);
    await send('POST', `/api/screenshots?rom_id=${rom}`, [{ field: 'screenshotFile', filename: 'g.jpg', data: 'j' }]);
    const detail = (await get(`/api/roms/${other}`)).json<{ user_saves: Asset[]; user_states: Asset[]; user_screenshots: Asset[] }>();
    expect(detail.user_saves.map((s) => s.file_name)).toEqual(['Mario.srm']);
    expect(detail.user_states).toEqual([]);
    const z = (await get(`/api/roms/${rom}`)).json<{ user_saves: Asset[]; user_states: Asset[]; user_screenshots: Asset[]; all_user_screenshots: Asset[] }>();
    expect(z.user_states.map((s) => s.file_name)).toEqual(['Zelda.state1']);
    expect(Object.keys(z.user_states[0] ?? {})).toEqual(STATE_KEYS);
    expect(z.user_screenshots.map((s) => s.file_name).sort()).toEqual(['Zelda.state1.png', 'g.jpg']);
    expect((await get(`/api/roms/${other}`, bob)).json<{ user_saves: Asset[] }>().user_saves).toEqual([]);
    // all_user_*: own plus other users' public rows, with the owner; screenshots only from the gallery.
    type Shared = Asset & { username: string; user_avatar_path: string; user_updated_at: string };
    const seenByBob = (await get(`/api/roms/${rom}`, bob)).json<{ all_user_states: Shared[]; all_user_screenshots: Shared[]; all_user_saves: Shared[] }>();
    expect(seenByBob.all_user_states.map((s) => [s.file_name, s.username])).toEqual([['Zelda.state1', 'alice']]);
    expect(Object.keys(seenByBob.all_user_states[0] ?? {})).toEqual([...STATE_KEYS, 'username', 'user_avatar_path', 'user_updated_at']);
    expect(seenByBob.all_user_screenshots).toEqual([]);
    expect((await get(`/api/roms/${other}`, bob)).json<{ all_user_saves: Shared[] }>().all_user_saves).toEqual([]);
    expect(z.all_user_screenshots.map((s) => s.file_name)).toEqual(['g.jpg']);
    expect((await get(`/api/roms/${other}`)).json<{ all_user_saves: Shared[] }>().all_user_saves.map((s) => s.username)).toEqual(['alice']);

    expect(await romIds('has_saves=true')).toEqual([other]);
    expect(await romIds('has_states=true')).toEqual([rom]);
    // Bob sees Alice's public state, not her private save.
    expect(await romIds('has_saves=true', bob)).toEqual([]);
    expect(await romIds('has_states=true', bob)).toEqual([rom]);
    const saveId = save.json<Asset>().id;
    await json('POST', '/api/saves/delete', { saves: [saveId] });
    expect(await romIds('has_saves=true')).toEqual([]);
  });

  it('a heartbeat shows the screenshot paired with the player\'s latest save of the ROM (RomM\'s continue-playing image)', async () => {
    const device = (await json('POST', '/api/devices', { name: 'Deck', platform: 'linux', client: 'test' })).json<{ device_id: string }>().device_id;
    const beat = async () => (await json('POST', '/api/activity/heartbeat', { rom_id: other, device_id: device })).json<{ screenshot_path: string }>().screenshot_path;
    expect(await beat()).toBe('');
    const save = (await send('POST', `/api/saves?rom_id=${other}`, [
      { field: 'saveFile', filename: 'Mario Run.srm', data: 'sv1' }, { field: 'screenshotFile', filename: 'Mario Run.png', data: 'png' },
    ])).json<Asset>();
    expect(save.screenshot?.file_name).toBe('Mario Run.png');
    const shot = (await get(`/api/saves/${save.id}`)).json<{ screenshot: { download_path: string } }>().screenshot.download_path;
    expect(shot).toMatch(/^\/api\/screenshots\/\d+\/content/);
    expect(await beat()).toBe(shot);
    // A newer save without a screenshot wins: no image from an older save.
    await new Promise((r) => setTimeout(r, 5));
    await send('POST', `/api/saves?rom_id=${other}`, [{ field: 'saveFile', filename: 'Later.srm', data: 'sv2' }]);
    expect(await beat()).toBe('');
  });
});
