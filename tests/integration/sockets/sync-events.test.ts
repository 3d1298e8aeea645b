import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { createPlatform, createRom } from '../../helpers/rom-fixtures.ts';

interface Received { event: string; payload: unknown }

function multipart(filename: string, data: string) {
  const boundary = '----romshelf-sync-events';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="saveFile"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(data), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('socket.io sync:* events', (ctx) => {
  let t: TestApp;
  let base: string;
  let owner: TestUser;
  let other: TestUser;
  let rom: number;
  const clients: Socket[] = [];

  const signIn = async (u: TestUser) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: u.basic } });
    expect(res.statusCode).toBe(200);
    return cookiesFrom(res.headers);
  };
  const login = async (u: TestUser): Promise<string> => `romm_session=${(await signIn(u)).romm_session}`;
  const connect = async (headers: Record<string, string> = {}) => {
    const socket = io(base, { path: '/ws/socket.io/', transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
    clients.push(socket);
    const received: Received[] = [];
    socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, received };
  };
  const waitFor = (socket: Socket, event: string, ms = 10_000) => new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });

  beforeAll(async () => {
    t = await createTestApp(ctx(), { ENABLE_SYNC_FOLDER_WATCHER: 'true' });
    owner = await createUser(t.services, 'viewer');
    other = await createUser(t.services, 'viewer');
    const db = ctx().db.kysely;
    rom = await createRom(db, { platformId: await createPlatform(db, 'gba'), fsName: 'Game (USA).gba' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await t?.app.close();
  });

  it('a device\'s sync events reach its owner\'s signed-in sockets only, in order, with RomM\'s payloads', async () => {
    const mine = await connect({ cookie: await login(owner) });
    const gone = await signIn(owner);
    const loggedOut = await connect({ cookie: `romm_session=${gone.romm_session}` });
    const theirs = await connect({ cookie: await login(other) });
    const anonymous = await connect();
    const logout = await t.app.inject({
      method: 'POST', url: '/api/logout',
      headers: { cookie: `romm_session=${gone.romm_session}; romm_csrftoken=${gone.romm_csrftoken}`, 'x-csrftoken': gone.romm_csrftoken ?? '' },
    });
    expect(logout.statusCode).toBe(200);

    const dev = (await t.app.inject({
      method: 'POST', url: '/api/devices', headers: { authorization: owner.basic }, payload: { name: 'h', sync_mode: 'file_transfer' },
    })).json<{ device_id: string }>().device_id;
    const body = multipart('Game.srm', 'server');
    const save = (await t.app.inject({
      method: 'POST', url: `/api/saves?rom_id=${rom}&slot=autosave`, payload: body.payload, headers: { ...body.headers, authorization: owner.basic },
    })).json<{ file_name: string }>();
    const dir = path.join(t.config.sync.root, dev, 'incoming', 'gba');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, save.file_name), 'device');
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(path.join(dir, save.file_name), future, future);

    const completed = waitFor(mine.socket, 'sync:completed');
    const sessionId = await t.services.syncFolder.processDevice(dev, await t.services.syncFolder.listIncoming(dev));
    expect(await completed).toEqual({ device_id: dev, session_id: sessionId, operations_completed: 1, operations_failed: 0 });
    expect(mine.received.filter((r) => r.event.startsWith('sync:'))).toEqual([
      { event: 'sync:started', payload: { device_id: dev, session_id: sessionId, sync_mode: 'file_transfer' } },
      { event: 'sync:progress', payload: { device_id: dev, session_id: sessionId, operations_completed: 1, operations_planned: 1, current_file: save.file_name } },
      { event: 'sync:completed', payload: { device_id: dev, session_id: sessionId, operations_completed: 1, operations_failed: 0 } },
    ]);
    // Give any stray delivery time to arrive before checking the others saw nothing.
    await new Promise((r) => setTimeout(r, 200));
    for (const c of [loggedOut, theirs, anonymous]) expect(c.received.filter((r) => r.event.startsWith('sync:'))).toEqual([]);
  });
});
