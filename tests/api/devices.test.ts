import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';

const DEVICE_KEYS = [
  'id', 'user_id', 'name', 'platform', 'client', 'client_version', 'ip_address', 'mac_address', 'hostname',
  'client_device_identifier', 'sync_mode', 'sync_enabled', 'sync_config', 'last_seen', 'created_at', 'updated_at',
];

describeEachEngine('/api/devices (RomM 5)', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const call = (as: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: as ? { authorization: as.basic } : {}, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer');
    bob = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t?.app.close());

  it('registers a device (201), lists and reads it in RomM\'s shape', async () => {
    const res = await call(alice, 'POST', '/api/devices', { name: 'Handheld', platform: 'muOS', client: 'grout', client_version: '1.2.0', sync_mode: 'api' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['device_id', 'name', 'created_at']);
    expect(body.name).toBe('Handheld');
    expect(body.created_at).toMatch(/\+00:00$/);

    const one = (await call(alice, 'GET', `/api/devices/${body.device_id}`)).json();
    expect(Object.keys(one)).toEqual(DEVICE_KEYS);
    expect(one).toMatchObject({
      id: body.device_id, user_id: alice.user.id, name: 'Handheld', platform: 'muOS', client: 'grout', client_version: '1.2.0',
      ip_address: null, mac_address: null, hostname: null, client_device_identifier: null, sync_mode: 'api', sync_enabled: true, sync_config: null,
    });
    expect(one.last_seen).toMatch(/\+00:00$/);
    expect((await call(alice, 'GET', '/api/devices')).json().map((d: { id: string }) => d.id)).toContain(body.device_id);
    // Without a fingerprint, every registration is a new device (as Grout's are in RomM).
    expect((await call(alice, 'POST', '/api/devices', { name: 'Handheld', platform: 'muOS', client: 'grout' })).statusCode).toBe(201);
  });

  it('the same MAC, or the same hostname on the same platform, returns the existing device with 200', async () => {
    const first = (await call(alice, 'POST', '/api/devices', { name: 'Deck', platform: 'linux', hostname: 'steamdeck', mac_address: 'aa:bb:cc:dd:ee:ff' })).json();
    const byHost = await call(alice, 'POST', '/api/devices', { name: 'Other name', platform: 'linux', hostname: 'steamdeck' });
    expect(byHost.statusCode).toBe(200);
    expect(byHost.json()).toEqual({ device_id: first.device_id, name: 'Deck', created_at: first.created_at });
    const byMac = await call(alice, 'POST', '/api/devices', { platform: 'android', mac_address: 'aa:bb:cc:dd:ee:ff' });
    expect(byMac.json().device_id).toBe(first.device_id);
    // Different platform, same hostname: a new device.
    expect((await call(alice, 'POST', '/api/devices', { platform: 'windows', hostname: 'steamdeck' })).statusCode).toBe(201);

    const refused = await call(alice, 'POST', '/api/devices', { platform: 'linux', hostname: 'steamdeck', allow_existing: false });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ detail: { error: 'device_exists', message: 'A device with this fingerprint already exists', device_id: first.device_id } });
    const dup = await call(alice, 'POST', '/api/devices', { platform: 'linux', hostname: 'steamdeck', allow_duplicate: true });
    expect(dup.statusCode).toBe(201);
    expect(dup.json().device_id).not.toBe(first.device_id);
    // Another user's devices never match.
    expect((await call(bob, 'POST', '/api/devices', { platform: 'linux', hostname: 'steamdeck' })).statusCode).toBe(201);
  });

  it('PUT writes only the keys sent, masks secrets, and creates sync folders for file transfer', async () => {
    const { device_id } = (await call(alice, 'POST', '/api/devices', { name: 'TV', platform: 'android', client: 'argosy' })).json();
    const res = await call(alice, 'PUT', `/api/devices/${device_id}`, {
      client_version: '2.0', hostname: null, sync_mode: 'file_transfer', sync_config: { ssh_password: 'hunter2', host: 'tv.lan' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: device_id, name: 'TV', client: 'argosy', client_version: '2.0', hostname: null, sync_mode: 'file_transfer', sync_config: { ssh_password: '********', host: 'tv.lan' } });
    for (const sub of ['incoming', 'outgoing']) expect(existsSync(path.join(t.config.dataPath, 'sync', device_id, sub))).toBe(true);
    expect((await call(alice, 'PUT', `/api/devices/${device_id}`, { sync_enabled: false })).json().sync_enabled).toBe(false);
    expect((await call(alice, 'PUT', `/api/devices/${device_id}`, { sync_mode: null })).statusCode).toBe(422);
    expect((await call(alice, 'PUT', `/api/devices/${device_id}`, { sync_mode: 'carrier_pigeon' })).statusCode).toBe(422);
    expect((await call(alice, 'PUT', `/api/devices/${device_id}`, { name: 'x'.repeat(300) })).statusCode).toBe(422);
  });

  it('another user\'s device is a 404, and DELETE answers 204', async () => {
    const { device_id } = (await call(alice, 'POST', '/api/devices', { name: 'Phone' })).json();
    for (const [method, payload] of [['GET', undefined], ['PUT', { name: 'mine' }], ['DELETE', undefined]] as const) {
      const res = await call(bob, method, `/api/devices/${device_id}`, payload);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: `Device with ID ${device_id} not found` });
    }
    expect((await call(bob, 'GET', '/api/devices')).json().map((d: { id: string }) => d.id)).not.toContain(device_id);
    expect((await call(alice, 'DELETE', `/api/devices/${device_id}`)).statusCode).toBe(204);
    expect((await call(alice, 'GET', `/api/devices/${device_id}`)).statusCode).toBe(404);
    expect((await call(null, 'GET', '/api/devices')).statusCode).toBe(401);
  });

  it('a device-bound token moves the device\'s last_seen, at most every five minutes', async () => {
    const { device_id } = (await call(alice, 'POST', '/api/devices', { name: 'Seen' })).json();
    const token = await t.app.inject({ method: 'POST', url: '/api/client-tokens', headers: { authorization: alice.basic }, payload: { name: 'dev', scopes: ['me.read'] } });
    const { id, raw_token } = token.json();
    const k = ctx().db.kysely;
    await k.updateTable('client_tokens').set({ device_id }).where('id', '=', id).execute();
    const old = Date.now() - 3_600_000;
    await k.updateTable('devices').set({ last_seen: old }).where('id', '=', device_id).execute();
    const seen = async () => Number((await k.selectFrom('devices').select('last_seen').where('id', '=', device_id).executeTakeFirstOrThrow()).last_seen);
    expect((await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${raw_token}` } })).statusCode).toBe(200);
    const first = await seen();
    expect(first).toBeGreaterThan(old);
    await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${raw_token}` } });
    expect(await seen()).toBe(first);
    // Deleting the device leaves its token working, unbound.
    await call(alice, 'DELETE', `/api/devices/${device_id}`);
    expect((await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${raw_token}` } })).statusCode).toBe(200);
  });
});
