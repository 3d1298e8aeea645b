import { afterAll, beforeAll, expect, it } from 'vitest';
import { basicHeader, cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

interface Credentials {
  session: string;
  access: string;
  refresh: string;
  basic: string;
  clientToken: string;
}

describeEachEngine('credential revocation on password change and disable', (ctx) => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
  });
  afterAll(async () => t.app.close());

  const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/users/me', headers });
  const token = (form: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  const put = (id: number, authorization: string, form: Record<string, string>) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/users/${id}`,
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });

  /** Every kind of credential the user can hold, each proven to work (the Basic one is now cached). */
  async function signIn(user: TestUser): Promise<Credentials> {
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: user.basic } });
    expect(login.statusCode).toBe(200);
    const session = `romm_session=${cookiesFrom(login.headers).romm_session}`;
    const grant = await token({ username: user.user.username, password: user.password, scope: 'me.read' });
    expect(grant.statusCode).toBe(200);
    const { access_token: access, refresh_token: refresh } = grant.json();
    const created = await t.app.inject({ method: 'POST', url: '/api/client-tokens', headers: { authorization: user.basic }, payload: { name: 'handheld', scopes: ['me.read'] } });
    expect(created.statusCode).toBe(201);
    const creds = { session, access, refresh, basic: user.basic, clientToken: created.json().raw_token as string };
    expect((await me({ cookie: session })).statusCode).toBe(200);
    expect((await me({ authorization: `Bearer ${access}` })).statusCode).toBe(200);
    expect((await me({ authorization: user.basic })).statusCode).toBe(200);
    expect((await me({ authorization: `Bearer ${creds.clientToken}` })).statusCode).toBe(200);
    return creds;
  }

  async function expectRevoked(creds: Credentials): Promise<void> {
    expect((await me({ cookie: creds.session })).statusCode, 'session cookie').toBe(401);
    const jwt = await me({ authorization: `Bearer ${creds.access}` });
    expect(jwt.statusCode, 'access token').toBe(401);
    expect(jwt.json()).toEqual({ detail: 'Could not validate credentials' });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: creds.refresh });
    expect(refreshed.statusCode, 'refresh token').toBe(401);
    expect((await me({ authorization: creds.basic })).statusCode, 'cached Basic credential').toBe(401);
  }

  it('an admin password reset ends sessions, access and refresh tokens and cached Basic at once; client tokens stay', async () => {
    const user = await createUser(t.services, 'viewer');
    const creds = await signIn(user);
    expect((await put(user.user.id, admin.basic, { password: 'reset by the admin' })).statusCode).toBe(200);
    await expectRevoked(creds);
    expect((await me({ authorization: `Bearer ${creds.clientToken}` })).statusCode, 'client token').toBe(200);
    expect((await me({ authorization: basicHeader(user.user.username, 'reset by the admin') })).statusCode).toBe(200);
    // New credentials issued after the change work.
    const fresh = await token({ username: user.user.username, password: 'reset by the admin', scope: 'me.read' });
    expect((await me({ authorization: `Bearer ${fresh.json().access_token}` })).statusCode).toBe(200);
  });

  it('a user changing their own password ends their other credentials too', async () => {
    const user = await createUser(t.services, 'viewer');
    const creds = await signIn(user);
    expect((await put(user.user.id, user.basic, { password: 'my own new secret' })).statusCode).toBe(200);
    await expectRevoked(creds);
    expect((await me({ authorization: `Bearer ${creds.clientToken}` })).statusCode, 'client token').toBe(200);
  });

  it('disabling a user ends every credential, and re-enabling does not bring old tokens back', async () => {
    const user = await createUser(t.services, 'viewer');
    const creds = await signIn(user);
    expect((await put(user.user.id, admin.basic, { enabled: 'false' })).statusCode).toBe(200);
    await expectRevoked(creds);
    expect((await me({ authorization: `Bearer ${creds.clientToken}` })).statusCode).toBe(401);

    expect((await put(user.user.id, admin.basic, { enabled: 'true' })).statusCode).toBe(200);
    expect((await me({ cookie: creds.session })).statusCode).toBe(401);
    expect((await me({ authorization: `Bearer ${creds.access}` })).statusCode).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: creds.refresh })).statusCode).toBe(401);
    // The password did not change: Basic and the device's client token work again.
    expect((await me({ authorization: user.basic })).statusCode).toBe(200);
    expect((await me({ authorization: `Bearer ${creds.clientToken}` })).statusCode).toBe(200);
  });

  it('tokens name their user by id too: after a rename, a new account with the old name is not reachable through them', async () => {
    const user = await createUser(t.services, 'viewer');
    const oldName = user.user.username;
    const grant = await token({ username: oldName, password: user.password, scope: 'me.read' });
    expect(grant.statusCode).toBe(200);
    const { access_token: access, refresh_token: refresh } = grant.json();
    expect((await put(user.user.id, admin.basic, { username: `${oldName}-renamed` })).statusCode).toBe(200);
    const newcomer = await createUser(t.services, 'viewer', oldName);
    expect(newcomer.user.id).not.toBe(user.user.id);
    expect((await me({ authorization: `Bearer ${access}` })).statusCode, 'access token').toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: refresh })).statusCode, 'refresh token').toBe(401);
  });

  it('other edits (email, role) leave credentials alone', async () => {
    const user = await createUser(t.services, 'viewer');
    const creds = await signIn(user);
    expect((await put(user.user.id, admin.basic, { email: `${user.user.username}@example.com`, role: 'editor' })).statusCode).toBe(200);
    expect((await me({ cookie: creds.session })).statusCode).toBe(200);
    expect((await me({ authorization: `Bearer ${creds.access}` })).statusCode).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: creds.refresh })).statusCode).toBe(200);
  });

  it('a session created by a login that raced the change is refused', async () => {
    const user = await createUser(t.services, 'viewer');
    const creds = await signIn(user);
    // As if the login had read the user row just before the change committed.
    await ctx().db.kysely.updateTable('users').set({ token_generation: 7 }).where('id', '=', user.user.id).execute();
    expect((await me({ cookie: creds.session })).statusCode).toBe(401);
    expect((await me({ authorization: `Bearer ${creds.access}` })).statusCode).toBe(401);
  });
});
