import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthRepository } from '../../src/db/repositories/auth-repository.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

describeEachEngine('client API tokens', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
  });
  afterAll(async () => t.app.close());

  const create = (auth: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/client-tokens', headers: { authorization: auth }, payload: payload as object });
  const bearer = (raw: string) => ({ authorization: `Bearer ${raw}` });

  it('creates a token shown once, stores only its hash, and authenticates with its scopes', async () => {
    const res = await create(viewer.basic, { name: 'handheld', scopes: ['roms.read', 'me.read'], expires_in: '30d' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['created_at', 'device_id', 'expires_at', 'id', 'last_used_at', 'name', 'raw_token', 'scopes', 'user_id']);
    expect(body.raw_token).toMatch(/^rmm_[0-9a-f]{64}$/);
    expect(body.scopes).toEqual(['me.read', 'roms.read']);
    expect(body.expires_at).not.toBeNull();
    const stored = await new AuthRepository(ctx().db.kysely).findClientToken(body.id);
    expect(stored?.hashed_token).not.toContain(body.raw_token.slice(4, 20));

    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(body.raw_token) });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(viewer.user.username);
    // me.write is not among the token's scopes.
    const write = await create(`Bearer ${body.raw_token}`, { name: 'x', scopes: ['me.read'] });
    expect(write.statusCode).toBe(403);

    const list = await t.app.inject({ method: 'GET', url: '/api/client-tokens', headers: { authorization: viewer.basic } });
    const listed = list.json().find((x: { id: number }) => x.id === body.id);
    expect(listed.raw_token).toBeUndefined();
    expect(listed.last_used_at).not.toBeNull();
  });

  it('refuses scopes wider than the owner holds, and bad expiry values', async () => {
    const wide = await create(viewer.basic, { name: 'x', scopes: ['roms.read', 'users.write', 'tasks.run'] });
    expect(wide.statusCode).toBe(403);
    expect(wide.json()).toEqual({ detail: 'Requested scopes exceed your permissions: tasks.run, users.write' });
    const bogus = await create(viewer.basic, { name: 'x', scopes: ['not.a.scope'] });
    expect(bogus.statusCode).toBe(403);
    const expiry = await create(viewer.basic, { name: 'x', scopes: ['me.read'], expires_in: '5y' });
    expect(expiry.statusCode).toBe(422);
    expect(expiry.json().detail).toBe('Invalid expires_in value: 5y. Valid values: 30d, 90d, 1y, never');
    const empty = await create(viewer.basic, { name: 'x', scopes: [] });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail[0].loc).toEqual(['body', 'scopes']);
  });

  it('revoked and expired tokens authenticate as nobody', async () => {
    const { raw_token, id } = (await create(viewer.basic, { name: 'gone', scopes: ['me.read'] })).json();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/client-tokens/${id}`, headers: { authorization: viewer.basic } });
    expect(del.statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(raw_token) });
    expect(res.statusCode).toBe(401);

    const other = (await create(viewer.basic, { name: 'old', scopes: ['me.read'] })).json();
    await ctx().db.kysely.updateTable('client_tokens').set({ expires_at: Date.now() - 1000 }).where('id', '=', other.id).execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(other.raw_token) })).statusCode).toBe(401);
  });

  it('a token loses scopes its owner no longer has', async () => {
    const editor = await createUser(t.services, 'editor');
    const { raw_token } = (await create(editor.basic, { name: 'e', scopes: ['roms.write', 'me.read'] })).json();
    const viewers = await ctx().db.kysely.selectFrom('permission_groups').select('id').where('name', '=', 'Viewer (legacy)').executeTakeFirstOrThrow();
    await ctx().db.kysely.updateTable('users').set({ permission_group_id: viewers.id }).where('id', '=', editor.user.id).execute();
    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(raw_token) });
    expect(me.statusCode).toBe(200);
    expect(me.json().oauth_scopes).not.toContain('roms.write');
  });

  it('users cannot delete or regenerate other users\' tokens; admins can list and delete any', async () => {
    const { id } = (await create(admin.basic, { name: 'admin-token', scopes: ['me.read'] })).json();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/client-tokens/${id}`, headers: { authorization: viewer.basic } });
    expect(del.statusCode).toBe(404);
    expect(del.json()).toEqual({ detail: 'Token not found' });
    const regen = await t.app.inject({ method: 'PUT', url: `/api/client-tokens/${id}/regenerate`, headers: { authorization: viewer.basic } });
    expect(regen.statusCode).toBe(404);
    const all = await t.app.inject({ method: 'GET', url: '/api/client-tokens/all', headers: { authorization: viewer.basic } });
    expect(all.statusCode).toBe(403);
    const adminAll = await t.app.inject({ method: 'GET', url: '/api/client-tokens/all', headers: { authorization: admin.basic } });
    expect(adminAll.statusCode).toBe(200);
    expect(adminAll.json().some((x: { username: string }) => x.username === viewer.user.username)).toBe(true);
    const adminDel = await t.app.inject({ method: 'DELETE', url: `/api/client-tokens/${id}/admin`, headers: { authorization: admin.basic } });
    expect(adminDel.statusCode).toBe(200);
  });

  it('regenerates and pairs: the old raw token stops working and a pair code yields a new one once', async () => {
    const created = (await create(viewer.basic, { name: 'pair', scopes: ['me.read'] })).json();
    const regen = await t.app.inject({ method: 'PUT', url: `/api/client-tokens/${created.id}/regenerate`, headers: { authorization: viewer.basic } });
    expect(regen.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(created.raw_token) })).statusCode).toBe(401);

    const pair = await t.app.inject({ method: 'POST', url: `/api/client-tokens/${created.id}/pair`, headers: { authorization: viewer.basic } });
    const { code } = pair.json();
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect((await t.app.inject({ method: 'GET', url: `/api/client-tokens/pair/${code}/status` })).statusCode).toBe(200);
    const exchanged = await t.app.inject({ method: 'POST', url: '/api/client-tokens/exchange', payload: { code } });
    expect(exchanged.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(exchanged.json().raw_token) })).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/api/client-tokens/exchange', payload: { code } });
    expect(again.statusCode).toBe(404);
  });

  it('caps tokens per user at 25', async () => {
    const user = await createUser(t.services, 'viewer');
    for (let i = 0; i < 25; i++) expect((await create(user.basic, { name: `t${i}`, scopes: ['me.read'] })).statusCode).toBe(201);
    const over = await create(user.basic, { name: 'one-too-many', scopes: ['me.read'] });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({ detail: 'Maximum of 25 tokens per user reached' });
  });
});
