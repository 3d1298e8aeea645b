import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createCollection, createNote, createPlatform, createRom, setProps, T0 } from '../helpers/rom-fixtures.ts';
import { writeTree } from '../helpers/rom-edit-fixtures.ts';

describeEachEngine('PUT /api/roms/{id}/props and POST /api/roms/delete', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let editor: TestUser;
  let admin: TestUser;
  let gba: number;
  let lib: string;
  let n = 0;

  const props = (id: number, body: unknown, query = '', user: TestUser = alice) =>
    t.app.inject({ method: 'PUT', url: `/api/roms/${id}/props${query}`, payload: body as object, headers: { authorization: user.basic } });
  const del = (body: unknown, user: TestUser = editor) =>
    t.app.inject({ method: 'POST', url: '/api/roms/delete', payload: body as object, headers: { authorization: user.basic } });
  const db = () => ctx().db.kysely;
  const newRom = async (extra: Partial<Parameters<typeof createRom>[1]> = {}, onDisk = true) => {
    const fsName = `Prop ${++n}.gba`;
    if (onDisk) await writeTree(lib, `roms/gba/${fsName}`);
    return createRom(db(), { platformId: gba, fsPath: 'roms/gba', fsName, ...extra });
  };
  const userRow = (romId: number, userId: number) =>
    db().selectFrom('rom_user').selectAll().where('rom_id', '=', romId).where('user_id', '=', userId).executeTakeFirst();

  beforeAll(async () => {
    t = await createTestApp(ctx());
    lib = t.config.libraryPath;
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'viewer', 'bob');
    editor = await createUser(t.services, 'editor');
    admin = await createUser(t.services, 'admin');
    gba = await createPlatform(db(), 'gba');
  });
  afterAll(async () => t.app.close());

  it('creates the caller\'s row and returns RomUserSchema', async () => {
    const id = await newRom();
    const res = await props(id, { rating: 9, status: 'finished', backlogged: true, completion: 100, difficulty: 3 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ rom_id: id, user_id: alice.user.id, rating: 9, status: 'finished', backlogged: true, completion: 100, difficulty: 3, now_playing: false, hidden: false, is_main_sibling: false, last_played: null });
    expect(body.id).toBeGreaterThan(0);
    expect(Object.keys(body).sort()).toEqual(['backlogged', 'completion', 'created_at', 'difficulty', 'hidden', 'id', 'is_main_sibling', 'last_played', 'now_playing', 'rating', 'rom_id', 'status', 'updated_at', 'user_id']);
    // Only keys present are written.
    expect((await props(id, { hidden: true })).json()).toMatchObject({ rating: 9, status: 'finished', hidden: true });
    expect((await props(id, { status: null })).json().status).toBeNull();
  });

  it('range-checks with 422', async () => {
    const id = await newRom();
    for (const body of [{ rating: 11 }, { rating: -1 }, { difficulty: 11 }, { completion: 101 }, { status: 'completed' }, { rating: 'x' }]) {
      const res = await props(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(res.json().detail)).toBe(true);
    }
    expect((await props(id, { rating: 10, completion: 0 })).statusCode).toBe(200);
  });

  it('sets and clears last_played; both flags are a 400 after the row exists', async () => {
    const id = await newRom();
    const set = (await props(id, {}, '?update_last_played=true')).json();
    expect(set.last_played).toMatch(/^\d{4}-\d\d-\d\dT.*\+00:00$/);
    expect((await props(id, {}, '?remove_last_played=1')).json().last_played).toBeNull();
    const other = await newRom();
    const res = await props(other, {}, '?update_last_played=true&remove_last_played=true');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'update_last_played and remove_last_played are mutually exclusive.' });
    expect(await userRow(other, alice.user.id)).toBeDefined();
  });

  it('is_main_sibling clears the flag on the caller\'s siblings only', async () => {
    const a = await newRom({ ids: { igdb_id: 4242 } });
    const b = await newRom({ ids: { igdb_id: 4242 } });
    const c = await newRom({ ids: { igdb_id: 9999 } });
    await setProps(db(), b, alice.user.id, { isMainSibling: true });
    await setProps(db(), c, alice.user.id, { isMainSibling: true });
    await setProps(db(), b, bob.user.id, { isMainSibling: true });
    expect((await props(a, { is_main_sibling: true })).json().is_main_sibling).toBe(true);
    expect((await userRow(b, alice.user.id))?.is_main_sibling).toBe(0);
    expect((await userRow(c, alice.user.id))?.is_main_sibling).toBe(1);
    expect((await userRow(b, bob.user.id))?.is_main_sibling).toBe(1);
  });

  it('never touches another user\'s props and does not bump roms.updated_at', async () => {
    const id = await newRom();
    await setProps(db(), id, bob.user.id, { rating: 2, hidden: false });
    await props(id, { rating: 7, hidden: true }, '', alice);
    expect(await userRow(id, bob.user.id)).toMatchObject({ rating: 2, hidden: 0 });
    expect(await userRow(id, alice.user.id)).toMatchObject({ rating: 7, hidden: 1 });
    const rom = await db().selectFrom('roms').select('updated_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(rom.updated_at)).toBe(T0);
    // A client-supplied id or user_id in the body is ignored.
    const res = await props(id, { id: 1, user_id: bob.user.id, rom_id: 1, rating: 5 }, '', alice);
    expect(res.json()).toMatchObject({ user_id: alice.user.id, rom_id: id, rating: 5 });
    expect(await userRow(id, bob.user.id)).toMatchObject({ rating: 2 });
  });

  it('answers 404, 401 and 422 like RomM', async () => {
    expect((await props(987654, { rating: 1 })).json()).toEqual({ detail: "Rom with id '987654' not found" });
    expect((await t.app.inject({ method: 'PUT', url: '/api/roms/1/props', payload: {} })).statusCode).toBe(401);
    expect((await props(0, {})).statusCode).toBe(422);
  });

  it('delete needs an editor or admin', async () => {
    const id = await newRom();
    const res = await del({ roms: [id] }, alice);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Forbidden' });
    expect((await del({}, editor)).statusCode).toBe(422);
  });

  it('deletes database rows with every dependant, keeping the file unless asked', async () => {
    const id = await newRom({ genres: ['X'] });
    await setProps(db(), id, alice.user.id, { rating: 3 });
    await createNote(db(), id, alice.user.id, 'n1', true);
    await createCollection(db(), alice.user.id, `c${id}`, [id]);
    const res = await del({ roms: [id, 424242] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ successful_items: 1, failed_ids: [424242], errors: ['ROM with ID 424242 not found'] });
    for (const table of ['roms', 'rom_files', 'rom_user', 'rom_notes', 'collections_roms', 'rom_facets'] as const) {
      const col = table === 'roms' ? 'id' : 'rom_id';
      const rows = await db().selectFrom(table).select(col as never).where(col as never, '=', id as never).execute();
      expect(rows, table).toHaveLength(0);
    }
    expect(existsSync(path.join(lib, `roms/gba/Prop ${n}.gba`))).toBe(true);
  });

  it('delete_from_fs removes exactly the ROM\'s file or folder and its resources', async () => {
    const file = await newRom();
    const fileName = `Prop ${n}.gba`;
    const folder = 'Folder Game';
    await writeTree(lib, `roms/gba/${folder}/disc/a.bin`);
    const folderId = await createRom(db(), { platformId: gba, fsPath: 'roms/gba', fsName: folder, files: [{ name: 'a.bin', dir: 'disc' }] });
    const neighbour = await writeTree(lib, 'roms/gba/Neighbour.gba', 'keep');
    const resources = path.join(t.config.dataPath, 'resources', 'roms', String(gba), String(file), 'cover');
    await mkdir(resources, { recursive: true });
    await writeFile(path.join(resources, 'big.png'), 'x');
    const res = await del({ roms: [file, folderId], delete_from_fs: [file, folderId] }, admin);
    expect(res.json()).toEqual({ successful_items: 2, failed_ids: [], errors: [] });
    expect(existsSync(path.join(lib, `roms/gba/${fileName}`))).toBe(false);
    expect(existsSync(path.join(lib, `roms/gba/${folder}`))).toBe(false);
    expect(await readFile(neighbour, 'utf8')).toBe('keep');
    expect(existsSync(path.join(lib, 'roms/gba'))).toBe(true);
    expect(existsSync(path.dirname(resources))).toBe(false);
  });

  it('never deletes outside the platform directory, whatever the stored name', async () => {
    const outside = await writeTree(path.dirname(lib), 'outside/secret.txt', 'secret');
    await writeTree(lib, 'roms/other/keep.gba', 'keep');
    const evil = [
      await createRom(db(), { platformId: gba, fsPath: 'roms/gba', fsName: '../../../outside' }),
      await createRom(db(), { platformId: gba, fsPath: 'roms/gba', fsName: '../other' }),
      await createRom(db(), { platformId: gba, fsPath: '../..', fsName: 'outside' }),
      await createRom(db(), { platformId: gba, fsPath: 'roms/gba', fsName: '..' }),
      await createRom(db(), { platformId: gba, fsPath: '/', fsName: 'tmp' }),
    ];
    const res = await del({ roms: evil, delete_from_fs: evil }, admin);
    expect(res.json().successful_items).toBe(0);
    expect(res.json().failed_ids).toEqual(evil);
    for (const e of res.json().errors) expect(e).toMatch(/^Failed to delete ROM \d+: Path is outside the library$/);
    expect(await readFile(outside, 'utf8')).toBe('secret');
    expect(existsSync(path.join(lib, 'roms/other/keep.gba'))).toBe(true);
    expect(existsSync(path.join(lib, 'roms/gba'))).toBe(true);
  });

  it('removes a symlinked ROM as a link, never its target', async () => {
    const target = await writeTree(path.dirname(lib), 'elsewhere/real.gba', 'real');
    await symlink(target, path.join(lib, 'roms/gba/Linked.gba'));
    const id = await createRom(db(), { platformId: gba, fsPath: 'roms/gba', fsName: 'Linked.gba' });
    expect((await del({ roms: [id], delete_from_fs: [id] }, admin)).json().successful_items).toBe(1);
    expect(await readFile(target, 'utf8')).toBe('real');
    expect(existsSync(path.join(lib, 'roms/gba/Linked.gba'))).toBe(false);
  });

  it('deletes the row when the file is already gone', async () => {
    const id = await newRom({}, false);
    expect((await del({ roms: [id], delete_from_fs: [id] })).json()).toEqual({ successful_items: 1, failed_ids: [], errors: [] });
  });
});
