import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

describeEachEngine('CSRF on cookie-authenticated writes', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  let session: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    viewer = await createUser(t.services, 'viewer');
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: viewer.basic } });
    session = cookiesFrom(login.headers);
  });
  afterAll(async () => t.app.close());

  const createToken = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/client-tokens', headers, payload: { name: 'c', scopes: ['me.read'] } });

  it('binds the CSRF cookie issued at login to the user', () => {
    expect(session.romm_csrftoken).toMatch(new RegExp(`\\.${viewer.user.id}\\.`));
  });

  it('refuses a cookie-authenticated write without the header, or with a mismatched one', async () => {
    const cookie = `romm_session=${session.romm_session}; romm_csrftoken=${session.romm_csrftoken}`;
    const missing = await createToken({ cookie });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ detail: 'CSRF token verification failed' });
    const wrong = await createToken({ cookie, 'x-csrftoken': 'forged.1.sig' });
    expect(wrong.statusCode).toBe(403);
    const ok = await createToken({ cookie, 'x-csrftoken': session.romm_csrftoken ?? '' });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses a CSRF token bound to another user (or to nobody)', async () => {
    const anon = cookiesFrom((await t.app.inject({ method: 'GET', url: '/api/heartbeat' })).headers).romm_csrftoken ?? '';
    const res = await createToken({ cookie: `romm_session=${session.romm_session}; romm_csrftoken=${anon}`, 'x-csrftoken': anon });
    expect(res.statusCode).toBe(403);
  });

  it('does not apply to Authorization-header requests or the token endpoint', async () => {
    expect((await createToken({ authorization: viewer.basic })).statusCode).toBe(201);
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=${viewer.user.username}&password=${viewer.password}&scope=me.read`,
    });
    expect(token.statusCode).toBe(200);
  });

  it('is skipped entirely with DISABLE_CSRF_PROTECTION', async () => {
    const relaxed = await createTestApp(ctx(), { DISABLE_CSRF_PROTECTION: 'true' });
    const res = await relaxed.app.inject({
      method: 'POST',
      url: '/api/client-tokens',
      headers: { cookie: `romm_session=${session.romm_session}` },
      payload: { name: 'c', scopes: ['me.read'] },
    });
    expect(res.statusCode).toBe(201);
    await relaxed.app.close();
  });
});

describeEachEngine('bad input', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await createTestApp(ctx());
    viewer = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t.app.close());

  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/client-tokens', headers: { authorization: viewer.basic, 'content-type': contentType }, payload });

  it('answers malformed JSON, wrong types and unknown content types with a 4xx detail and no stack trace', async () => {
    for (const [payload, type] of [
      ['{"name": ', 'application/json'],
      ['', 'application/json'],
      ['{"name": 5, "scopes": "x"}', 'application/json'],
      ['name=x', 'text/plain'],
      ['\u0000\u0001', 'application/octet-stream'],
    ] as const) {
      const res = await post(payload, type);
      expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, payload).toBeLessThan(500);
      const body = res.json();
      expect(body.detail, payload).toBeDefined();
      expect(res.body).not.toMatch(/at .*\.ts:\d+|node_modules/);
    }
  });

  it('answers FastAPI-style 422 for invalid path parameters', async () => {
    const admin = await createUser(t.services, 'admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/users/abc', headers: { authorization: admin.basic } });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ['path', 'id'] });
  });

  it('answers 404 with a detail for unknown routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Not Found' });
  });

  it('validates new users', async () => {
    const admin = await createUser(t.services, 'admin');
    const make = (payload: object) => t.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: admin.basic }, payload });
    expect((await make({ username: '', password: 'x', role: 'viewer' })).json()).toEqual({ detail: 'Username cannot be empty' });
    expect((await make({ username: 'a b', password: 'x', role: 'viewer' })).statusCode).toBe(400);
    expect((await make({ username: 'ok', password: ' ', role: 'viewer' })).json()).toEqual({ detail: 'Password cannot be empty' });
    expect((await make({ username: 'ok', password: 'x', role: 'god' })).statusCode).toBe(400);
    expect((await make({ username: 'ok', password: 'x', role: 'viewer', email: 'bad' })).json()).toEqual({ detail: 'Invalid email format' });
    expect((await make({ username: 'ok2', password: 'x', role: 'editor' })).statusCode).toBe(200);
    const dup = await make({ username: 'OK2', password: 'x', role: 'editor' });
    expect(dup.json()).toEqual({ detail: 'Username ok2 already exists' });
    const byViewer = await t.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: viewer.basic }, payload: { username: 'v2', password: 'x', role: 'viewer' } });
    expect(byViewer.statusCode).toBe(403);
  });
});
