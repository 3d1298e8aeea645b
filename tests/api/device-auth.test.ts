import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

const GROUT_SCOPES = ['me.read', 'platforms.read', 'roms.read', 'collections.read', 'firmware.read', 'assets.read',
  'assets.write', 'devices.read', 'devices.write'];

describeEachEngine('device-code authorization', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  let admin: TestUser;
  // Each test polls from its own address so the per-address limits never interfere.
  let address = 0;
  const nextIp = () => `10.0.0.${++address}`;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    viewer = await createUser(t.services, 'viewer');
    admin = await createUser(t.services, 'admin');
  });
  afterAll(async () => t.app.close());

  const init = (ip: string, payload: object = {}) => t.app.inject({
    method: 'POST', url: '/api/auth/device/init', remoteAddress: ip,
    payload: { client_device_identifier: 'serial-1234', name: 'Retroid Pocket 5', client: 'grout', platform: 'android',
      client_version: '2.1.0', requested_scopes: GROUT_SCOPES, ...payload },
  });
  const poll = (ip: string, deviceCode: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/device/token', remoteAddress: ip, payload: { device_code: deviceCode } });
  const approve = (auth: string, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/auth/device/approve', headers: { authorization: auth }, payload });
  /** Makes the next poll count as on time, as if the interval had passed. */
  const waitInterval = () => ctx().db.kysely.updateTable('device_codes').set({ last_poll_at: Date.now() - 6000 }).execute();

  it('hands out a code pair in RomM\'s shape', async () => {
    const res = await init(nextIp());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['device_code', 'expires_in', 'interval', 'user_code', 'verification_path', 'verification_path_complete']);
    expect(body.device_code).toMatch(/^[0-9a-f]{64}$/);
    expect(body.user_code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect(body.verification_path).toBe('/pair/device');
    expect(body.verification_path_complete).toBe(`/pair/device?user_code=${body.user_code}`);
    expect(body.expires_in).toBe(600);
    expect(body.interval).toBe(5);
    // Only a hash of the device code is stored.
    const rows = await ctx().db.kysely.selectFrom('device_codes').select('device_code_hash').execute();
    expect(rows.map((r) => r.device_code_hash)).not.toContain(body.device_code);
  });

  it('refuses unknown scopes and incomplete requests', async () => {
    const res = await init(nextIp(), { requested_scopes: ['roms.read', 'bogus.scope', 'nope'] });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ detail: 'Unknown scopes: bogus.scope, nope' });
    expect((await init(nextIp(), { name: '' })).statusCode).toBe(422);
  });

  it('pending, slow_down, approve, then one token that works and is bound to a device', async () => {
    const ip = nextIp();
    const { device_code, user_code } = (await init(ip)).json();
    const first = await poll(ip, device_code);
    expect(first.statusCode).toBe(400);
    expect(first.json()).toEqual({ detail: 'authorization_pending' });
    expect((await poll(ip, device_code)).json()).toEqual({ detail: 'slow_down' });
    await waitInterval();
    expect((await poll(ip, device_code)).json()).toEqual({ detail: 'authorization_pending' });

    // The approving side: the code is normalized, allowed scopes are the intersection with the viewer's.
    const dashed = `${user_code.slice(0, 4).toLowerCase()}-${user_code.slice(4)}`;
    const pending = await t.app.inject({ method: 'GET', url: `/api/auth/device/pending/${dashed}`, headers: { authorization: viewer.basic } });
    expect(pending.statusCode).toBe(200);
    const p = pending.json();
    expect(p.name).toBe('Retroid Pocket 5');
    expect(p.client).toBe('grout');
    expect(p.requested_scopes).toEqual([...GROUT_SCOPES].sort());
    expect(p.allowed_scopes).toEqual([...GROUT_SCOPES].sort());
    expect(Date.parse(p.expires_at)).toBeGreaterThan(Date.now());

    const tooWide = await approve(viewer.basic, { user_code, approved_scopes: ['roms.read', 'users.write'] });
    expect(tooWide.statusCode).toBe(403);
    expect(tooWide.json()).toEqual({ detail: "Approved scopes exceed what's allowed for this user" });
    const badExpiry = await approve(viewer.basic, { user_code, approved_scopes: ['roms.read'], expires_in: '2d' });
    expect(badExpiry.statusCode).toBe(422);

    const ok = await approve(viewer.basic, { user_code, approved_scopes: ['roms.read', 'me.read'], expires_in: '30d', device_name: 'My RP5' });
    expect(ok.statusCode).toBe(200);
    const { device_id, device_name } = ok.json();
    expect(device_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(device_name).toBe('My RP5');
    // Approved codes are gone for the approving side.
    expect((await approve(viewer.basic, { user_code, approved_scopes: ['roms.read'] })).statusCode).toBe(404);

    const tokenRes = await poll(ip, device_code);
    expect(tokenRes.statusCode).toBe(200);
    const token = tokenRes.json();
    expect(token.access_token).toMatch(/^rmm_[0-9a-f]{64}$/);
    expect(token.device_id).toBe(device_id);
    expect(token.scopes).toEqual(['me.read', 'roms.read']);
    expect(Date.parse(token.expires_at)).toBeGreaterThan(Date.now() + 29 * 86400_000);
    // One-shot.
    expect((await poll(ip, device_code)).json()).toEqual({ detail: 'expired_token' });

    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token.access_token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(viewer.user.username);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/client-tokens', headers: { authorization: viewer.basic } })).json();
    expect(listed.find((x: { device_id: string | null }) => x.device_id === device_id)?.name).toBe('My RP5');

    // The same device signing in again reuses its device row.
    const again = (await init(ip)).json();
    const second = await approve(viewer.basic, { user_code: again.user_code, approved_scopes: ['roms.read'], device_name: 'Renamed' });
    expect(second.json()).toEqual({ device_id, device_name: 'Renamed' });
    const devices = await ctx().db.kysely.selectFrom('devices').selectAll().where('user_id', '=', viewer.user.id).execute();
    expect(devices).toHaveLength(1);
    expect(devices[0]?.name).toBe('Renamed');
  });

  it('a denied request answers access_denied', async () => {
    const ip = nextIp();
    const { device_code, user_code } = (await init(ip)).json();
    const deny = await t.app.inject({ method: 'POST', url: '/api/auth/device/deny', headers: { authorization: admin.basic }, payload: { user_code } });
    expect(deny.statusCode).toBe(200);
    expect(deny.json()).toBeNull();
    expect((await poll(ip, device_code)).json()).toEqual({ detail: 'access_denied' });
    expect((await approve(admin.basic, { user_code, approved_scopes: ['roms.read'] })).json()).toEqual({ detail: 'Unknown or expired code' });
  });

  it('an expired or unknown code answers expired_token and 404', async () => {
    const ip = nextIp();
    const { device_code, user_code } = (await init(ip)).json();
    await ctx().db.kysely.updateTable('device_codes').set({ expires_at: Date.now() - 1 }).where('user_code', '=', user_code).execute();
    const res = await poll(ip, device_code);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'expired_token' });
    expect((await poll(ip, 'f'.repeat(64))).json()).toEqual({ detail: 'expired_token' });
    const pending = await t.app.inject({ method: 'GET', url: `/api/auth/device/pending/${user_code}`, headers: { authorization: admin.basic } });
    expect(pending.statusCode).toBe(404);
    expect(pending.json()).toEqual({ detail: 'Unknown or expired code' });
    expect((await approve(admin.basic, { user_code, approved_scopes: ['roms.read'] })).statusCode).toBe(404);
  });

  it('init and token need no CSRF header even with a session cookie; approve needs a signed-in user', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: viewer.basic } });
    const s = cookiesFrom(login.headers);
    const cookie = `romm_session=${s.romm_session}; romm_csrftoken=${s.romm_csrftoken}`;
    const ip = nextIp();
    const created = await t.app.inject({
      method: 'POST', url: '/api/auth/device/init', remoteAddress: ip, headers: { cookie },
      payload: { client_device_identifier: 'x', name: 'x', client: 'x', requested_scopes: ['roms.read'] },
    });
    expect(created.statusCode).toBe(201);
    const { device_code, user_code } = created.json();
    const polled = await t.app.inject({ method: 'POST', url: '/api/auth/device/token', remoteAddress: ip, headers: { cookie }, payload: { device_code } });
    expect(polled.json()).toEqual({ detail: 'authorization_pending' });

    // The approving side is not exempt: a cookie session must send the CSRF header.
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/auth/device/approve', headers: { cookie }, payload: { user_code, approved_scopes: ['roms.read'] } });
    expect(noHeader.statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'POST', url: '/api/auth/device/approve', headers: { 'x-csrftoken': 'x' }, payload: { user_code, approved_scopes: ['roms.read'] },
    });
    expect([401, 403]).toContain(anonymous.statusCode);
    const anonPending = await t.app.inject({ method: 'GET', url: `/api/auth/device/pending/${user_code}` });
    expect(anonPending.statusCode).toBe(401);
    const withHeader = await t.app.inject({
      method: 'POST', url: '/api/auth/device/approve', headers: { cookie, 'x-csrftoken': s.romm_csrftoken ?? '' },
      payload: { user_code, approved_scopes: ['roms.read'] },
    });
    expect(withHeader.statusCode).toBe(200);
  });

  it('limits requests to 10 and polls to 60 a minute per address', async () => {
    const ip = nextIp();
    for (let i = 0; i < 10; i++) expect((await init(ip)).statusCode).toBe(201);
    const limited = await init(ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ detail: 'Too many authorize attempts. Try again later.' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await init(nextIp())).statusCode).toBe(201);

    const pollIp = nextIp();
    for (let i = 0; i < 60; i++) expect((await poll(pollIp, 'a'.repeat(64))).statusCode).toBe(400);
    const tooMany = await poll(pollIp, 'a'.repeat(64));
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json()).toEqual({ detail: 'Too many polling attempts. Try again later.' });
  });
});
