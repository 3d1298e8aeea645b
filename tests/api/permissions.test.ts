import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';

describeEachEngine('/api/permissions (RomM 5 groups, overrides, hide lists)', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let editor: TestUser;
  let viewerGroup: number;
  let editorGroup: number;

  const call = (as: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: as ? { authorization: as.basic } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  const scopesOf = async (u: TestUser): Promise<string[]> => (await call(u, 'GET', '/api/users/me')).json().oauth_scopes;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    editor = await createUser(t.services, 'editor');
    const groups = (await call(admin, 'GET', '/api/permissions/groups')).json<Array<{ id: number; name: string }>>();
    viewerGroup = groups.find((g) => g.name === 'Viewer (legacy)')!.id;
    editorGroup = groups.find((g) => g.name === 'Editor (legacy)')!.id;
  });
  afterAll(async () => t?.app.close());

  it('GET /me: admins hold every action, legacy viewers and editors what their old role allowed', async () => {
    const mine = (await call(admin, 'GET', '/api/permissions/me')).json();
    expect(mine.is_admin).toBe(true);
    expect(mine.grants).toHaveLength(23);
    expect(mine.grants[0]).toEqual({ action: 'rom.view', scope: { kind: 'global', id: null } });
    expect(mine.hidden).toEqual({ platforms: [], roms: [] });

    const v = (await call(viewer, 'GET', '/api/permissions/me')).json();
    expect(Object.keys(v)).toEqual(['is_admin', 'grants', 'hidden']);
    expect(v.is_admin).toBe(false);
    expect(v.grants.map((g: { action: string }) => g.action)).toEqual([
      'rom.view', 'rom.play', 'rom.download', 'rom.favorite', 'platform.view',
      'collection.view', 'collection.create', 'collection.edit', 'collection.delete',
    ]);
    const e = (await call(editor, 'GET', '/api/permissions/me')).json();
    expect(e.grants.map((g: { action: string }) => g.action)).toEqual(expect.arrayContaining(['rom.edit', 'rom.match', 'rom.delete', 'platform.create', 'library.scan']));
    expect(e.grants.map((g: { action: string }) => g.action)).not.toContain('user.view');
    expect((await call(null, 'GET', '/api/permissions/me')).statusCode).toBe(401);
  });

  it('management routes need an admin', async () => {
    expect((await call(viewer, 'GET', '/api/permissions/groups')).statusCode).toBe(403);
    expect((await call(admin, 'GET', '/api/permissions/catalog')).json()).toEqual({
      entities: ['platforms', 'roms', 'collections', 'playlists', 'firmware', 'assets', 'devices', 'users', 'tasks', 'logs'],
      actions: ['read', 'write', 'delete'],
    });
    // A non-admin given users.read through a group still may not manage permissions.
    const group = (await call(admin, 'POST', '/api/permissions/groups', { name: 'Helpers', grants: [{ entity: 'users', action: 'read' }, { entity: 'roms', action: 'read' }] })).json();
    const helper = await createUser(t.services, 'user');
    await call(admin, 'PUT', `/api/permissions/users/${helper.user.id}`, { set_group: true, permission_group_id: group.id });
    expect(await scopesOf(helper)).toContain('users.read');
    const denied = await call(helper, 'GET', '/api/permissions/catalog');
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ detail: 'Administrator privileges required' });
    await call(admin, 'DELETE', `/api/permissions/groups/${group.id}`);
  });

  it('lists the legacy groups with their grants and members', async () => {
    const groups = (await call(admin, 'GET', '/api/permissions/groups')).json();
    const v = groups.find((g: { id: number }) => g.id === viewerGroup);
    expect(Object.keys(v)).toEqual(['id', 'name', 'description', 'is_default', 'is_system', 'color', 'grants', 'member_count', 'hidden']);
    expect(v).toMatchObject({ is_default: true, is_system: true, color: '#3b82f6', member_count: 1, hidden: [] });
    expect(v.grants).toContainEqual({ entity: 'collections', action: 'write', own_only: true });
    expect(groups.find((g: { id: number }) => g.id === editorGroup).grants).toContainEqual({ entity: 'roms', action: 'delete', own_only: false });
  });

  it('creates, renames, regrants and deletes a group; members follow at once', async () => {
    const created = await call(admin, 'POST', '/api/permissions/groups', {
      name: 'Curators', description: 'Edit metadata', color: '#10b981',
      grants: [{ entity: 'roms', action: 'read' }, { entity: 'roms', action: 'write' }, { entity: 'platforms', action: 'read' }],
    });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    expect(group).toMatchObject({ name: 'Curators', is_default: false, is_system: false, member_count: 0, hidden: [] });
    expect(group.grants).toEqual([
      { entity: 'roms', action: 'read', own_only: false }, { entity: 'roms', action: 'write', own_only: false },
      { entity: 'platforms', action: 'read', own_only: false },
    ]);
    expect((await call(admin, 'POST', '/api/permissions/groups', { name: 'Curators' })).json()).toEqual({ detail: 'A group with that name already exists' });
    expect((await call(admin, 'POST', '/api/permissions/groups', { name: 'X', grants: [{ entity: 'spaceships', action: 'read' }] })).statusCode).toBe(422);

    const member = await createUser(t.services, 'user');
    await call(admin, 'PUT', `/api/permissions/users/${member.user.id}`, { set_group: true, permission_group_id: group.id });
    expect(await scopesOf(member)).toContain('roms.write');

    const regranted = await call(admin, 'PUT', `/api/permissions/groups/${group.id}`, { grants: [{ entity: 'roms', action: 'read' }] });
    expect(regranted.json()).toMatchObject({ name: 'Curators', member_count: 1 });
    expect(await scopesOf(member)).not.toContain('roms.write');

    expect((await call(admin, 'PUT', `/api/permissions/groups/${group.id}`, { name: 'Viewer (legacy)' })).json()).toEqual({ detail: 'A group with that name already exists' });
    expect((await call(admin, 'PUT', '/api/permissions/groups/99999', { name: 'n' })).json()).toEqual({ detail: 'Not found' });
    expect((await call(admin, 'PUT', `/api/permissions/groups/${viewerGroup}`, { is_default: false })).json()).toEqual({ detail: 'Set another group as default first' });
    expect((await call(admin, 'DELETE', `/api/permissions/groups/${viewerGroup}`)).json()).toEqual({ detail: 'Cannot delete the default group; set another default first' });

    const del = await call(admin, 'DELETE', `/api/permissions/groups/${group.id}`);
    expect(del.statusCode).toBe(200);
    expect((await call(admin, 'GET', `/api/permissions/users/${member.user.id}`)).json().permission_group_id).toBeNull();
    // Back on the default group: a legacy viewer's scopes.
    expect(await scopesOf(member)).toContain('collections.write');
    expect(await scopesOf(member)).not.toContain('roms.write');
    expect((await call(admin, 'DELETE', `/api/permissions/groups/${group.id}`)).statusCode).toBe(404);
  });

  it('making another group the default moves the default', async () => {
    const g = (await call(admin, 'POST', '/api/permissions/groups', { name: 'Kids', is_default: true, grants: [{ entity: 'roms', action: 'read' }] })).json();
    const groups = (await call(admin, 'GET', '/api/permissions/groups')).json<Array<{ id: number; is_default: boolean }>>();
    expect(groups.filter((x) => x.is_default).map((x) => x.id)).toEqual([g.id]);
    const groupless = await createUser(t.services, 'user');
    expect(await scopesOf(groupless)).not.toContain('collections.write');
    await call(admin, 'PUT', `/api/permissions/groups/${viewerGroup}`, { is_default: true });
    expect(await scopesOf(groupless)).toContain('collections.write');
    await call(admin, 'DELETE', `/api/permissions/groups/${g.id}`);
  });

  it('per-user overrides add and remove grants over the group', async () => {
    const u = await createUser(t.services, 'viewer');
    const res = await call(admin, 'PUT', `/api/permissions/users/${u.user.id}`, {
      overrides: [{ entity: 'roms', action: 'write', granted: true }, { entity: 'collections', action: 'write', granted: false }],
    });
    expect(res.json()).toEqual({
      user_id: u.user.id, permission_group_id: viewerGroup,
      overrides: [
        { entity: 'roms', action: 'write', granted: true, own_only: false },
        { entity: 'collections', action: 'write', granted: false, own_only: false },
      ],
      hidden: [],
    });
    const scopes = await scopesOf(u);
    expect(scopes).toContain('roms.write');
    expect(scopes).not.toContain('collections.write');
    expect((await call(admin, 'PUT', `/api/permissions/users/${u.user.id}`, { set_group: true, permission_group_id: 424242 })).statusCode).toBe(404);
    expect((await call(admin, 'GET', '/api/permissions/users/999999')).json()).toEqual({ detail: 'Not found' });
  });

  it('hide lists: one principal, platforms and roms only, visible in /me, removable', async () => {
    const u = await createUser(t.services, 'viewer');
    expect((await call(admin, 'POST', '/api/permissions/hidden', { entity: 'roms', entity_id: 5 })).json()).toEqual({ detail: 'Exactly one of user_id or group_id must be set' });
    expect((await call(admin, 'POST', '/api/permissions/hidden', { entity: 'roms', entity_id: 5, user_id: u.user.id, group_id: viewerGroup })).statusCode).toBe(400);
    expect((await call(admin, 'POST', '/api/permissions/hidden', { entity: 'firmware', entity_id: 5, user_id: u.user.id })).json()).toEqual({ detail: 'Only platforms and roms can be hidden' });
    expect((await call(viewer, 'POST', '/api/permissions/hidden', { entity: 'roms', entity_id: 5, user_id: viewer.user.id })).statusCode).toBe(403);

    expect((await call(admin, 'POST', '/api/permissions/hidden', { entity: 'roms', entity_id: 5, user_id: u.user.id })).json()).toEqual({ entity: 'roms', entity_id: 5 });
    await call(admin, 'POST', '/api/permissions/hidden', { entity: 'roms', entity_id: 5, user_id: u.user.id });
    await call(admin, 'POST', '/api/permissions/hidden', { entity: 'platforms', entity_id: 3, group_id: viewerGroup });
    expect((await call(u, 'GET', '/api/permissions/me')).json().hidden).toEqual({ platforms: [3], roms: [5] });
    expect((await call(admin, 'GET', `/api/permissions/users/${u.user.id}`)).json().hidden).toEqual([{ entity: 'roms', entity_id: 5 }]);
    // Admins are never hidden from.
    expect((await call(admin, 'GET', '/api/permissions/me')).json().hidden).toEqual({ platforms: [], roms: [] });

    expect((await call(admin, 'DELETE', '/api/permissions/hidden', { entity: 'roms', entity_id: 5, user_id: u.user.id })).statusCode).toBe(204);
    await call(admin, 'DELETE', '/api/permissions/hidden', { entity: 'platforms', entity_id: 3, group_id: viewerGroup });
    expect((await call(u, 'GET', '/api/permissions/me')).json().hidden).toEqual({ platforms: [], roms: [] });
  });

  it('roles: the older names create users in the legacy groups; user keeps the default', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: admin.basic }, payload: { username: 'newed', password: 'pw-long-enough', role: 'editor' } });
    expect(created.json()).toMatchObject({ role: 'user', permission_group_id: editorGroup });
    const plain = await t.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: admin.basic }, payload: { username: 'plain', password: 'pw-long-enough', role: 'user' } });
    expect(plain.json()).toMatchObject({ role: 'user', permission_group_id: null });
    expect(plain.json().oauth_scopes).toContain('collections.write');
  });

  it('broadcasts permissions:changed over socket.io when a user\'s rights change', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const login = await t.app.inject({ method: 'POST', url: '/api/login', headers: { authorization: viewer.basic } });
    const socket: Socket = io(base, { path: '/ws/socket.io/', transports: ['websocket'], extraHeaders: { cookie: `romm_session=${cookiesFrom(login.headers).romm_session}` }, reconnection: false, forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
      const got = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no permissions:changed')), 10_000);
        socket.once('permissions:changed', (p: unknown) => { clearTimeout(timer); resolve(p); });
      });
      await call(admin, 'PUT', `/api/permissions/users/${viewer.user.id}`, { overrides: [] });
      expect(await got).toEqual({ user_id: viewer.user.id });
    } finally {
      socket.disconnect();
    }
  });
});
