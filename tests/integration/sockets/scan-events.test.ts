import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';

interface Received { event: string; payload: unknown }

const STATS_KEYS = [
  'identified_platforms', 'identified_roms', 'new_firmware', 'new_platforms', 'new_roms', 'scanned_firmware',
  'scanned_platforms', 'scanned_roms', 'total_platforms', 'total_roms',
];

describeEachEngine('socket.io scan events at /ws', (ctx) => {
  let t: TestApp;
  let base: string;
  let admin: TestUser;
  let viewer: TestUser;
  const clients: Socket[] = [];

  const sessionCookie = async (u: TestUser): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: u.basic } });
    expect(res.statusCode).toBe(200);
    const session = cookiesFrom(res.headers).romm_session;
    expect(session).toBeTruthy();
    return `romm_session=${session}`;
  };

  /** A connected client recording every event it receives, in order. */
  const connect = async (headers: Record<string, string> = {}, transport: 'websocket' | 'polling' = 'websocket') => {
    const socket = io(base, { path: '/ws/socket.io/', transports: [transport], extraHeaders: headers, reconnection: false, forceNew: true });
    clients.push(socket);
    const received: Received[] = [];
    socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, received };
  };

  const waitFor = (socket: Socket, event: string, ms = 15_000) => new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    for (const [folder, ext, n] of [['gba', 'gba', 3], ['snes', 'sfc', 2]] as const) {
      const dir = path.join(t.config.libraryPath, 'roms', folder);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `Game ${i} (USA).${ext}`), `${folder}-${i}`);
    }
    // Firmware: one file for gba, two for snes (plus a sub-folder that is not firmware).
    for (const rel of ['bios/gba/gba_bios.bin', 'bios/snes/a.bin', 'bios/snes/b.bin', 'bios/snes/sub/c.bin']) {
      mkdirSync(path.dirname(path.join(t.config.libraryPath, rel)), { recursive: true });
      writeFileSync(path.join(t.config.libraryPath, rel), rel);
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await t?.app.close();
  });

  it('a signed-in admin starts a scan with RomM\'s payload and every signed-in socket gets its events in order', async () => {
    const cookie = await sessionCookie(admin);
    const starter = await connect({ cookie });
    const watcher = await connect({ cookie: await sessionCookie(viewer) }, 'polling');
    const anonymous = await connect();

    const done = Promise.all([waitFor(watcher.socket, 'scan:done'), waitFor(starter.socket, 'scan:done')]);
    starter.socket.emit('scan', { platforms: [], type: 'quick', roms_ids: [], apis: [], launchbox_remote_enabled: true, playmatch_enabled: true });
    const [final] = await done;

    expect(final).toEqual({
      total_platforms: 2, total_roms: 5, scanned_platforms: 2, new_platforms: 2, identified_platforms: 2,
      scanned_roms: 5, new_roms: 5, identified_roms: 0, scanned_firmware: 3, new_firmware: 3,
    });
    for (const { received } of [starter, watcher]) {
      const events = received.map((r) => r.event);
      expect(events.at(-1)).toBe('scan:done');
      expect(events.filter((e) => e === 'scan:done')).toHaveLength(1);
      expect(events).toContain('scan:update_stats');
      const platforms = received.filter((r) => r.event === 'scan:scanning_platform').map((r) => r.payload as Record<string, unknown>);
      expect(platforms.map((p) => p.fs_slug).sort()).toEqual(['gba', 'snes']);
      for (const p of platforms) {
        expect(Object.keys(p).sort()).toEqual(['display_name', 'fs_slug', 'id', 'is_identified', 'name', 'new_firmware_count', 'slug']);
        expect(p).toMatchObject({ is_identified: true, new_firmware_count: p.fs_slug === 'gba' ? 1 : 2 });
      }
      // A platform is announced before the counters that include it.
      const firstPlatform = events.indexOf('scan:scanning_platform');
      expect(firstPlatform).toBeGreaterThanOrEqual(0);
      for (const r of received.filter((x) => x.event === 'scan:update_stats')) expect(Object.keys(r.payload as object).sort()).toEqual(STATS_KEYS);
    }
    const gba = starter.received.find((r) => r.event === 'scan:scanning_platform' && (r.payload as { fs_slug: string }).fs_slug === 'gba')?.payload as { id: number };
    const platform = await t.app.inject({ url: `/api/platforms/${gba.id}`, headers: { authorization: admin.basic } });
    expect(platform.json()).toMatchObject({ fs_slug: 'gba', rom_count: 3 });
    // Scan progress is for signed-in users only.
    expect(anonymous.received.filter((r) => r.event.startsWith('scan:'))).toEqual([]);
  });

  it('a second scan while one runs is refused to its sender with RomM\'s message', async () => {
    const { socket, received } = await connect({ cookie: await sessionCookie(admin) });
    const refused = waitFor(socket, 'scan:done_ko');
    socket.emit('scan', { platforms: [], type: 'hashes', apis: [] });
    socket.emit('scan', { platforms: [], type: 'hashes', apis: [] });
    expect(await refused).toBe('A scan is already in progress');
    await waitFor(socket, 'scan:done');
    expect(received.filter((r) => r.event === 'scan:done')).toHaveLength(1);
  });

  it('scan:stop cancels the running scan, which still ends with scan:done', async () => {
    const { socket } = await connect({ cookie: await sessionCookie(admin) });
    const done = waitFor(socket, 'scan:done');
    socket.emit('scan', { platforms: [], type: 'hashes', apis: [] });
    await waitFor(socket, 'scan:update_stats');
    socket.emit('scan:stop');
    expect(Object.keys(await done as object).sort()).toEqual(STATS_KEYS);
    expect(t.services.scans.running).toBe(false);
  });

  it('bad options come back as scan:done_ko and start nothing', async () => {
    const { socket } = await connect({ cookie: await sessionCookie(admin) });
    const before = t.services.scans.status().task_id;
    const ko = waitFor(socket, 'scan:done_ko');
    socket.emit('scan', { platforms: [], type: 'everything', apis: [] });
    expect(await ko).toBe('Invalid scan type: everything');
    const ko2 = waitFor(socket, 'scan:done_ko');
    socket.emit('scan', { platforms: ['1; DROP TABLE'], type: 'quick' });
    expect(await ko2).toBe('Invalid scan option: platforms');
    expect(t.services.scans.status().task_id).toBe(before);
  });

  it('sockets without a session user holding tasks.run may neither scan nor stop one', async () => {
    const before = t.services.scans.status().task_id;
    const cases: Record<string, string>[] = [
      {},
      { cookie: await sessionCookie(viewer) },
      // Identity comes from the session cookie only, as in RomM.
      { authorization: admin.basic },
      { cookie: 'romm_session=not-a-session' },
      // A page of another site must not scan with the visitor's cookie.
      { cookie: await sessionCookie(admin), origin: 'https://evil.example' },
    ];
    for (const headers of cases) {
      const { socket } = await connect(headers, 'polling');
      const ko = waitFor(socket, 'scan:done_ko');
      socket.emit('scan', { platforms: [], type: 'quick', apis: [] });
      expect(await ko).toBe('You are not authorized to run scans');
      const koStop = waitFor(socket, 'scan:done_ko');
      socket.emit('scan:stop');
      expect(await koStop).toBe('You are not authorized to run scans');
    }
    expect(t.services.scans.status().task_id).toBe(before);
    expect(t.services.scans.running).toBe(false);
  });

  it('a logout takes the socket\'s rights away at once', async () => {
    const cookie = await sessionCookie(admin);
    const { socket } = await connect({ cookie });
    await t.services.auth.logout(cookie.slice('romm_session='.length));
    const ko = waitFor(socket, 'scan:done_ko');
    socket.emit('scan', { platforms: [], type: 'quick', apis: [] });
    expect(await ko).toBe('You are not authorized to run scans');
  });

  it('the HTTP API still answers on the same port and through inject', async () => {
    const res = await fetch(`${base}/api/heartbeat`);
    expect(res.status).toBe(200);
    expect((await t.app.inject({ url: '/api/heartbeat' })).statusCode).toBe(200);
  });

  it('closing the app disconnects the sockets instead of waiting for them', async () => {
    const { socket } = await connect({ cookie: await sessionCookie(admin) });
    const gone = waitFor(socket, 'disconnect', 5000);
    const started = Date.now();
    await t.app.close();
    await gone;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
