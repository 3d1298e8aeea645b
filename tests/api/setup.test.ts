import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { cookiesFrom, createTestApp, type TestApp } from '../helpers/app.ts';

describeEachEngine('first-run setup', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx());
  });
  afterAll(async () => t.app.close());

  it('reports the setup wizard, lets an anonymous caller create the first admin, then closes', async () => {
    const hb = await t.app.inject({ method: 'GET', url: '/api/heartbeat' });
    expect(hb.statusCode).toBe(200);
    expect(hb.json().SYSTEM.SHOW_SETUP_WIZARD).toBe(true);
    const csrf = cookiesFrom(hb.headers).romm_csrftoken;
    expect(csrf).toBeTruthy();

    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/users', payload: { username: 'x', password: 'y', role: 'viewer' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toEqual({ detail: 'CSRF token verification failed' });

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: `romm_csrftoken=${csrf}`, 'x-csrftoken': csrf },
      // The first account is an admin whatever role is asked for.
      payload: { username: 'Owner', password: 'secret-pass', email: '', role: 'viewer' },
    });
    expect(created.statusCode).toBe(200);
    const body = created.json();
    expect(body).toMatchObject({ username: 'owner', role: 'admin', enabled: true, email: null, permission_group_id: null });
    expect(body.oauth_scopes).toContain('users.write');
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);

    const after = await t.app.inject({ method: 'GET', url: '/api/heartbeat' });
    expect(after.json().SYSTEM.SHOW_SETUP_WIZARD).toBe(false);

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: `romm_csrftoken=${csrf}`, 'x-csrftoken': csrf },
      payload: { username: 'intruder', password: 'secret-pass', role: 'admin' },
    });
    expect(second.statusCode).toBe(403);
    expect(second.json()).toEqual({ detail: 'Forbidden' });
  });
});
