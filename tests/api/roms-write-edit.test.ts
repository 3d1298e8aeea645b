import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom, T0 } from '../helpers/rom-fixtures.ts';
import { multipart, writeTree } from '../helpers/rom-edit-fixtures.ts';

describeEachEngine('PUT /api/roms/{id}', (ctx) => {
  let t: TestApp;
  let editor: TestUser;
  let viewer: TestUser;
  let gba: number;
  let lib: string;
  let n = 0;

  const put = (id: number, fields: Record<string, string>, query = '', user: TestUser = editor) => {
    const body = multipart(fields);
    return t.app.inject({ method: 'PUT', url: `/api/roms/${id}${query}`, payload: body.payload, headers: { ...body.headers, authorization: user.basic } });
  };
  const row = (id: number) => ctx().db.kysely.selectFrom('roms').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const facets = async (id: number, kind: string) =>
    (await ctx().db.kysely.selectFrom('rom_facets').select('value').where('rom_id', '=', id).where('kind', '=', kind as never).execute()).map((r) => r.value).sort();
  const newRom = async (fsName = `Game ${++n} (USA).gba`, extra: Partial<Parameters<typeof createRom>[1]> = {}) => {
    await writeTree(lib, `roms/gba/${fsName}`);
    return createRom(ctx().db.kysely, { platformId: gba, fsPath: 'roms/gba', fsName, regions: ['USA'], ...extra });
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    lib = t.config.libraryPath;
    editor = await createUser(t.services, 'editor');
    viewer = await createUser(t.services, 'viewer');
    gba = await createPlatform(ctx().db.kysely, 'gba', { name: 'Game Boy Advance' });
  });
  afterAll(async () => t.app.close());

  it('needs roms.write', async () => {
    const id = await newRom();
    expect((await t.app.inject({ method: 'PUT', url: `/api/roms/${id}` })).json()).toEqual({ detail: 'Not authenticated' });
    const res = await put(id, { name: 'x' }, '', viewer);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Forbidden' });
  });

  it('answers 404 and 422 like RomM', async () => {
    const res = await put(999999, { name: 'x' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: "Rom with id '999999' not found" });
    expect((await put(0, {})).statusCode).toBe(422);
    expect((await put(1, {}, '?remove_cover=maybe')).statusCode).toBe(422);
  });

  it('edits name and summary, keeps sort key and search text in sync, bumps updated_at', async () => {
    const id = await newRom();
    const res = await put(id, { name: 'The Legend of Zelda 2', summary: 'A quest.' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id, name: 'The Legend of Zelda 2', summary: 'A quest.', name_sort_key: 'legend of zelda 000000000002' });
    expect(body.all_user_notes).toEqual([]);
    expect(body.rom_user.id).toBe(-1);
    const r = await row(id);
    expect(r.search_text).toBe(`the legend of zelda 2 ${r.fs_name.toLowerCase()}`);
    expect(Number(r.updated_at)).toBeGreaterThan(T0);
    expect(body.updated_at).not.toBe(body.created_at);
  });

  it('keeps absent fields and clears present empty ones', async () => {
    const id = await newRom(undefined, { name: 'Keep', ids: { igdb_id: 5, moby_id: 6 }, metadata: { igdb: { genres: ['Old'] } } });
    await ctx().db.kysely.updateTable('roms').set({ summary: 'S' }).where('id', '=', id).execute();
    const res = await put(id, { moby_id: '' });
    expect(res.json()).toMatchObject({ name: 'Keep', summary: 'S', igdb_id: 5, moby_id: null });
  });

  it('stores every provider id; invalid integers become null', async () => {
    const id = await newRom();
    const fields: Record<string, string> = {
      igdb_id: '1', sgdb_id: '2', moby_id: '3', ss_id: '4', ra_id: '5', launchbox_id: '6', hasheous_id: '7', tgdb_id: '8',
      hltb_id: '9', flashpoint_id: 'fp-1', libretro_id: 'lr-1',
    };
    const body = (await put(id, fields)).json();
    expect(body).toMatchObject({ igdb_id: 1, sgdb_id: 2, moby_id: 3, ss_id: 4, ra_id: 5, launchbox_id: 6, hasheous_id: 7, tgdb_id: 8, hltb_id: 9, flashpoint_id: 'fp-1', libretro_id: 'lr-1', is_identified: true });
    const again = (await put(id, { igdb_id: 'abc', ss_id: '99999999999', flashpoint_id: '' })).json();
    expect(again).toMatchObject({ igdb_id: null, ss_id: null, flashpoint_id: null, moby_id: 3 });
  });

  it('applies raw provider metadata only when that provider id is set, and derives facets from it', async () => {
    const id = await newRom();
    const igdb = { genres: ['Platform'], franchises: ['Mario'], companies: ['Nintendo'], game_modes: ['Single player'], age_ratings: [{ rating: 'E' }], first_release_date: 1000, total_rating: 80, collections: ['Kart'] };
    const res = await put(id, { igdb_id: '10', raw_igdb_metadata: JSON.stringify(igdb), raw_moby_metadata: JSON.stringify({ genres: ['Ignored'] }) });
    const body = res.json();
    expect(body.metadatum).toEqual({
      rom_id: id, genres: ['Platform'], franchises: ['Mario'], collections: ['Kart'], companies: ['Nintendo'], game_modes: ['Single player'],
      age_ratings: ['E'], player_count: '1', first_release_date: 1_000_000, average_rating: 80,
    });
    expect(body.igdb_metadata).toMatchObject({ genres: ['Platform'] });
    expect(body.moby_metadata).toEqual({});
    expect(await facets(id, 'genre')).toEqual(['Platform']);
    // The filter and the list see the new facet.
    const list = await t.app.inject({ method: 'GET', url: `/api/roms?genres=Platform`, headers: { authorization: editor.basic } });
    expect(list.json().items.map((r: { id: number }) => r.id)).toContain(id);
    // Clearing the id empties the blob and the facets derived from it.
    const cleared = (await put(id, { igdb_id: '' })).json();
    expect(cleared.igdb_metadata).toEqual({});
    expect(cleared.metadatum.genres).toEqual([]);
    expect(await facets(id, 'genre')).toEqual([]);
  });

  it('replaces manual metadata, which feeds filters; invalid JSON is ignored', async () => {
    const id = await newRom();
    const manual = { genres: ['RPG', 'Strategy'], franchises: ['Own'], companies: ['Me'], game_modes: ['Co-op'], age_ratings: ['PEGI 12'], first_release_date: 946684800000, player_count: '1-4' };
    const body = (await put(id, { raw_manual_metadata: JSON.stringify(manual) })).json();
    expect(body.manual_metadata).toEqual(manual);
    expect(body.metadatum).toMatchObject({ genres: ['RPG', 'Strategy'], franchises: ['Own'], companies: ['Me'], game_modes: ['Co-op'], age_ratings: ['PEGI 12'], first_release_date: 946684800000, player_count: '1-4' });
    expect(await facets(id, 'company')).toEqual(['Me']);
    const r = await row(id);
    expect(Number(r.first_release_date)).toBe(946684800000);
    expect(r.player_count).toBe('1-4');
    const same = (await put(id, { raw_manual_metadata: '{not json' })).json();
    expect(same.manual_metadata).toEqual(manual);
  });

  it('name_sort_key: a changed value is a custom override, an empty one reverts to the name', async () => {
    const id = await newRom(undefined, { name: 'Alpha' });
    let body = (await put(id, { name_sort_key: 'Zzz 9' })).json();
    expect(body.name_sort_key).toBe('zzz 000000000009');
    body = (await put(id, { name: 'Beta', name_sort_key: 'zzz 000000000009' })).json();
    expect(body).toMatchObject({ name: 'Beta', name_sort_key: 'zzz 000000000009' });
    body = (await put(id, { name_sort_key: '' })).json();
    expect(body.name_sort_key).toBe('beta');
    body = (await put(id, { name: 'Gamma' })).json();
    expect(body.name_sort_key).toBe('gamma');
  });

  it('unmatch_metadata clears matches and media and resets the name like a scan', async () => {
    const id = await newRom('Metroid (USA) (Rev 1).gba', { name: 'Metroid Fusion', ids: { igdb_id: 1, ss_id: 2 }, metadata: { igdb: { genres: ['A'] }, manual: { genres: ['Mine'] } }, revision: '1' });
    await ctx().db.kysely.updateTable('roms').set({ summary: 'x', url_cover: 'https://example.com/c.png', url_manual: 'https://example.com/m.pdf', slug: 'metroid' }).where('id', '=', id).execute();
    const body = (await put(id, { name: 'ignored' }, '?unmatch_metadata=true')).json();
    expect(body).toMatchObject({
      name: 'Metroid', name_sort_key: 'metroid', igdb_id: null, ss_id: null, summary: '', slug: '', url_cover: '', url_manual: '',
      path_cover_small: '', path_cover_large: '', igdb_metadata: {}, manual_metadata: { genres: ['Mine'] }, is_identified: false,
    });
    expect(body.metadatum.genres).toEqual(['Mine']);
  });

  it('renames a single-file ROM on disk and in the database, re-parsing tags', async () => {
    const id = await newRom('Old Name (USA).gba');
    const res = await put(id, { fs_name: 'New Name (Europe) (En,Fr) (Beta).gba' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      fs_name: 'New Name (Europe) (En,Fr) (Beta).gba', fs_name_no_tags: 'New Name', fs_name_no_ext: 'New Name (Europe) (En,Fr) (Beta)',
      fs_extension: 'gba', regions: ['Europe'], languages: ['English', 'French'], tags: ['Beta'], full_path: 'roms/gba/New Name (Europe) (En,Fr) (Beta).gba',
    });
    expect(body.files.map((f: { file_name: string; file_path: string }) => [f.file_path, f.file_name])).toEqual([['roms/gba', 'New Name (Europe) (En,Fr) (Beta).gba']]);
    expect(existsSync(path.join(lib, 'roms/gba/Old Name (USA).gba'))).toBe(false);
    expect(await readFile(path.join(lib, 'roms/gba/New Name (Europe) (En,Fr) (Beta).gba'), 'utf8')).toBe('rom-bytes');
    expect(await facets(id, 'region')).toEqual(['Europe']);
    expect(await facets(id, 'language')).toEqual(['English', 'French']);
    expect((await row(id)).search_text).toContain('new name (europe)');
  });

  it('renames a folder ROM and every nested file row', async () => {
    const fsName = 'Disc Game (Japan)';
    await writeTree(lib, `roms/gba/${fsName}/a.cue`);
    await writeTree(lib, `roms/gba/${fsName}/sub/b.bin`);
    const id = await createRom(ctx().db.kysely, { platformId: gba, fsPath: 'roms/gba', fsName, files: [{ name: 'a.cue' }, { name: 'b.bin', dir: 'sub' }] });
    const body = (await put(id, { fs_name: 'Disc Game (USA)' })).json();
    const files = body.files.map((f: { file_path: string; file_name: string }) => `${f.file_path}/${f.file_name}`).sort();
    expect(files).toEqual(['roms/gba/Disc Game (USA)/a.cue', 'roms/gba/Disc Game (USA)/sub/b.bin']);
    expect(existsSync(path.join(lib, 'roms/gba/Disc Game (USA)/sub/b.bin'))).toBe(true);
    expect(existsSync(path.join(lib, `roms/gba/${fsName}`))).toBe(false);
  });

  it('answers 409 when the target exists on disk or in the database, touching nothing', async () => {
    const id = await newRom('Collide A.gba');
    await writeTree(lib, 'roms/gba/Collide B.gba', 'other');
    let res = await put(id, { fs_name: 'Collide B.gba', name: 'changed' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ detail: "Can't rename: Collide B.gba already exists" });
    expect(await readFile(path.join(lib, 'roms/gba/Collide B.gba'), 'utf8')).toBe('other');
    expect(existsSync(path.join(lib, 'roms/gba/Collide A.gba'))).toBe(true);
    expect((await row(id)).name).not.toBe('changed');
    await newRom('Collide C.gba');
    res = await put(id, { fs_name: 'Collide C.gba' });
    expect(res.statusCode).toBe(409);
  });

  it('rolls the disk rename back when the database write fails after it', async () => {
    const id = await newRom('Rollback (USA).gba');
    t.services.romEdit.faults.afterDiskRename = () => Promise.reject(new Error('injected failure'));
    try {
      const res = await put(id, { fs_name: 'Rolled (USA).gba', name: 'Rolled' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ detail: 'Internal server error' });
    } finally {
      t.services.romEdit.faults = {};
    }
    expect(existsSync(path.join(lib, 'roms/gba/Rollback (USA).gba'))).toBe(true);
    expect(existsSync(path.join(lib, 'roms/gba/Rolled (USA).gba'))).toBe(false);
    const r = await row(id);
    expect(r.fs_name).toBe('Rollback (USA).gba');
    expect(r.name).not.toBe('Rolled');
    const files = await ctx().db.kysely.selectFrom('rom_files').select('file_name').where('rom_id', '=', id).execute();
    expect(files.map((f) => f.file_name)).toEqual(['Rollback (USA).gba']);
  });

  it('keeps disk and database in agreement under concurrent renames', async () => {
    const id = await newRom('Race (USA).gba');
    const results = await Promise.all(['Race A.gba', 'Race B.gba', 'Race C.gba'].map((name) => put(id, { fs_name: name })));
    expect(results.some((r) => r.statusCode === 200)).toBe(true);
    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    const { fs_name } = await row(id);
    const onDisk = ['Race (USA).gba', 'Race A.gba', 'Race B.gba', 'Race C.gba'].filter((f) => existsSync(path.join(lib, 'roms/gba', f)));
    expect(onDisk).toEqual([fs_name]);
  });

  it('renames in the database only when the ROM is missing from disk', async () => {
    const id = await createRom(ctx().db.kysely, { platformId: gba, fsPath: 'roms/gba', fsName: 'Ghost.gba', missing: true });
    const res = await put(id, { fs_name: 'Ghost 2.gba' });
    expect(res.statusCode).toBe(200);
    expect(res.json().fs_name).toBe('Ghost 2.gba');
    expect(existsSync(path.join(lib, 'roms/gba/Ghost 2.gba'))).toBe(false);
  });

  it('refuses values that do not fit their columns', async () => {
    const id = await newRom();
    const res = await put(id, { name: 'n'.repeat(351) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'name is too long (max 350 characters)' });
  });

  it('documents the write routes in /openapi.json', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> }>();
    const form = doc.paths['/api/roms/{id}']?.put?.requestBody?.content['multipart/form-data']?.schema.properties ?? {};
    expect(Object.keys(form)).toEqual(expect.arrayContaining(['igdb_id', 'raw_manual_metadata', 'fs_name', 'url_cover', 'artwork']));
    for (const p of ['/api/roms/{id}/props', '/api/roms/delete', '/api/roms/{id}/notes', '/api/roms/{id}/notes/{note_id}']) expect(doc.paths[p], p).toBeDefined();
  });

  it('accepts URL-encoded fields too', async () => {
    const id = await newRom();
    const res = await t.app.inject({
      method: 'PUT', url: `/api/roms/${id}`, payload: 'name=Encoded&igdb_id=77',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: editor.basic },
    });
    expect(res.json()).toMatchObject({ name: 'Encoded', igdb_id: 77 });
  });
});
