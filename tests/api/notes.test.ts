import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

describeEachEngine('/api/roms/{id}/notes', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let rom: number;
  let other: number;

  const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, user: TestUser, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: user.basic }, ...(payload ? { payload } : {}) });
  const create = async (user: TestUser, body: object, romId = rom) => {
    const res = await req('POST', `/api/roms/${romId}/notes`, user, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ id: number; title: string }>();
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'viewer', 'bob');
    admin = await createUser(t.services, 'admin', 'root');
    const p = await createPlatform(ctx().db.kysely, 'snes');
    rom = await createRom(ctx().db.kysely, { platformId: p, fsPath: 'roms/snes', fsName: 'A.sfc' });
    other = await createRom(ctx().db.kysely, { platformId: p, fsPath: 'roms/snes', fsName: 'B.sfc' });
  });
  afterAll(async () => t.app.close());

  it('creates a note in UserNoteSchema with defaults', async () => {
    const res = await req('POST', `/api/roms/${rom}/notes`, alice, { title: 'Boss tips' });
    expect(res.statusCode).toBe(200);
    const note = res.json();
    expect(note).toMatchObject({ title: 'Boss tips', content: '', is_public: false, tags: [], user_id: alice.user.id, username: 'alice', user_avatar_path: '' });
    expect(Object.keys(note).sort()).toEqual(['content', 'created_at', 'id', 'is_public', 'tags', 'title', 'updated_at', 'user_avatar_path', 'user_id', 'user_updated_at', 'username']);
    expect(note.created_at).toMatch(/\+00:00$/);
  });

  it('lists own and public notes, newest first, with search, tags and public_only', async () => {
    const mine = await create(alice, { title: 'Secret route', content: 'Go LEFT', tags: ['route', 'speedrun'] });
    const pub = await create(bob, { title: 'Public map', content: 'see map', is_public: true, tags: ['map'] });
    const hidden = await create(bob, { title: 'Bob private', content: 'mine only' });
    const ids = (res: { json(): { id: number }[] }) => res.json().map((n) => n.id);
    const all = await req('GET', `/api/roms/${rom}/notes`, alice);
    expect(ids(all)).toContain(mine.id);
    expect(ids(all)).toContain(pub.id);
    expect(ids(all)).not.toContain(hidden.id);
    expect(ids(all)).toEqual([...ids(all)].sort((x, y) => y - x));
    expect(ids(await req('GET', `/api/roms/${rom}/notes?public_only=true`, alice))).toEqual([pub.id]);
    expect(ids(await req('GET', `/api/roms/${rom}/notes?search=left`, alice))).toEqual([mine.id]);
    expect(ids(await req('GET', `/api/roms/${rom}/notes?tags=route&tags=speedrun`, alice))).toEqual([mine.id]);
    expect(ids(await req('GET', `/api/roms/${rom}/notes?tags=route&tags=map`, alice))).toEqual([]);
    const identifiers = (await req('GET', `/api/roms/${rom}/notes/identifiers`, alice)).json<number[]>();
    expect(identifiers).toContain(mine.id);
    expect(identifiers).not.toContain(hidden.id);
    // Admins see other users' private notes no more than anyone else.
    expect(ids(await req('GET', `/api/roms/${rom}/notes`, admin))).not.toContain(hidden.id);
    // The detail route shows the same set.
    const detail = (await req('GET', `/api/roms/${rom}`, alice)).json<{ all_user_notes: { id: number }[]; has_notes: boolean }>();
    expect(detail.all_user_notes.map((x) => x.id)).not.toContain(hidden.id);
    expect(detail.has_notes).toBe(true);
  });

  it('updates only the author\'s own notes', async () => {
    const note = await create(alice, { title: 'Editable', content: 'v1' });
    const updated = await req('PUT', `/api/roms/${rom}/notes/${note.id}`, alice, { content: 'v2', is_public: true, tags: ['x'] });
    expect(updated.json()).toMatchObject({ id: note.id, title: 'Editable', content: 'v2', is_public: true, tags: ['x'] });
    for (const user of [bob, admin]) {
      const res = await req('PUT', `/api/roms/${rom}/notes/${note.id}`, user, { content: 'hacked' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Note not found or not owned by user' });
    }
    // The note id must belong to the ROM in the path.
    expect((await req('PUT', `/api/roms/${other}/notes/${note.id}`, alice, { content: 'moved' })).statusCode).toBe(404);
    const row = await ctx().db.kysely.selectFrom('rom_notes').select('content').where('id', '=', note.id).executeTakeFirstOrThrow();
    expect(row.content).toBe('v2');
  });

  it('deletes only the author\'s own notes', async () => {
    const note = await create(alice, { title: 'Deletable' });
    expect((await req('DELETE', `/api/roms/${rom}/notes/${note.id}`, bob)).statusCode).toBe(404);
    expect((await req('DELETE', `/api/roms/${other}/notes/${note.id}`, alice)).statusCode).toBe(404);
    const res = await req('DELETE', `/api/roms/${rom}/notes/${note.id}`, alice);
    expect(res.json()).toEqual({ message: 'Note deleted successfully' });
    expect((await req('DELETE', `/api/roms/${rom}/notes/${note.id}`, alice)).statusCode).toBe(404);
  });

  it('answers 422 for a missing or empty title and 409 for a duplicate one', async () => {
    for (const body of [{}, { title: '' }, { title: '   ' }, { title: null }, { title: 'x'.repeat(401) }]) {
      const res = await req('POST', `/api/roms/${rom}/notes`, alice, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
    }
    await create(alice, { title: 'Unique' });
    const dup = await req('POST', `/api/roms/${rom}/notes`, alice, { title: 'Unique' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ detail: 'A note with this title already exists for this ROM' });
    await create(bob, { title: 'Unique' });
    const n2 = await create(alice, { title: 'Other' });
    expect((await req('PUT', `/api/roms/${rom}/notes/${n2.id}`, alice, { title: 'Unique' })).statusCode).toBe(409);
    expect((await req('PUT', `/api/roms/${rom}/notes/${n2.id}`, alice, { title: '' })).statusCode).toBe(422);
  });

  it('answers 404 for a missing ROM and checks scopes', async () => {
    expect((await req('GET', '/api/roms/999999/notes', alice)).json()).toEqual({ detail: "Rom with id '999999' not found" });
    expect((await req('POST', '/api/roms/999999/notes', alice, { title: 'x' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/roms/${rom}/notes` })).statusCode).toBe(401);
  });
});
