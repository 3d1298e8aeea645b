import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { SyncEvent } from '../../../src/domain/sync/sync-events.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { createPlatform, createRom } from '../../helpers/rom-fixtures.ts';
import { keyPair, startSftpServer, type KeyPair, type TestSftpServer } from '../../helpers/sftp-server.ts';

interface Session { id: number; status: string; operations_planned: number; operations_completed: number; operations_failed: number; error_message: string | null }
interface Save { id: number; file_name: string; content_hash: string | null; updated_at: string }

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const PAST = new Date(Date.UTC(2020, 0, 1));

function multipart(filename: string, data: string) {
  const boundary = '----romshelf-push-pull';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="saveFile"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(data), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('push-pull sync over SSH/SFTP', (ctx) => {
  let t: TestApp;
  let server: TestSftpServer;
  let client: KeyPair;
  let remoteRoot: string;
  let keysDir: string;
  let knownHosts: string;
  let rom: number;
  let romB: number;
  let u: TestUser;
  const events: { userId: number; event: SyncEvent }[] = [];

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, body?: object) =>
    t.app.inject({ method, url, headers: { authorization: u.basic }, ...(body ? { payload: body } : {}) });
  const upload = async (romId: number, data: string, name = 'Game.srm') => {
    const body = multipart(name, data);
    const res = await t.app.inject({ method: 'POST', url: `/api/saves?rom_id=${romId}&slot=autosave`, payload: body.payload, headers: { ...body.headers, authorization: u.basic } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Save>();
  };
  const saveOf = async (id: number) => (await call('GET', `/api/saves/${id}`)).json<Save>();
  const contentOf = async (id: number) => (await call('GET', `/api/saves/${id}/content`)).body;
  const device = async (config: object = {}, writeKey = true) => {
    const res = await call('POST', '/api/devices', {
      name: 'deck', allow_duplicate: true, sync_mode: 'push_pull',
      sync_config: { ssh_host: '127.0.0.1', ssh_port: server.port, ssh_username: 'deck', save_directories: [{ platform_slug: 'gba', path: '/saves/gba' }], ...config },
    });
    const id = res.json<{ device_id: string }>().device_id;
    if (writeKey) writeFileSync(path.join(keysDir, `${id}.pem`), client.private, { mode: 0o600 });
    return id;
  };
  const run = async (deviceId: string): Promise<Session> => {
    const res = await call('POST', `/api/sync/devices/${deviceId}/push-pull`);
    expect(res.statusCode, res.body).toBe(200);
    const pending = res.json<Session & { device_id: string }>();
    expect(pending).toMatchObject({ device_id: deviceId, status: 'PENDING' });
    await t.services.pushPull.idle();
    return (await call('GET', `/api/sync/sessions/${pending.id}`)).json<Session>();
  };
  const remote = (name: string) => path.join(remoteRoot, 'saves', 'gba', name);
  const writeRemote = (name: string, data: string, mtime: Date) => {
    writeFileSync(remote(name), data);
    utimesSync(remote(name), mtime, mtime);
  };
  const eventsOf = (sessionId: number) => events.filter((e) => e.event.payload.session_id === sessionId).map((e) => e.event);

  beforeAll(async () => {
    remoteRoot = path.join(ctx().dir, 'remote');
    keysDir = path.join(ctx().dir, 'keys');
    knownHosts = path.join(ctx().dir, 'known_hosts');
    mkdirSync(keysDir, { recursive: true });
    client = keyPair();
    server = await startSftpServer(remoteRoot, client.public);
    writeFileSync(knownHosts, `# test\n${server.knownHostsLine}\n`);
    t = await createTestApp(ctx(), {
      SYNC_SSH_KEYS_PATH: keysDir, SYNC_SSH_KNOWN_HOSTS_PATH: knownHosts, MAX_ASSET_UPLOAD_SIZE_BYTES: '4096', ENABLE_SYNC_PUSH_PULL: 'true',
    });
    t.services.syncEvents.subscribe((userId, event) => events.push({ userId, event }));
    const db = ctx().db.kysely;
    const gba = await createPlatform(db, 'gba');
    rom = await createRom(db, { platformId: gba, fsName: 'Game (USA).gba' });
    romB = await createRom(db, { platformId: gba, fsName: 'Other (USA).gba' });
  });
  afterAll(async () => {
    await t?.services.pushPull.idle();
    await server?.close();
  });
  beforeEach(async () => {
    u = await createUser(t.services, 'viewer');
    rmSync(remoteRoot, { recursive: true, force: true });
    mkdirSync(path.join(remoteRoot, 'saves', 'gba'), { recursive: true });
    writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
  });

  it('pulls a newer device file into the save, keeping the replaced content as a version', async () => {
    const dev = await device();
    const save = await upload(rom, 'server-v1');
    writeRemote(save.file_name, 'device-v2', new Date(Date.now() + 3_600_000));
    const session = await run(dev);
    expect(session).toMatchObject({ status: 'COMPLETED', operations_planned: 1, operations_completed: 1, operations_failed: 0, error_message: null });
    expect(await contentOf(save.id)).toBe('device-v2');
    expect((await saveOf(save.id)).content_hash).toBe(md5('device-v2'));
    const versions = (await call('GET', `/api/saves/${save.id}/versions`)).json<{ id: number; content_hash: string }[]>();
    expect(versions.map((v) => v.content_hash)).toEqual([md5('server-v1')]);
    expect(eventsOf(session.id).map((e) => e.name)).toEqual(['sync:started', 'sync:progress', 'sync:completed']);
    expect(eventsOf(session.id)[0]?.payload).toEqual({ device_id: dev, session_id: session.id, sync_mode: 'push_pull' });
    expect(events.filter((e) => e.event.payload.session_id === session.id).every((e) => e.userId === u.user.id)).toBe(true);

    // The device now has the server's content: a second run changes nothing.
    const again = await run(dev);
    expect(again).toMatchObject({ status: 'COMPLETED', operations_completed: 1, operations_failed: 0 });
    expect((await call('GET', `/api/saves/${save.id}/versions`)).json<unknown[]>()).toHaveLength(1);
  });

  it('pushes a newer server save over the device file, and a missing one to the device', async () => {
    const dev = await device();
    const older = await upload(rom, 'server-new');
    const missing = await upload(romB, 'only-on-server', 'Other.srm');
    writeRemote(older.file_name, 'device-old', PAST);
    const session = await run(dev);
    expect(session).toMatchObject({ status: 'COMPLETED', operations_planned: 1, operations_completed: 2, operations_failed: 0 });
    expect(readFileSync(remote(older.file_name), 'utf8')).toBe('server-new');
    expect(readFileSync(remote(missing.file_name), 'utf8')).toBe('only-on-server');
    // Written through a temporary file: nothing else is left in the folder.
    expect(readdirSync(path.join(remoteRoot, 'saves', 'gba')).sort()).toEqual([older.file_name, missing.file_name].sort());
    expect(await contentOf(older.id)).toBe('server-new');

    // Deleted on the device after it was synced: not pushed again.
    rmSync(remote(missing.file_name));
    await run(dev);
    expect(readdirSync(path.join(remoteRoot, 'saves', 'gba'))).toEqual([older.file_name]);
  });

  it('both sides changed since the last sync: a conflict, reported and left alone', async () => {
    const dev = await device();
    const save = await upload(rom, 'base');
    writeRemote(save.file_name, 'base', PAST);
    expect(await run(dev)).toMatchObject({ status: 'COMPLETED' });
    // The server changes (another device), and so does this device.
    const body = multipart('x.srm', 'server-edit');
    const put = await t.app.inject({ method: 'PUT', url: `/api/saves/${save.id}`, payload: body.payload, headers: { ...body.headers, authorization: u.basic } });
    expect(put.statusCode, put.body).toBe(200);
    writeRemote(save.file_name, 'device-edit', new Date(Date.now() + 3_600_000));
    const session = await run(dev);
    expect(session).toMatchObject({ status: 'COMPLETED', operations_completed: 1, operations_failed: 0 });
    expect(eventsOf(session.id).find((e) => e.name === 'sync:conflict')?.payload).toEqual({
      device_id: dev, session_id: session.id, file_name: save.file_name, rom_id: rom, reason: 'Both sides changed since last sync',
    });
    expect(await contentOf(save.id)).toBe('server-edit');
    expect(readFileSync(remote(save.file_name), 'utf8')).toBe('device-edit');
  });

  it('refuses a host whose key is not in known_hosts, or differs, or when known_hosts is missing', async () => {
    const dev = await device();
    const save = await upload(rom, 'keep');
    writeRemote(save.file_name, 'evil', new Date(Date.now() + 3_600_000));
    const before = server.sessions;

    writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${keyPair().public.split(' ').slice(0, 2).join(' ')}\n`);
    let session = await run(dev);
    expect(session.status).toBe('FAILED');
    expect(session.error_message).toBe(`The host key of [127.0.0.1]:${server.port} does not match the SSH known_hosts file (possible man-in-the-middle attack)`);
    const error = eventsOf(session.id).find((e) => e.name === 'sync:error');
    expect(error?.payload).toEqual({ device_id: dev, session_id: session.id, error: session.error_message });

    writeFileSync(knownHosts, `[otherhost]:22 ${server.knownHostsLine.split(' ').slice(1).join(' ')}\n`);
    session = await run(dev);
    expect(session).toMatchObject({ status: 'FAILED', error_message: `Host [127.0.0.1]:${server.port} is not in the SSH known_hosts file` });

    rmSync(knownHosts);
    session = await run(dev);
    expect(session.status).toBe('FAILED');
    expect(session.error_message).toMatch(/known_hosts file not found/);

    expect(server.sessions).toBe(before);
    expect(await contentOf(save.id)).toBe('keep');
  });

  it('refuses without a key in SYNC_SSH_KEYS_PATH, ignoring an ssh_key_path elsewhere', async () => {
    const elsewhere = path.join(ctx().dir, 'elsewhere.pem');
    writeFileSync(elsewhere, client.private);
    const dev = await device({ ssh_key_path: elsewhere }, false);
    const before = server.sessions;
    const session = await run(dev);
    expect(session).toMatchObject({ status: 'FAILED', error_message: `No SSH private key for this device: put it at ${dev}.pem in SYNC_SSH_KEYS_PATH` });
    expect(eventsOf(session.id).map((e) => e.name)).toEqual(['sync:started', 'sync:error']);
    expect(server.sessions).toBe(before);
    // The config shown to the owner still masks the path.
    expect((await call('GET', `/api/devices/${dev}`)).json<{ sync_config: Record<string, unknown> }>().sync_config.ssh_key_path).toBe('********');
  });

  it('skips unsafe remote names and refuses files over the size limit', async () => {
    const dev = await device();
    const big = await upload(rom, 'small');
    writeRemote(big.file_name, 'x'.repeat(5000), new Date(Date.now() + 3_600_000));
    writeRemote('we|ird.srm', 'odd', new Date());
    const session = await run(dev);
    expect(session).toMatchObject({ status: 'COMPLETED', operations_planned: 2, operations_completed: 0, operations_failed: 1 });
    expect(session.error_message).toContain('exceeds the maximum allowed size of 4096 bytes');
    expect(eventsOf(session.id).find((e) => e.name === 'sync:error')?.payload).toMatchObject({ error: '1 file(s) failed to process' });
    expect(await contentOf(big.id)).toBe('small');
  });

  it('the periodic run syncs every enabled push-pull device with a host, each in its own session', async () => {
    // Devices of earlier tests sync too, into /saves/gba: this one has its own folder.
    mkdirSync(path.join(remoteRoot, 'saves', 'periodic'));
    const dev = await device({ save_directories: [{ platform_slug: 'gba', path: '/saves/periodic' }] });
    const save = await upload(rom, 'server-only', 'Periodic.srm');
    const noHost = await device({ ssh_host: null });
    const off = await device();
    await call('PUT', `/api/devices/${off}`, { sync_enabled: false });
    const result = await t.services.pushPull.runAll();
    expect(result.status).toBe('completed');
    const mine = result.status === 'completed' ? result.device_results.filter((r) => [dev, noHost, off].includes(r.device_id)) : [];
    expect(mine).toEqual([{ device_id: dev, status: 'completed', completed: 1, failed: 0 }]);
    expect(readFileSync(path.join(remoteRoot, 'saves', 'periodic', save.file_name), 'utf8')).toBe('server-only');
    const sessions = (await call('GET', '/api/sync/sessions')).json<(Session & { device_id: string })[]>();
    expect(sessions.map((s) => [s.device_id, s.status])).toEqual([[dev, 'COMPLETED']]);
  });
});
