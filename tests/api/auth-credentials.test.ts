import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicHeader, cookiesFrom, createTestApp, createUser, TEST_SECRET, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

const key = new TextEncoder().encode(TEST_SECRET);

async function jwt(claims: Record<string, unknown>, secret: Uint8Array = key, expSeconds = 600): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
    .sign(secret);
}

describeEachEngine('authentication mechanisms', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t.app.close());

  const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/users/me', headers });

  describe('no credentials', () => {
    it('answers 401 with WWW-Authenticate: Bearer', async () => {
      const res = await me({});
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toEqual({ detail: 'Not authenticated' });
    });

    it('treats unknown schemes and malformed headers as unauthenticated', async () => {
      for (const authorization of ['Digest abc', 'Bearer', 'Basic a b', 'Basic !!!notbase64', 'Bearer rmm_']) {
        const res = await me({ authorization });
        expect(res.statusCode, authorization).toBe(401);
        expect(res.json()).toEqual({ detail: 'Not authenticated' });
      }
    });
  });

  describe('HTTP Basic', () => {
    it('accepts the right password, case-insensitively on the username', async () => {
      const res = await me({ authorization: basicHeader(viewer.user.username.toUpperCase(), viewer.password) });
      expect(res.statusCode).toBe(200);
      expect(res.json().username).toBe(viewer.user.username);
      // Served from the verified-credential cache the second time; same answer.
      expect((await me({ authorization: viewer.basic })).statusCode).toBe(200);
    });

    it('refuses a wrong password and an unknown user', async () => {
      expect((await me({ authorization: basicHeader(viewer.user.username, 'nope') })).statusCode).toBe(401);
      expect((await me({ authorization: basicHeader('ghost', 'whatever') })).statusCode).toBe(401);
    });
  });

  describe('session login', () => {
    it('logs in with Basic, sets an HttpOnly strict cookie, and authenticates later requests', async () => {
      const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: viewer.basic } });
      expect(login.statusCode).toBe(200);
      expect(login.body).toBe('null');
      const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
      const session = setCookie.find((c) => c.startsWith('romm_session='));
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Strict/);
      const cookies = cookiesFrom(login.headers);
      const res = await me({ cookie: `romm_session=${cookies.romm_session}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().username).toBe(viewer.user.username);
      expect(res.json().last_login).not.toBeNull();

      const logout = await t.app.inject({
        method: 'POST',
        url: '/api/logout',
        headers: {
          cookie: `romm_session=${cookies.romm_session}; romm_csrftoken=${cookies.romm_csrftoken}`,
          'x-csrftoken': cookies.romm_csrftoken ?? '',
        },
      });
      expect(logout.statusCode).toBe(200);
      expect((await me({ cookie: `romm_session=${cookies.romm_session}` })).statusCode).toBe(401);
    });

    it('refuses bad credentials with RomM messages', async () => {
      const bad = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: basicHeader(viewer.user.username, 'x') } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json()).toEqual({ detail: 'Incorrect username or password' });
      const none = await t.app.inject({ method: 'POST', url: '/api/login', headers: {} });
      expect(none.statusCode).toBe(403); // no Authorization header and no CSRF token: a cookie-style write
    });

    it('ignores a forged session cookie', async () => {
      expect((await me({ cookie: 'romm_session=forged-value' })).statusCode).toBe(401);
    });
  });

  describe('OAuth2 token endpoint and JWTs', () => {
    const token = (form: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/token', payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    it('issues access and refresh tokens for requested scopes', async () => {
      const res = await token({ grant_type: 'password', username: viewer.user.username, password: viewer.password, scope: 'me.read roms.read' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires', 'refresh_expires', 'refresh_token', 'token_type']);
      expect(body).toMatchObject({ token_type: 'bearer', expires: 1800, refresh_expires: 604800 });
      const ok = await me({ authorization: `Bearer ${body.access_token}` });
      expect(ok.statusCode).toBe(200);
      // The token carries only the requested scopes.
      const platforms = await t.app.inject({ method: 'GET', url: '/api/client-tokens', headers: { authorization: `Bearer ${body.access_token}` } });
      expect(platforms.statusCode).toBe(200);
      const write = await t.app.inject({ method: 'POST', url: '/api/client-tokens', headers: { authorization: `Bearer ${body.access_token}` }, payload: { name: 'x', scopes: ['me.read'] } });
      expect(write.statusCode).toBe(403);
      expect(write.json()).toEqual({ detail: 'Forbidden' });
    });

    it('answers RomM errors for bad grants', async () => {
      expect((await token({ username: viewer.user.username })).json()).toEqual({ detail: 'Missing username or password' });
      const wrong = await token({ username: viewer.user.username, password: 'bad' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toEqual({ detail: 'Invalid username or password' });
      const wide = await token({ username: viewer.user.username, password: viewer.password, scope: 'users.write' });
      expect(wide.statusCode).toBe(403);
      expect(wide.json()).toEqual({ detail: 'Insufficient scope' });
      const cc = await token({ grant_type: 'client_credentials' });
      expect(cc.json()).toEqual({ detail: 'Client credentials are not yet supported' });
      const other = await token({ grant_type: 'magic' });
      expect(other.statusCode).toBe(400);
      expect(other.json()).toEqual({ detail: 'Invalid or unsupported grant type' });
      expect((await token({ grant_type: 'refresh_token' })).json()).toEqual({ detail: 'Missing refresh token' });
    });

    it('rotates refresh tokens and refuses a reused one', async () => {
      const first = (await token({ username: admin.user.username, password: admin.password, scope: 'me.read users.read' })).json();
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(second.statusCode).toBe(200);
      expect(second.json().refresh_token).not.toBe(first.refresh_token);
      const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${second.json().access_token}` } });
      expect(users.statusCode).toBe(200);
      const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(reused.statusCode).toBe(401);
      expect(reused.json()).toEqual({ detail: 'Could not validate credentials' });
    });

    it('refuses expired, forged and refresh-as-access JWTs', async () => {
      const base = { sub: viewer.user.username, iss: 'romm:oauth', scopes: 'me.read' };
      const expired = await jwt({ ...base, type: 'access' }, key, -10);
      const forged = await jwt({ ...base, type: 'access' }, new TextEncoder().encode('another-secret-another-secret-xx'));
      const refresh = (await token({ username: viewer.user.username, password: viewer.password, scope: 'me.read' })).json().refresh_token as string;
      for (const bad of [expired, forged, refresh, `${(await jwt({ ...base, type: 'access' })).slice(0, -3)}abc`]) {
        const res = await me({ authorization: `Bearer ${bad}` });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ detail: 'Could not validate credentials' });
      }
      const good = await me({ authorization: `Bearer ${await jwt({ ...base, type: 'access' })}` });
      expect(good.statusCode).toBe(200);
    });

    it('ignores tokens from another issuer and never grants more than the user holds', async () => {
      const foreign = await jwt({ sub: viewer.user.username, iss: 'someone-else', scopes: 'me.read', type: 'access' });
      expect((await me({ authorization: `Bearer ${foreign}` })).json()).toEqual({ detail: 'Not authenticated' });
      const inflated = await jwt({ sub: viewer.user.username, iss: 'romm:oauth', scopes: 'me.read users.read', type: 'access' });
      const res = await t.app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${inflated}` } });
      expect(res.statusCode).toBe(403);
    });
  });
});

describeEachEngine('session expiry', (ctx) => {
  it('expired sessions stop authenticating and are purged', async () => {
    const t = await createTestApp(ctx(), { SESSION_MAX_AGE_SECONDS: '60' });
    const user = await createUser(t.services, 'viewer');
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: user.basic } });
    const cookie = `romm_session=${cookiesFrom(login.headers).romm_session}`;
    expect((await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { cookie } })).statusCode).toBe(200);
    await ctx().db.kysely.updateTable('sessions').set({ expires_at: Date.now() - 1 }).execute();
    await t.services.auth.purgeExpired();
    expect(await ctx().db.kysely.selectFrom('sessions').selectAll().execute()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { cookie } })).statusCode).toBe(401);
    await t.app.close();
  });
});
