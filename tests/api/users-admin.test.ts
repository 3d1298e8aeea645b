import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { basicHeader, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';

describeEachEngine('PUT and DELETE /api/users/{id}', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  const put = (id: number, as: TestUser, form: Record<string, string>) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/users/${id}`,
      headers: { authorization: as.basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin', 'root');
    viewer = await createUser(t.services, 'viewer', 'vera');
  });
  afterAll(async () => t.app.close());

  it('lets an admin change a role and disable a user', async () => {
    const res = await put(viewer.user.id, admin, { role: 'editor', enabled: 'false' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: viewer.user.id, role: 'user', enabled: false });
    expect(res.json().permission_group_id).toEqual(expect.any(Number));
    expect(res.json().oauth_scopes).toContain('roms.write');
    // A disabled user cannot log in any more.
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: viewer.basic } });
    expect(login.statusCode).toBe(401);
    const back = await put(viewer.user.id, admin, { role: 'viewer', enabled: 'true' });
    expect(back.json()).toMatchObject({ role: 'user', enabled: true });
    expect(back.json().oauth_scopes).not.toContain('roms.write');
  });

  it('accepts multipart forms like RomM clients send', async () => {
    const boundary = '----romshelf';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nVera@Example.com\r\n--${boundary}--\r\n`;
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${viewer.user.id}`,
      headers: { authorization: viewer.basic, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().email).toBe('vera@example.com');
  });

  it('lets users change their own password but not their own role', async () => {
    const res = await put(viewer.user.id, viewer, { password: 'a new long secret', role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('user');
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: basicHeader('vera', 'a new long secret') } });
    expect(login.statusCode).toBe(200);
    viewer = { ...viewer, basic: basicHeader('vera', 'a new long secret') };
  });

  it('forbids editing someone else without being an admin', async () => {
    const res = await put(admin.user.id, viewer, { email: 'x@example.com' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Forbidden' });
  });

  it('answers RomM\'s errors for unknown users, bad roles and the last admin', async () => {
    expect((await put(9999, admin, { role: 'viewer' })).json()).toEqual({ detail: 'Username with id 9999 not found' });
    const badRole = await put(viewer.user.id, admin, { role: 'wizard' });
    expect(badRole.statusCode).toBe(400);
    const other = await createUser(t.services, 'admin', 'second');
    // Demoting one of two admins is fine; demoting the last one is not.
    expect((await put(other.user.id, admin, { role: 'viewer' })).statusCode).toBe(200);
    const self = await t.app.inject({ method: 'DELETE', url: `/api/users/${admin.user.id}`, headers: { authorization: admin.basic } });
    expect(self.statusCode).toBe(400);
    expect(self.json()).toEqual({ detail: 'You cannot delete yourself' });
  });

  it('deletes a user (users.write) and 404s afterwards', async () => {
    const gone = await createUser(t.services, 'viewer', 'gone');
    const denied = await t.app.inject({ method: 'DELETE', url: `/api/users/${gone.user.id}`, headers: { authorization: viewer.basic } });
    expect(denied.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/users/${gone.user.id}`, headers: { authorization: admin.basic } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toBeNull();
    const again = await t.app.inject({ method: 'DELETE', url: `/api/users/${gone.user.id}`, headers: { authorization: admin.basic } });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: 'User not found' });
  });
});
