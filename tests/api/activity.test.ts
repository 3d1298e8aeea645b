import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';
import { DevicesRepository } from '../../src/db/repositories/devices-repository.ts';
import { PlaySessionsRepository } from '../../src/db/repositories/play-sessions-repository.ts';
import { ActivityService } from '../../src/domain/play-sessions/activity-service.ts';

const ENTRY_KEYS = [
  'user_id', 'username', 'avatar_path', 'rom_id', 'rom_name', 'rom_cover_path', 'screenshot_path', 'platform_slug', 'platform_name',
  'device_id', 'device_type', 'started_at',
];

describeEachEngine('/api/activity and activity socket events (RomM 5)', (ctx) => {
  let t: TestApp;
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let mario: number;
  let secret: number;
  let aliceDevice: string;
  let bobDevice: string;
  const clients: Socket[] = [];
  const call = (as: TestUser | string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method, url,
      headers: as === null ? {} : { authorization: typeof as === 'string' ? `Bearer ${as}` : as.basic },
      ...(payload ? { payload } : {}),
    });
  const beat = (as: TestUser, romId: number, deviceId: string) => call(as, 'POST', '/api/activity/heartbeat', { rom_id: romId, device_id: deviceId });
  const expire = () => ctx().db.kysely.updateTable('activity_entries').set({ expires_at: Date.now() - 1 }).execute();

  const connect = async (u: TestUser | null) => {
    const headers: Record<string, string> = {};
    if (u) {
      const res = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: u.basic } });
      headers.cookie = `romm_session=${cookiesFrom(res.headers).romm_session}`;
    }
    const socket = io(base, { path: '/ws/socket.io/', transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
    clients.push(socket);
    const received: { event: string; payload: unknown }[] = [];
    socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, received };
  };
  const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice_a');
    bob = await createUser(t.services, 'viewer', 'bob_a');
    admin = await createUser(t.services, 'admin', 'admin_a');
    const k = ctx().db.kysely;
    const snes = await createPlatform(k, 'snes', { name: 'Super Nintendo', customName: 'SNES' });
    mario = await createRom(k, {
      platformId: snes, fsName: 'Mario.sfc', name: 'Super Mario World', cover: 'roms/1/1/cover/small.png',
      metadata: { ss: { title_screen_path: 'roms/1/1/title.png' } },
    });
    secret = await createRom(k, { platformId: snes, fsName: 'Secret.sfc', name: null, screenshots: ['roms/1/2/screenshots/0.png'] });
    await new PermissionsRepository(k).addHidden('roms', secret, { userId: alice.user.id }, Date.now());
    aliceDevice = (await call(alice, 'POST', '/api/devices', { name: 'Handheld', client: 'grout' })).json().device_id;
    bobDevice = (await call(bob, 'POST', '/api/devices', { name: 'TV' })).json().device_id;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await t?.app.close();
  });

  it('a device heartbeat answers the entry in RomM\'s shape and keeps started_at across beats', async () => {
    const res = await beat(alice, mario, aliceDevice);
    expect(res.statusCode).toBe(200);
    const entry = res.json();
    expect(Object.keys(entry)).toEqual(ENTRY_KEYS);
    expect(entry).toMatchObject({
      user_id: alice.user.id, username: 'alice_a', avatar_path: '', rom_id: mario, rom_name: 'Super Mario World',
      screenshot_path: '/assets/romm/resources/roms/1/1/title.png', platform_slug: 'snes', platform_name: 'SNES',
      device_id: aliceDevice, device_type: 'grout',
    });
    expect(typeof entry.rom_cover_path).toBe('string');
    expect(entry.started_at).toMatch(/\+00:00$/);
    await new Promise((r) => setTimeout(r, 5));
    expect((await beat(alice, mario, aliceDevice)).json().started_at).toBe(entry.started_at);

    const all = (await call(bob, 'GET', '/api/activity')).json();
    expect(all).toEqual([entry]);
    expect((await call(bob, 'GET', `/api/activity/rom/${mario}`)).json()).toEqual([entry]);
    expect((await call(bob, 'GET', `/api/activity/rom/${secret}`)).json()).toEqual([]);
    // The heartbeat moved the device's last_seen.
    expect((await call(alice, 'GET', `/api/devices/${aliceDevice}`)).json().last_seen).toMatch(/\+00:00$/);
  });

  it('entries lapse after their TTL; DELETE clears at once and answers 204 either way', async () => {
    await expire();
    expect((await call(bob, 'GET', '/api/activity')).json()).toEqual([]);
    // A lapsed entry's start is not kept.
    const fresh = (await beat(alice, mario, aliceDevice)).json();
    expect((await call(alice, 'GET', '/api/activity')).json()).toHaveLength(1);
    const del = await call(alice, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`);
    expect(del.statusCode).toBe(204);
    expect((await call(alice, 'GET', '/api/activity')).json()).toEqual([]);
    expect((await call(alice, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`)).statusCode).toBe(204);
    expect((await call(alice, 'DELETE', '/api/activity/heartbeat')).statusCode).toBe(422);
    expect(fresh.device_type).toBe('grout');
    // Bob cannot clear Alice's entry: the pair is (caller, device).
    await beat(alice, mario, aliceDevice);
    await call(bob, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`);
    expect((await call(bob, 'GET', '/api/activity')).json()).toHaveLength(1);
    await call(alice, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`);
  });

  it('answers RomM\'s 404s for unknown ROMs, hidden ROMs and other users\' devices, 422 for bad bodies', async () => {
    const noRom = await beat(alice, 9_999_999, aliceDevice);
    expect(noRom.statusCode).toBe(404);
    expect(noRom.json()).toEqual({ detail: 'ROM 9999999 not found' });
    expect((await beat(alice, secret, aliceDevice)).json()).toEqual({ detail: `ROM ${secret} not found` });
    const foreign = await beat(alice, mario, bobDevice);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ detail: `Device ${bobDevice} not found for this user` });
    for (const body of [{ rom_id: 0, device_id: aliceDevice }, { rom_id: mario, device_id: '' }, { rom_id: mario, device_id: 'x'.repeat(256) }, { rom_id: mario }]) {
      expect((await call(alice, 'POST', '/api/activity/heartbeat', body)).statusCode).toBe(422);
    }
    expect((await call(alice, 'GET', '/api/activity')).json()).toEqual([]);
  });

  it('hidden ROMs never show in another user\'s activity; admins see everything', async () => {
    await beat(bob, secret, bobDevice);
    expect((await call(alice, 'GET', '/api/activity')).json()).toEqual([]);
    expect((await call(alice, 'GET', `/api/activity/rom/${secret}`)).json()).toEqual([]);
    const seen = (await call(admin, 'GET', '/api/activity')).json();
    expect(seen).toEqual([expect.objectContaining({ user_id: bob.user.id, rom_id: secret, rom_name: 'Secret.sfc', device_type: 'unknown', screenshot_path: '/assets/romm/resources/roms/1/2/screenshots/0.png' })]);
    await call(bob, 'DELETE', `/api/activity/heartbeat?device_id=${bobDevice}`);
  });

  it('concurrent heartbeats of one device leave one entry; the latest save\'s screenshot comes first', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => beat(alice, mario, aliceDevice)));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await call(alice, 'GET', '/api/activity')).json()).toHaveLength(1);
    await call(alice, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`);

    const k = ctx().db;
    const withSaves = new ActivityService(new PlaySessionsRepository(k), new DevicesRepository(k.kysely), t.services.romVisibility,
      (userId, romId) => Promise.resolve(userId === alice.user.id && romId === mario ? '/api/saves/7/screenshot.png' : null));
    expect((await withSaves.heartbeat(alice.user, mario, aliceDevice)).screenshot_path).toBe('/api/saves/7/screenshot.png');
    expect((await withSaves.list(bob.user.id))[0]?.screenshot_path).toBe('/api/saves/7/screenshot.png');
    await withSaves.clear(alice.user.id, aliceDevice);
    expect(await withSaves.list(bob.user.id)).toEqual([]);
  });

  it('needs roms.user.read / roms.user.write', async () => {
    expect((await call(null, 'GET', '/api/activity')).statusCode).toBe(401);
    expect((await call(null, 'POST', '/api/activity/heartbeat', { rom_id: mario, device_id: aliceDevice })).statusCode).toBe(401);
    const tok = (await call(alice, 'POST', '/api/client-tokens', { name: 'ro', scopes: ['roms.user.read'] })).json().raw_token as string;
    expect((await call(tok, 'GET', '/api/activity')).statusCode).toBe(200);
    expect((await call(tok, 'POST', '/api/activity/heartbeat', { rom_id: mario, device_id: aliceDevice })).statusCode).toBe(403);
    expect((await call(tok, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`)).statusCode).toBe(403);
  });

  it('sockets: start/heartbeat/stop from a session, broadcast update/clear, hidden ROMs filtered, disconnect clears', async () => {
    const player = await connect(bob);
    const watcher = await connect(alice);
    const adminSock = await connect(admin);
    const anon = await connect(null);
    const events = (r: { event: string; payload: unknown }[], name: string) => r.filter((e) => e.event === name).map((e) => e.payload as Record<string, unknown>);

    // An anonymous socket's report is ignored, and so is a user_id in the payload.
    anon.socket.emit('activity:start', { rom_id: mario, device_id: 'web-anon', user_id: alice.user.id });
    player.socket.emit('activity:start', { rom_id: mario, device_id: 'browser-1', user_id: alice.user.id });
    await until(() => events(watcher.received, 'activity:update').length === 1);
    const update = events(watcher.received, 'activity:update')[0];
    expect(Object.keys(update ?? {})).toEqual(ENTRY_KEYS);
    expect(update).toMatchObject({ user_id: bob.user.id, rom_id: mario, device_id: 'browser-1', device_type: 'web' });
    player.socket.emit('activity:heartbeat', { rom_id: String(mario), device_id: 'browser-1' });
    await until(() => events(watcher.received, 'activity:update').length === 2);
    expect(events(watcher.received, 'activity:update')[1]?.started_at).toBe(update?.started_at);
    expect(events(anon.received, 'activity:update')).toEqual([]);
    expect((await call(alice, 'GET', '/api/activity')).json().map((e: { device_id: string }) => e.device_id)).toEqual(['browser-1']);

    // Stop without a device: the one remembered on the socket.
    player.socket.emit('activity:stop');
    await until(() => events(watcher.received, 'activity:clear').length === 1);
    expect(events(watcher.received, 'activity:clear')[0]).toEqual({ user_id: bob.user.id, device_id: 'browser-1', rom_id: mario });
    expect((await call(alice, 'GET', '/api/activity')).json()).toEqual([]);

    // A ROM hidden from Alice: the admin hears of it, Alice does not.
    player.socket.emit('activity:start', { rom_id: secret, device_id: 'browser-2' });
    await until(() => events(adminSock.received, 'activity:update').length === 3);
    expect(events(watcher.received, 'activity:update')).toHaveLength(2);
    // Disconnecting clears what the socket reported.
    player.socket.disconnect();
    await until(() => events(adminSock.received, 'activity:clear').length === 2);
    expect(events(adminSock.received, 'activity:clear')[1]).toEqual({ user_id: bob.user.id, device_id: 'browser-2', rom_id: secret });
    expect(events(watcher.received, 'activity:clear')).toHaveLength(1);
    expect((await call(admin, 'GET', '/api/activity')).json()).toEqual([]);

    // A REST heartbeat is broadcast too.
    await beat(alice, mario, aliceDevice);
    await until(() => events(adminSock.received, 'activity:update').length === 4);
    await call(alice, 'DELETE', `/api/activity/heartbeat?device_id=${aliceDevice}`);
    await until(() => events(adminSock.received, 'activity:clear').length === 3);
  });
});
