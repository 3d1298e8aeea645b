import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { tinyZip } from '../helpers/tiny-zip.ts';

const BASE_KEYS = [
  'id', 'rom_id', 'user_id', 'file_name', 'file_name_no_tags', 'file_name_no_ext', 'file_extension', 'file_path',
  'file_size_bytes', 'full_path', 'download_path', 'missing_from_fs', 'created_at', 'updated_at',
];
const SAVE_KEYS = [...BASE_KEYS, 'emulator', 'slot', 'content_hash', 'is_public', 'screenshot', 'origin_device_id', 'device_syncs'];
const SCREENSHOT_KEYS = [...BASE_KEYS, 'is_gallery', 'is_public'];

interface Save {
  id: number; rom_id: number; user_id: number; file_name: string; file_path: string; full_path: string; download_path: string;
  file_size_bytes: number; content_hash: string | null; slot: string | null; emulator: string | null; is_public: boolean;
  updated_at: string; screenshot: { id: number; file_name: string; is_public: boolean } | null; origin_device_id: string | null;
  device_syncs: { device_id: string; is_current: boolean; is_untracked: boolean }[];
}
interface Version { id: number; asset_id: number; reason: string; file_size_bytes: number; content_hash: string | null }

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

function multipart(files: { field: string; filename: string; data: string | Buffer }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----romshelf-saves-test';
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    chunks.push(Buffer.from(f.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('saves routes', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let gba: number;
  let rom: number;
  let rom2: number;
  let hiddenRom: number;
  let assets: string;

  const auth = (user: TestUser | string) => ({ authorization: typeof user === 'string' ? `Bearer ${user}` : user.basic });
  const get = (url: string, user: TestUser | string = alice, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { ...auth(user), ...headers } });
  const json = (method: 'POST' | 'PUT', url: string, body: unknown, user: TestUser | string = alice) =>
    t.app.inject({ method, url, payload: body as object, headers: auth(user) });
  const upload = (query: string, data: string | Buffer, opts: { name?: string; user?: TestUser | string; shot?: { name: string; data: string }; method?: 'POST' | 'PUT'; url?: string } = {}) => {
    const files = [{ field: 'saveFile', filename: opts.name ?? 'Game.srm', data }];
    if (opts.shot) files.push({ field: 'screenshotFile', filename: opts.shot.name, data: opts.shot.data });
    const body = multipart(files);
    return t.app.inject({
      method: opts.method ?? 'POST', url: opts.url ?? `/api/saves?${query}`, payload: body.payload,
      headers: { ...body.headers, ...auth(opts.user ?? alice) },
    });
  };
  const token = async (user: TestUser, scopes: string[]) => {
    const res = await json('POST', '/api/client-tokens', { name: `t${Math.random()}`, scopes }, user);
    expect(res.statusCode).toBeLessThan(300);
    return res.json<{ raw_token: string }>().raw_token;
  };
  const device = async (user: TestUser, name = 'handheld') => {
    const res = await json('POST', '/api/devices', { name, allow_duplicate: true }, user);
    return res.json<{ device_id: string }>().device_id;
  };
  const versions = async (id: number, user: TestUser = alice) => (await get(`/api/saves/${id}/versions`, user)).json<Version[]>();

  beforeAll(async () => {
    t = await createTestApp(ctx(), {
      MAX_ASSET_UPLOAD_SIZE_BYTES: '4096', SAVE_VERSIONS_KEEP: '3', USER_STORAGE_QUOTA_BYTES: '0',
    });
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'viewer', 'bob');
    admin = await createUser(t.services, 'admin', 'root');
    const db = ctx().db.kysely;
    gba = await createPlatform(db, 'gba');
    rom = await createRom(db, { platformId: gba, fsName: 'Game (USA).gba' });
    rom2 = await createRom(db, { platformId: gba, fsName: 'Other.gba' });
    hiddenRom = await createRom(db, { platformId: gba, fsName: 'Hidden.gba' });
    await new PermissionsRepository(db).addHidden('roms', hiddenRom, { userId: alice.user.id }, Date.now());
    assets = path.join(t.config.dataPath, 'assets');
  });
  afterAll(async () => t.app.close());

  it('POST /api/saves stores the file in RomM\'s layout and answers SaveSchema in field order', async () => {
    const res = await upload(`rom_id=${rom}&emulator=mgba`, 'save-one', { shot: { name: 'Game.srm.png', data: 'png' } });
    expect(res.statusCode).toBe(200);
    const s = res.json<Save>();
    expect(Object.keys(s)).toEqual(SAVE_KEYS);
    const u = Buffer.from(`User:${alice.user.id}`).toString('hex');
    expect(s).toMatchObject({
      rom_id: rom, user_id: alice.user.id, file_name: 'Game.srm', file_path: `users/${u}/saves/gba/${rom}/mgba`,
      full_path: `users/${u}/saves/gba/${rom}/mgba/Game.srm`, file_size_bytes: 8, content_hash: md5('save-one'),
      emulator: 'mgba', slot: null, is_public: false, origin_device_id: null, device_syncs: [],
    });
    expect(s.download_path).toMatch(new RegExp(`^/api/saves/${s.id}/content\\?timestamp=\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00$`));
    expect(Object.keys(s.screenshot ?? {})).toEqual(SCREENSHOT_KEYS);
    expect(s.screenshot?.file_name).toBe('Game.srm.png');
    expect(readFileSync(path.join(assets, s.full_path), 'utf8')).toBe('save-one');
    // No temporary files left next to it.
    expect(readdirSync(path.join(assets, s.file_path))).toEqual(['Game.srm']);
  });

  it('lists, identifiers, GET one and summary are the caller\'s own', async () => {
    const mine = (await get(`/api/saves?rom_id=${rom}`)).json<Save[]>();
    expect(mine.map((s) => s.file_name)).toEqual(['Game.srm']);
    expect((await get('/api/saves?platform_id=' + gba)).json<Save[]>()).toHaveLength(1);
    expect((await get('/api/saves?rom_id=0')).json<Save[]>()).toHaveLength(1);
    expect((await get(`/api/saves?rom_id=${rom}`, bob)).json()).toEqual([]);
    expect((await get(`/api/saves?rom_id=${rom}`, admin)).json()).toEqual([]);
    expect((await get('/api/saves/identifiers')).json()).toEqual([mine[0]?.id]);
    const one = await get(`/api/saves/${mine[0]?.id}`);
    expect(Object.keys(one.json())).toEqual(SAVE_KEYS);
    const other = await get(`/api/saves/${mine[0]?.id}`, bob);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual({ detail: `Save with ID ${mine[0]?.id} not found` });
    const summary = (await get(`/api/saves/summary?rom_id=${rom}`)).json<{ total_count: number; slots: { slot: string | null; count: number; latest: Save }[] }>();
    expect(summary.total_count).toBe(1);
    expect(summary.slots[0]).toMatchObject({ slot: null, count: 1 });
    expect(Object.keys(summary.slots[0]?.latest ?? {})).toEqual(SAVE_KEYS);
  });

  it('content: Range, owner only unless public, hidden ROM 404', async () => {
    const [s] = (await get(`/api/saves?rom_id=${rom}`)).json<Save[]>();
    const id = s?.id ?? 0;
    const full = await get(s?.download_path ?? '');
    expect(full.statusCode).toBe(200);
    expect(full.body).toBe('save-one');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['content-disposition']).toContain('Game.srm');
    const part = await get(`/api/saves/${id}/content`, alice, { range: 'bytes=2-4' });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('ve-');
    expect(part.headers['content-range']).toBe('bytes 2-4/8');
    expect((await get(`/api/saves/${id}/content`, alice, { range: 'bytes=100-' })).statusCode).toBe(416);
    expect((await get(`/api/saves/${id}/content`, bob)).statusCode).toBe(404);
    const vis = await json('PUT', `/api/saves/${id}/visibility`, { is_public: true });
    expect(vis.json<Save>()).toMatchObject({ is_public: true, screenshot: { is_public: true } });
    expect((await json('PUT', `/api/saves/${id}/visibility`, { is_public: true }, bob)).statusCode).toBe(404);
    expect((await get(`/api/saves/${id}/content`, bob)).body).toBe('save-one');
    await json('PUT', `/api/saves/${id}/visibility`, { is_public: false });
    expect((await get(`/api/saves/${id}/content`, bob)).statusCode).toBe(404);
  });

  it('scopes: assets.read cannot upload; a device id needs devices.* scopes', async () => {
    const readOnly = await token(alice, ['assets.read']);
    expect((await get(`/api/saves?rom_id=${rom}`, readOnly)).statusCode).toBe(200);
    expect((await upload(`rom_id=${rom}`, 'x', { user: readOnly })).statusCode).toBe(403);
    const dev = await device(alice);
    const res = await get(`/api/saves?rom_id=${rom}&device_id=${dev}`, readOnly);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Forbidden' });
    expect((await get(`/api/saves?device_id=${dev}`, bob)).json()).toEqual({ detail: `Device with ID ${dev} not found` });
    expect((await t.app.inject({ url: '/api/saves' })).statusCode).toBe(401);
  });

  it('errors: unknown and hidden ROM, missing file, bad names, path traversal', async () => {
    expect((await upload('rom_id=999999', 'x')).json()).toEqual({ detail: "Rom with id '999999' not found" });
    const hidden = await upload(`rom_id=${hiddenRom}`, 'x');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual({ detail: `Rom with id '${hiddenRom}' not found` });
    expect((await upload(`rom_id=${rom}`, 'x', { name: '' })).json()).toEqual({ detail: 'Save file has no filename' });
    expect((await upload(`rom_id=${rom}`, 'x', { name: '..' })).statusCode).toBe(400);
    expect((await upload(`rom_id=${rom}`, 'x', { name: '*?<>' })).json()).toEqual({ detail: 'Invalid save filename: Filename cannot be empty after sanitization' });
    const trav = await upload(`rom_id=${rom2}`, 'trav', { name: '../../../etc/evil.srm' });
    expect(trav.statusCode).toBe(200);
    expect(trav.json<Save>().file_name).toBe('evil.srm');
    expect(existsSync(path.join(assets, trav.json<Save>().full_path))).toBe(true);
    const back = await upload(`rom_id=${rom2}`, 'trav', { name: '..\\..\\x:y|z.srm' });
    expect(back.json<Save>().file_name).not.toMatch(/[\\/:|]/);
    expect(existsSync(path.join(assets, back.json<Save>().full_path))).toBe(true);
    expect(readdirSync(path.join(assets, 'users'))).toHaveLength(1);
    const long = await upload(`rom_id=${rom2}&slot=s`, 'x', { name: `${'n'.repeat(240)}.srm` });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ detail: string }>().detail).toBe('Invalid save filename: Filename is longer than 255 bytes');
    const emu = await upload(`rom_id=${rom2}&emulator=..`, 'x');
    expect(emu.statusCode).toBe(400);
    expect((await upload(`rom_id=${rom2}&emulator=a/b`, 'x')).statusCode).toBe(400);
    const noFile = multipart([{ field: 'other', filename: 'a', data: 'x' }]);
    const res = await t.app.inject({ method: 'POST', url: `/api/saves?rom_id=${rom}`, payload: noFile.payload, headers: { ...noFile.headers, ...auth(alice) } });
    expect(res.statusCode).toBe(422);
    expect((await get('/api/saves/abc')).statusCode).toBe(422);
    await json('POST', '/api/saves/delete', { saves: [trav.json<Save>().id, back.json<Save>().id] });
  });

  it('size limits answer 413 by Content-Length and by streamed size; bad Content-Length 400', async () => {
    const big = await upload(`rom_id=${rom2}`, Buffer.alloc(5000, 1));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ detail: 'Request body exceeds the maximum allowed size of 4096 bytes' });
    const body = multipart([{ field: 'saveFile', filename: 'big.srm', data: Buffer.alloc(5000, 1) }]);
    const chunked = await t.app.inject({
      method: 'POST', url: `/api/saves?rom_id=${rom2}`, payload: body.payload,
      headers: { ...body.headers, ...auth(alice), 'content-length': '100' },
    });
    // The declared length is small: the limit is enforced again while the file streams.
    const bad = await t.app.inject({ method: 'POST', url: `/api/saves?rom_id=${rom2}`, payload: 'x', headers: { ...auth(alice), 'content-length': 'abc' } }).catch((e: unknown) => e);
    expect((bad as { json: () => unknown }).json()).toEqual({ detail: 'Invalid Content-Length header' });
    expect(chunked?.json()).toEqual({ detail: 'Save file exceeds the maximum allowed size of 4096 bytes' });
    expect((await get(`/api/saves?rom_id=${rom2}`)).json()).toEqual([]);
    const folder = path.join(assets, 'users', Buffer.from(`User:${alice.user.id}`).toString('hex'), 'saves', 'gba', String(rom2));
    expect(readdirSync(folder).filter((f) => f.startsWith('.romm_tmp'))).toEqual([]);
  });

  it('overwrites keep versions; identical re-upload adds none; restore and retention', async () => {
    const first = (await upload(`rom_id=${rom2}`, 'v1', { name: 'Other.srm' })).json<Save>();
    expect(await versions(first.id)).toEqual([]);
    const same = (await upload(`rom_id=${rom2}`, 'v1', { name: 'Other.srm' })).json<Save>();
    expect(same.id).toBe(first.id);
    expect(await versions(first.id)).toEqual([]);
    await upload(`rom_id=${rom2}`, 'v2', { name: 'Other.srm' });
    const vs = await versions(first.id);
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchObject({ asset_id: first.id, reason: 'overwrite', file_size_bytes: 2, content_hash: md5('v1') });
    const old = await get(`/api/saves/${first.id}/versions/${vs[0]?.id}/content`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toBe('v1');
    expect((await get(`/api/saves/${first.id}/versions`, bob)).statusCode).toBe(404);
    expect((await get(`/api/saves/${first.id}/versions/${vs[0]?.id}/content`, bob)).statusCode).toBe(404);

    const restored = await json('POST', `/api/saves/${first.id}/versions/${vs[0]?.id}/restore`, {});
    expect(restored.statusCode).toBe(200);
    expect(restored.json<Save>()).toMatchObject({ id: first.id, content_hash: md5('v1'), file_size_bytes: 2 });
    expect((await get(`/api/saves/${first.id}/content`)).body).toBe('v1');
    expect((await versions(first.id)).map((v) => v.reason)).toEqual(['restore', 'overwrite']);
    expect((await json('POST', `/api/saves/${first.id}/versions/${vs[0]?.id}/restore`, {}, bob)).statusCode).toBe(404);

    // PUT overwrites in place; retention keeps the newest 3.
    for (const data of ['p1', 'p2', 'p3', 'p4']) {
      const put = await upload('', data, { method: 'PUT', url: `/api/saves/${first.id}`, name: 'ignored.bin' });
      expect(put.statusCode).toBe(200);
      expect(put.json<Save>().file_name).toBe('Other.srm');
    }
    const kept = await versions(first.id);
    expect(kept).toHaveLength(3);
    expect(kept.map((v) => v.content_hash)).toEqual([md5('p3'), md5('p2'), md5('p1')]);
    const dir = path.join(assets, 'versions', Buffer.from(`User:${alice.user.id}`).toString('hex'), 'saves', String(first.id));
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it('concurrent uploads of one name keep every content: one row, the other as a version', async () => {
    const results = await Promise.all(['race-1', 'race-2', 'race-3'].map((data) => upload(`rom_id=${rom2}`, data, { name: 'Race.srm' })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const ids = new Set(results.map((r) => r.json<Save>().id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const current = (await get(`/api/saves/${id}/content`)).body;
    const kept = await Promise.all((await versions(id ?? 0)).map(async (v) => (await get(`/api/saves/${id}/versions/${v.id}/content`)).body));
    expect([current, ...kept].sort()).toEqual(['race-1', 'race-2', 'race-3']);
    await json('POST', '/api/saves/delete', { saves: [id] });
  });

  it('a deleted save keeps its content as a version and can be restored under its id', async () => {
    const s = (await upload(`rom_id=${rom2}`, 'precious', { name: 'Keep.srm' })).json<Save>();
    expect((await json('POST', '/api/saves/delete', { saves: [] })).json()).toEqual({ detail: 'No saves were provided' });
    expect((await json('POST', '/api/saves/delete', { saves: [s.id] }, bob)).statusCode).toBe(404);
    const del = await json('POST', '/api/saves/delete', { saves: [s.id] });
    expect(del.json()).toEqual([s.id]);
    expect((await get(`/api/saves/${s.id}`)).statusCode).toBe(404);
    expect(existsSync(path.join(assets, s.full_path))).toBe(false);
    const [v] = await versions(s.id);
    expect(v).toMatchObject({ reason: 'delete', content_hash: md5('precious') });
    const back = await json('POST', `/api/saves/${s.id}/versions/${v?.id}/restore`, {});
    expect(back.statusCode).toBe(200);
    expect(back.json<Save>()).toMatchObject({ id: s.id, file_name: 'Keep.srm', file_path: s.file_path });
    expect((await get(`/api/saves/${s.id}/content`)).body).toBe('precious');
  });

  it('slots: datetime-tagged names, dedupe by hash, conflict guard, device syncs, autocleanup', async () => {
    const dev = await device(alice, 'grout');
    const first = await upload(`rom_id=${rom}&slot=autosave&device_id=${dev}&emulator=mgba`, 'slot-a', { name: 'Game.srm' });
    expect(first.statusCode).toBe(200);
    const a = first.json<Save>();
    expect(a.file_name).toMatch(/^Game \[\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\]\.srm$/);
    expect(a).toMatchObject({ slot: 'autosave', origin_device_id: dev });
    expect(a.device_syncs).toEqual([expect.objectContaining({ device_id: dev, is_current: true, is_untracked: false })]);
    // Same content in the slot: the existing save comes back.
    const dup = await upload(`rom_id=${rom}&slot=autosave&device_id=${dev}`, 'slot-a', { name: 'Game.srm' });
    expect(dup.json<Save>().id).toBe(a.id);
    // Another device that never synced the slot is refused.
    const dev2 = await device(alice, 'phone');
    const c = await upload(`rom_id=${rom}&slot=autosave&device_id=${dev2}`, 'slot-b', { name: 'Game.srm' });
    expect(c.statusCode).toBe(409);
    expect(c.json()).toEqual({ detail: 'Slot has a newer save since your last sync' });
    const forced = await upload(`rom_id=${rom}&slot=autosave&device_id=${dev2}&overwrite=true`, 'slot-b', { name: 'Game2.srm' });
    expect(forced.statusCode).toBe(200);
    expect(forced.json<Save>().id).not.toBe(a.id);
    const withDev = (await get(`/api/saves/${a.id}?device_id=${dev2}`)).json<Save>();
    expect(withDev.device_syncs[0]).toMatchObject({ device_id: dev2, is_current: false });
    expect((await json('POST', `/api/saves/${a.id}/downloaded`, { device_id: dev2 })).json<Save>().device_syncs[0])
      .toMatchObject({ device_id: dev2, is_current: true });
    expect((await json('POST', `/api/saves/${a.id}/untrack`, { device_id: dev2 })).json<Save>().device_syncs[0])
      .toMatchObject({ device_id: dev2, is_untracked: true });
    expect((await json('POST', `/api/saves/${a.id}/track`, { device_id: dev2 })).json<Save>().device_syncs[0])
      .toMatchObject({ device_id: dev2, is_untracked: false });
    expect((await json('POST', `/api/saves/${a.id}/track`, { device_id: 'nope' })).json()).toEqual({ detail: 'Device with ID nope not found' });
    // Re-registering the device with reset_syncs forgets its marks: it is back to the placeholder.
    await json('PUT', `/api/devices/${dev2}`, { mac_address: 'aa:bb:cc:dd:ee:ff' });
    const again = await json('POST', '/api/devices', { mac_address: 'aa:bb:cc:dd:ee:ff', reset_syncs: true });
    expect(again.json<{ device_id: string }>().device_id).toBe(dev2);
    expect((await get(`/api/saves/${a.id}?device_id=${dev2}`)).json<Save>().device_syncs[0]).toMatchObject({ device_id: dev2, is_current: false });
    const slotted = (await get(`/api/saves?rom_id=${rom}&slot=autosave`)).json<Save[]>();
    expect(slotted.length).toBeGreaterThanOrEqual(1);
    const summary = (await get(`/api/saves/summary?rom_id=${rom}`)).json<{ total_count: number; slots: { slot: string | null }[] }>();
    expect(summary.slots.map((g) => g.slot).sort()).toEqual(['autosave', null].sort());
    // autocleanup keeps the newest `autocleanup_limit` saves of the slot (older ones become versions).
    await upload(`rom_id=${rom}&slot=autosave&device_id=${dev2}&overwrite=true&autocleanup=true&autocleanup_limit=1`, 'slot-c', { name: 'Other name.srm' });
    const left = (await get(`/api/saves?rom_id=${rom}&slot=autosave`)).json<Save[]>();
    expect(left).toHaveLength(1);
    expect(left[0]?.content_hash).toBe(md5('slot-c'));
    expect((await versions(a.id)).map((v) => v.reason)).toContain('delete');
  });

  it('a ROM hidden after upload hides its saves everywhere (404, left out of lists)', async () => {
    const db = ctx().db.kysely;
    const later = await createRom(db, { platformId: gba, fsName: 'Later.gba' });
    const s = (await upload(`rom_id=${later}`, 'later', { name: 'Later.srm' })).json<Save>();
    const head = await t.app.inject({ method: 'HEAD', url: `/api/saves/${s.id}/content`, headers: auth(alice) });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('5');
    expect(head.body).toBe('');
    await new PermissionsRepository(db).addHidden('roms', later, { userId: alice.user.id }, Date.now());
    const missing = { detail: `Save with ID ${s.id} not found` };
    expect((await get(`/api/saves/${s.id}`)).json()).toEqual(missing);
    expect((await get(`/api/saves/${s.id}/content`)).json()).toEqual(missing);
    expect((await get(`/api/saves/${s.id}/versions`)).json()).toEqual(missing);
    expect((await json('PUT', `/api/saves/${s.id}/visibility`, { is_public: true })).json()).toEqual(missing);
    expect((await get('/api/saves')).json<Save[]>().map((x) => x.id)).not.toContain(s.id);
    expect((await get('/api/saves/identifiers')).json<number[]>()).not.toContain(s.id);
    expect((await get(`/api/saves/summary?rom_id=${later}`)).json()).toEqual({ detail: `Rom with id '${later}' not found` });
  });

  it('content_hash of a zip hashes its entries by name', async () => {
    const zip = tinyZip({ 'b.sav': 'bee', 'a.sav': 'ay' });
    const s = (await upload(`rom_id=${rom2}`, zip, { name: 'Pack.zip' })).json<Save>();
    expect(s.content_hash).toBe(md5(`a.sav:${md5('ay')}\nb.sav:${md5('bee')}`));
  });

  it('deleting a device keeps its saves (origin unset); deleting their owner removes them, on every engine', async () => {
    const carol = await createUser(t.services, 'viewer');
    const dev = await device(carol, 'carol-deck');
    const up = await upload(`rom_id=${rom}&device_id=${dev}&emulator=mgba`, 'carol-save', { user: carol, name: 'Carol.srm' });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const saved = up.json<Save>();
    expect(saved.origin_device_id).toBe(dev);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/devices/${dev}`, headers: auth(carol) })).statusCode).toBe(204);
    const after = (await get(`/api/saves/${saved.id}`, carol)).json<Save>();
    expect(after.origin_device_id).toBeNull();
    const dev2 = await device(carol, 'carol-phone');
    expect((await upload(`rom_id=${rom}&device_id=${dev2}&emulator=mgba`, 'carol-save-2', { user: carol, name: 'Carol2.srm' })).statusCode).toBeLessThan(300);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/users/${carol.user.id}`, headers: auth(admin) });
    expect(del.statusCode, del.body).toBeLessThan(300);
    const k = ctx().db.kysely;
    expect(await k.selectFrom('saves').select('id').where('user_id', '=', carol.user.id).execute()).toEqual([]);
  });
});

describeEachEngine('saves quota', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let rom: number;
  beforeAll(async () => {
    t = await createTestApp(ctx(), { USER_STORAGE_QUOTA_BYTES: '10' });
    alice = await createUser(t.services, 'viewer', 'quota');
    const db = ctx().db.kysely;
    rom = await createRom(db, { platformId: await createPlatform(db, 'snes'), fsName: 'Q.sfc' });
  });
  afterAll(async () => t.app.close());

  const up = (name: string, data: string) => {
    const body = multipart([{ field: 'saveFile', filename: name, data }]);
    return t.app.inject({ method: 'POST', url: `/api/saves?rom_id=${rom}`, payload: body.payload, headers: { ...body.headers, authorization: alice.basic } });
  };

  it('answers 413 with a clear detail once the user would exceed the quota; replacing counts the difference', async () => {
    const first = await up('a.srm', '12345678');
    expect(first.statusCode).toBe(200);
    const over = await up('b.srm', '12345');
    expect(over.statusCode).toBe(413);
    expect(over.json<{ detail: string }>().detail).toBe('Storage quota exceeded: this upload needs 5 more bytes, 2 of your 10 bytes are free');
    expect((await up('a.srm', '1234567890')).statusCode).toBe(200);
  });
});
