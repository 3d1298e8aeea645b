import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import type { SyncEvent } from '../../../src/domain/sync/sync-events.ts';
import { SyncFolderWatcher } from '../../../src/jobs/sync-folder-watcher.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { createPlatform, createRom } from '../../helpers/rom-fixtures.ts';

interface Session { id: number; device_id: string; status: string; operations_planned: number; operations_completed: number; operations_failed: number; error_message: string | null }
interface Save { id: number; file_name: string; content_hash: string | null; updated_at: string }

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const PAST = new Date(Date.UTC(2020, 0, 1));
const FUTURE = () => new Date(Date.now() + 3_600_000);

function multipart(filename: string, data: string) {
  const boundary = '----romshelf-sync-folder';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="saveFile"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(data), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('file-transfer sync folder', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let u: TestUser;
  let rom: number;
  let romB: number;
  const events: { userId: number; event: SyncEvent }[] = [];

  const call = (who: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, body?: object) =>
    t.app.inject({ method, url, headers: { authorization: who.basic }, ...(body ? { payload: body } : {}) });
  const upload = async (romId: number, data: string, name = 'Game.srm') => {
    const body = multipart(name, data);
    const res = await t.app.inject({ method: 'POST', url: `/api/saves?rom_id=${romId}&slot=autosave`, payload: body.payload, headers: { ...body.headers, authorization: u.basic } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Save>();
  };
  const contentOf = async (id: number) => (await call(u, 'GET', `/api/saves/${id}/content`)).body;
  const device = async (mode = 'file_transfer') =>
    (await call(u, 'POST', '/api/devices', { name: 'handheld', allow_duplicate: true, sync_mode: mode })).json<{ device_id: string }>().device_id;
  const folder = (dev: string, kind: string, platform = 'gba') => path.join(t.config.sync.root, dev, kind, platform);
  const drop = (dev: string, name: string, data: string, mtime: Date, platform = 'gba') => {
    mkdirSync(folder(dev, 'incoming', platform), { recursive: true });
    const file = path.join(folder(dev, 'incoming', platform), name);
    writeFileSync(file, data);
    utimesSync(file, mtime, mtime);
    return file;
  };
  const scan = async () => {
    const res = await call(admin, 'POST', '/api/tasks/run/sync_folder_scan');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ task_name: string; status: string; result: { status: string; files_processed?: number } }>();
  };
  const sessionsOf = async (dev: string) => (await call(u, 'GET', `/api/sync/sessions?device_id=${dev}`)).json<Session[]>();
  const eventsOf = (sessionId: number) => events.filter((e) => e.event.payload.session_id === sessionId).map((e) => e.event);

  beforeAll(async () => {
    t = await createTestApp(ctx(), { ENABLE_SYNC_FOLDER_WATCHER: 'true', SYNC_FOLDER_SCAN_DELAY: '0', MAX_ASSET_UPLOAD_SIZE_BYTES: '4096' });
    t.services.syncEvents.subscribe((userId, event) => events.push({ userId, event }));
    admin = await createUser(t.services, 'admin');
    const db = ctx().db.kysely;
    const gba = await createPlatform(db, 'gba');
    rom = await createRom(db, { platformId: gba, fsName: 'Game (USA).gba' });
    romB = await createRom(db, { platformId: gba, fsName: 'Other (USA).gba' });
  });
  beforeEach(async () => {
    u = await createUser(t.services, 'viewer');
  });

  it('the manual scan pairs files by name: same content removed, newer device content uploaded, newer server content to outgoing/, a conflict moved', async () => {
    const dev = await device();
    expect(existsSync(path.join(t.config.sync.root, dev, 'incoming'))).toBe(true);
    const same = await upload(rom, 'same', 'Same.srm');
    const pulled = await upload(rom, 'server-v1', 'Pulled.srm');
    const pushed = await upload(romB, 'server-new', 'Pushed.srm');
    const clash = await upload(romB, 'server', 'Clash.srm');
    // The device synced Clash once; since then both the server (another device) and this device changed it.
    drop(dev, clash.file_name, 'server', PAST);
    expect((await scan()).result).toEqual({ status: 'completed', files_processed: 1 });
    const edit = multipart('x.srm', 'server-edit');
    expect((await t.app.inject({ method: 'PUT', url: `/api/saves/${clash.id}`, payload: edit.payload, headers: { ...edit.headers, authorization: u.basic } })).statusCode).toBe(200);
    drop(dev, same.file_name, 'same', FUTURE());
    drop(dev, pulled.file_name, 'device-v2', FUTURE());
    drop(dev, pushed.file_name, 'device-old', PAST);
    drop(dev, clash.file_name, 'device', FUTURE());
    drop(dev, 'Unknown.srm', 'no save', FUTURE());
    drop(dev, 'Game.sav', 'no platform', FUTURE(), 'nosuchplatform');

    const res = await scan();
    expect(res).toMatchObject({ task_name: 'Sync Folder Scan', status: 'finished', result: { status: 'completed', files_processed: 6 } });
    const [session] = await sessionsOf(dev);
    expect(session).toMatchObject({ status: 'COMPLETED', operations_planned: 6, operations_completed: 6, operations_failed: 0, error_message: null });

    expect(readdirSync(folder(dev, 'incoming')).sort()).toEqual(['Unknown.srm']);
    expect(readdirSync(folder(dev, 'incoming', 'nosuchplatform'))).toEqual(['Game.sav']);
    expect(await contentOf(same.id)).toBe('same');
    expect(await contentOf(pulled.id)).toBe('device-v2');
    const versions = (await call(u, 'GET', `/api/saves/${pulled.id}/versions`)).json<{ content_hash: string }[]>();
    expect(versions.map((v) => v.content_hash)).toEqual([md5('server-v1')]);
    expect(readFileSync(path.join(folder(dev, 'outgoing'), pushed.file_name), 'utf8')).toBe('server-new');
    expect(readdirSync(folder(dev, 'outgoing'))).toEqual([pushed.file_name]);
    expect(await contentOf(pushed.id)).toBe('server-new');
    expect(readFileSync(path.join(folder(dev, 'conflicts'), clash.file_name), 'utf8')).toBe('device');
    expect(await contentOf(clash.id)).toBe('server-edit');

    const names = eventsOf(session!.id).map((e) => e.name);
    expect(names[0]).toBe('sync:started');
    expect(names.at(-1)).toBe('sync:completed');
    expect(names.filter((n) => n === 'sync:progress')).toHaveLength(6);
    expect(eventsOf(session!.id).find((e) => e.name === 'sync:conflict')?.payload).toEqual({
      device_id: dev, session_id: session!.id, file_name: clash.file_name, rom_id: romB, reason: 'Both sides changed since last sync',
    });
    expect(eventsOf(session!.id)[0]?.payload).toEqual({ device_id: dev, session_id: session!.id, sync_mode: 'file_transfer' });
    expect(events.filter((e) => e.event.payload.session_id === session!.id).every((e) => e.userId === u.user.id)).toBe(true);
  });

  it('never follows symlinks, refuses oversized files, and skips devices that are not enabled file-transfer ones', async () => {
    const dev = await device();
    const save = await upload(rom, 'server', 'Linked.srm');
    const outside = path.join(ctx().dir, `outside-${dev}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, save.file_name), 'secret');
    mkdirSync(folder(dev, 'incoming'), { recursive: true });
    // A symlinked file and a symlinked platform folder are not taken.
    symlinkSync(path.join(outside, save.file_name), path.join(folder(dev, 'incoming'), save.file_name));
    symlinkSync(outside, path.join(t.config.sync.root, dev, 'incoming', 'gbc'));
    const big = await upload(romB, 'small', 'Big.srm');
    drop(dev, big.file_name, 'x'.repeat(5000), FUTURE());
    await scan();
    const [session] = await sessionsOf(dev);
    expect(session).toMatchObject({ operations_planned: 1, operations_completed: 0, operations_failed: 1 });
    expect(session!.error_message).toBe(`${big.file_name}: Save file exceeds the maximum allowed size of 4096 bytes`);
    expect(eventsOf(session!.id).find((e) => e.name === 'sync:error')?.payload).toEqual({ device_id: dev, session_id: session!.id, error: '1 file(s) failed to process' });
    expect(await contentOf(save.id)).toBe('server');
    expect(await contentOf(big.id)).toBe('small');
    expect(readFileSync(path.join(outside, save.file_name), 'utf8')).toBe('secret');

    // outgoing/ replaced by a symlink: the server's content is not written through it.
    rmSync(path.join(folder(dev, 'incoming'), big.file_name));
    const newer = await upload(rom, 'server-newer', 'Newer.srm');
    rmSync(path.join(t.config.sync.root, dev, 'outgoing'), { recursive: true, force: true });
    symlinkSync(outside, path.join(t.config.sync.root, dev, 'outgoing'), 'dir');
    drop(dev, newer.file_name, 'old', PAST);
    await scan();
    const [second] = await sessionsOf(dev);
    expect(second).toMatchObject({ operations_failed: 1 });
    expect(second!.error_message).toContain('is not a folder inside the sync folder');
    expect(readdirSync(outside).sort()).toEqual([save.file_name]);

    // An API-mode device, a folder named like no device and a disabled device: nothing is read.
    const api = await device('api');
    drop(api, newer.file_name, 'x', FUTURE());
    drop('00000000-0000-0000-0000-000000000000', newer.file_name, 'x', FUTURE());
    const off = await device();
    await call(u, 'PUT', `/api/devices/${off}`, { sync_enabled: false });
    drop(off, newer.file_name, 'x', FUTURE());
    await scan();
    expect(await sessionsOf(api)).toEqual([]);
    expect(await sessionsOf(off)).toEqual([]);
    expect(await contentOf(newer.id)).toBe('server-newer');
  });

  it('the watcher takes a file only once its size and mtime have stayed the same', async () => {
    const dev = await device();
    const save = await upload(rom, 'server', 'Watched.srm');
    let clock = 1_000_000;
    const watcher = new SyncFolderWatcher(t.services.syncFolder, { quietMs: 0, pollMs: 100, onError: (err) => { throw err; }, now: () => clock });
    const file = drop(dev, save.file_name, 'half-', FUTURE());
    await watcher.tick();
    clock += 200;
    appendFileSync(file, 'copied');
    utimesSync(file, FUTURE(), new Date(Date.now() + 3_700_000));
    await watcher.tick();
    clock += 50;
    await watcher.tick();
    expect(await contentOf(save.id)).toBe('server');
    expect(await sessionsOf(dev)).toEqual([]);
    clock += 100;
    await watcher.tick();
    expect(await contentOf(save.id)).toBe('half-copied');
    expect(existsSync(file)).toBe(false);
    expect(await sessionsOf(dev)).toHaveLength(1);
    // A file left in place (no matching save) is taken once, not at every walk.
    drop(dev, 'Nobody.srm', 'x', FUTURE());
    for (let i = 0; i < 4; i++) {
      clock += 200;
      await watcher.tick();
    }
    expect(await sessionsOf(dev)).toHaveLength(2);
    await watcher.stop();
  });

  it('the running watcher picks up a dropped file by itself', async () => {
    const dev = await device();
    const save = await upload(rom, 'server', 'Live.srm');
    const watcher = new SyncFolderWatcher(t.services.syncFolder, { quietMs: 0, pollMs: 100, onError: () => undefined });
    await watcher.start();
    try {
      drop(dev, save.file_name, 'from-device', FUTURE());
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await contentOf(save.id)) !== 'from-device') await new Promise((r) => setTimeout(r, 100));
      expect(await contentOf(save.id)).toBe('from-device');
    } finally {
      await watcher.stop();
    }
  });
});
