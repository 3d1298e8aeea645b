import { appendFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeVirtualCollectionId } from '../../src/domain/collections/virtual-id.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { createPlatform, createRom, type FixtureRom } from '../helpers/download-fixtures.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { pythonZip, unzipTest } from '../integration/downloads/zip-check.ts';

describeEachEngine('downloads', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let single: FixtureRom;
  let multi: FixtureRom;
  let withM3u: FixtureRom;
  let archive: FixtureRom;
  let platformId: number;
  const auth = () => ({ authorization: admin.basic });
  let zipCounter = 0;

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { ...auth(), ...headers } });

  async function checkZip(body: Buffer) {
    const file = path.join(ctx().dir, `check-${++zipCounter}.zip`);
    await writeFile(file, body);
    await unzipTest(file);
    const py = await pythonZip(file);
    expect(py.bad).toBeNull();
    return py;
  }

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    const lib = t.config.libraryPath;
    const db = ctx().db;
    platformId = await createPlatform(db, 'gb');
    single = await createRom(db, lib, { platformId, platformSlug: 'gb', fsName: 'Tetris (World) (Rév A).gb', folder: false, files: [{ name: 'Tetris (World) (Rév A).gb', data: Buffer.from('0123456789abcdefghij') }] });
    multi = await createRom(db, lib, {
      platformId, platformSlug: 'gb', fsName: 'Final Fantasy VII (USA)', folder: true, files: [
        { name: 'FF7 (Disc 2).bin', data: Buffer.alloc(70_000, 2) },
        { name: 'FF7 (Disc 1).cue', data: 'FILE "FF7 (Disc 1).bin" BINARY' },
        { name: 'FF7 (Disc 1).bin', data: Buffer.alloc(150_000, 1) },
        { name: 'FF7 (Disc 2).cue', data: 'FILE "FF7 (Disc 2).bin" BINARY' },
        { name: 'extras/cover.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]), category: 'screenshot' },
      ],
    });
    withM3u = await createRom(db, lib, {
      platformId, platformSlug: 'gb', fsName: 'Game With Playlist', folder: true, files: [
        { name: 'a.chd', data: 'disc a' }, { name: 'b.chd', data: 'disc b' }, { name: 'Game.m3u', data: 'a.chd\nb.chd' },
      ],
    });
    // A zip ROM: the scanner stores its member's CRC, which is not the CRC of the file's bytes.
    archive = await createRom(db, lib, { platformId, platformSlug: 'gb', fsName: 'Arcade.zip', folder: false, files: [{ name: 'Arcade.zip', data: Buffer.from('PK\x03\x04 not really a zip'), crcHash: 'deadbeef' }] });
  });
  afterAll(async () => t.app.close());

  it('serves a single-file ROM as is, with length, validators and ranges', async () => {
    const url = `/api/roms/${single.id}/content/whatever.bin`;
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('0123456789abcdefghij');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''Tetris%20%28World%29%20%28R%C3%A9v%20A%29.gb; filename="Tetris%20%28World%29%20%28R%C3%A9v%20A%29.gb"`);
    expect(res.headers['content-length']).toBe('20');
    expect(res.headers['accept-ranges']).toBe('bytes');
    const etag = res.headers.etag as string;
    const lastModified = res.headers['last-modified'] as string;
    expect(etag).toMatch(/^"f\d+-/);

    const part = await get(url, { range: 'bytes=2-5' });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('2345');
    expect(part.headers['content-range']).toBe('bytes 2-5/20');
    expect(part.headers['content-length']).toBe('4');
    expect((await get(url, { range: 'bytes=-3' })).body).toBe('hij');

    const bad = await get(url, { range: 'bytes=20-' });
    expect(bad.statusCode).toBe(416);
    expect(bad.headers['content-range']).toBe('bytes */20');

    expect((await get(url, { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await get(url, { range: 'bytes=0-1', 'if-range': etag })).statusCode).toBe(206);
    expect((await get(url, { range: 'bytes=0-1', 'if-range': lastModified })).statusCode).toBe(206);
    const stale = await get(url, { range: 'bytes=0-1', 'if-range': '"stale"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.body.length).toBe(20);

    const head = await t.app.inject({ method: 'HEAD', url, headers: auth() });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('20');
    expect(head.body).toBe('');
  });

  it('applies auth, DISABLE_DOWNLOAD_ENDPOINT_AUTH and RomM 404 messages', async () => {
    const anon = await t.app.inject({ method: 'GET', url: `/api/roms/${single.id}/content/x` });
    expect(anon.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/roms/${single.id}/content/x`, headers: { authorization: viewer.basic } })).statusCode).toBe(200);

    const open = await createTestApp(ctx(), { DISABLE_DOWNLOAD_ENDPOINT_AUTH: 'true' });
    try {
      expect((await open.app.inject({ method: 'GET', url: `/api/roms/${single.id}/content/x` })).statusCode).toBe(200);
      expect((await open.app.inject({ method: 'GET', url: `/api/roms/${single.files[0]?.id}/files/content/x` })).statusCode).toBe(200);
      expect((await open.app.inject({ method: 'GET', url: `/api/roms/download?rom_ids=${single.id}` })).statusCode).toBe(401);
    } finally {
      await open.app.close();
    }

    expect((await get('/api/roms/999999/content/x')).json()).toEqual({ detail: "Rom with id '999999' not found" });
    const none = await get(`/api/roms/${multi.id}/content/x?file_ids=999999`);
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({ detail: `No files found for ROM ${multi.id}` });
    expect((await get('/api/roms/999999/files/content/x')).json()).toEqual({ detail: 'File not found' });
    expect((await get('/api/roms/0/content/x')).statusCode).toBe(422);
  });

  it('zips a multi-file ROM with relative names and an M3U of its cue sheets', async () => {
    const url = `/api/roms/${multi.id}/content/Final%20Fantasy%20VII%20(USA)`;
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''Final%20Fantasy%20VII%20%28USA%29.zip; filename="Final%20Fantasy%20VII%20%28USA%29.zip"`);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    const py = await checkZip(res.rawPayload);
    expect(py.names).toEqual(['FF7 (Disc 1).bin', 'FF7 (Disc 1).cue', 'FF7 (Disc 2).bin', 'FF7 (Disc 2).cue', 'extras/cover.png', 'Final Fantasy VII (USA).m3u']);
    expect(py.m3u).toEqual(['FF7 (Disc 1).cue\nFF7 (Disc 2).cue']);

    const head = await t.app.inject({ method: 'HEAD', url, headers: auth() });
    expect(head.headers['content-length']).toBe(String(res.rawPayload.length));
    expect(head.headers.etag).toBe(res.headers.etag);

    // Resumable: random pieces put together equal the whole.
    const whole = res.rawPayload;
    let seed = 7;
    for (let i = 0; i < 25; i++) {
      seed = (seed * 48271) % 2147483647;
      const start = seed % whole.length;
      seed = (seed * 48271) % 2147483647;
      const end = start + (seed % (whole.length - start));
      const piece = await get(url, { range: `bytes=${start}-${end}`, 'if-range': res.headers.etag as string });
      expect(piece.statusCode).toBe(206);
      expect(piece.headers['content-range']).toBe(`bytes ${start}-${end}/${whole.length}`);
      expect(piece.rawPayload.equals(whole.subarray(start, end + 1))).toBe(true);
    }

    const hidden = await checkZip((await get(`${url}?hidden_folder=true`)).rawPayload);
    expect(hidden.names.slice(0, 2)).toEqual(['.hidden/FF7 (Disc 1).bin', '.hidden/FF7 (Disc 1).cue']);
    expect(hidden.m3u).toEqual(['.hidden/FF7 (Disc 1).cue\n.hidden/FF7 (Disc 2).cue']);
  });

  it('honours file_ids and adds no M3U when the ROM has one', async () => {
    const bins = multi.files.filter((f) => f.name.endsWith('.bin')).map((f) => f.id);
    const two = await checkZip((await get(`/api/roms/${multi.id}/content/discs?file_ids=${bins.join(',')}`)).rawPayload);
    expect(two.names).toEqual(['FF7 (Disc 1).bin', 'FF7 (Disc 2).bin', 'discs.m3u']);
    expect(two.m3u).toEqual(['FF7 (Disc 1).bin\nFF7 (Disc 2).bin']);
    const disc1 = multi.files.find((f) => f.name === 'FF7 (Disc 1).bin')?.id;
    const one = await get(`/api/roms/${multi.id}/content/discs?file_ids=${disc1}`);
    expect(one.headers['content-type']).toBe('application/octet-stream');
    expect(one.headers['content-length']).toBe('150000');
    expect((await get(`/api/roms/${multi.id}/content/x?file_ids=1,a`)).statusCode).toBe(400);

    const playlist = await checkZip((await get(`/api/roms/${withM3u.id}/content/G`)).rawPayload);
    expect(playlist.names).toEqual(['Game.m3u', 'a.chd', 'b.chd']);
  });

  it('serves one RomFile by id, typed from the database record', async () => {
    const png = multi.files.find((f) => f.name.endsWith('.png'));
    const res = await get(`/api/roms/${png?.id}/files/content/evil.html`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(`inline; filename*=UTF-8''cover.png; filename="cover.png"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const bin = multi.files.find((f) => f.name === 'FF7 (Disc 2).bin');
    const part = await get(`/api/roms/${bin?.id}/files/content/x`, { range: 'bytes=69990-' });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.length).toBe(10);
  });

  it('bulk-downloads ROMs with library paths and RomM default name', async () => {
    const res = await get(`/api/roms/download?rom_ids=${single.id},${archive.id},999999`);
    expect(res.statusCode).toBe(200);
    const names = [single.files[0], archive.files[0]].map((f) => `${f?.fullPath}:${f?.size}`).join('\n');
    const crc = (crc32(Buffer.from(names)) >>> 0).toString(16).padStart(8, '0');
    const quoted = `2%20ROMs%20%28${crc}%29.zip`;
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${quoted}; filename="${quoted}"`);
    const py = await checkZip(res.rawPayload);
    // The zip ROM's bytes go in with their own CRC, not the scanner's member CRC.
    expect(py.names).toEqual(['roms/gb/Tetris (World) (Rév A).gb', 'roms/gb/Arcade.zip']);

    const named = await get(`/api/roms/download?rom_ids=${single.id}&filename=${encodeURIComponent('../my:set?.zip')}`);
    expect(named.headers['content-disposition']).toContain(`filename*=UTF-8''my-set.zip`);

    expect((await get('/api/roms/download?rom_ids=1,x')).json()).toEqual({ detail: 'Invalid ROM ID format. Must be comma-separated integers.' });
    expect((await get('/api/roms/download')).json()).toEqual({ detail: 'No ROM IDs or platform/collection selector provided' });
    expect((await get('/api/roms/download?rom_ids=,')).json()).toEqual({ detail: 'No ROMs found to download' });
    expect((await get('/api/roms/download?rom_ids=999998,999999')).json()).toEqual({ detail: 'No ROMs found with the provided IDs' });
  });

  it('expands platform and collection selectors to the caller\'s visible ROMs', async () => {
    const db = ctx().db;
    const now = Date.now();
    await db.kysely.insertInto('rom_user').values({ rom_id: withM3u.id, user_id: admin.user.id, hidden: 1, is_main_sibling: 0, backlogged: 0, now_playing: 0, rating: 0, difficulty: 0, completion: 0, created_at: now, updated_at: now }).execute();
    const platform = await checkZip((await get(`/api/roms/download?platform_id=${platformId}`)).rawPayload);
    expect(platform.count).toBe(1 + 5 + 1); // personal-hidden ROM left out, no M3U in bulk zips
    expect(platform.names.some((n) => n.includes('Game With Playlist'))).toBe(false);

    await db.kysely.insertInto('collections').values({ user_id: viewer.user.id, name: 'mine', description: '', is_public: 0, is_favorite: 0, path_cover_s: '', path_cover_l: '', url_cover: '', created_at: now, updated_at: now }).execute();
    const coll = await db.kysely.selectFrom('collections').select('id').where('name', '=', 'mine').executeTakeFirstOrThrow();
    await db.kysely.insertInto('collections_roms').values({ collection_id: coll.id, rom_id: single.id, created_at: now }).execute();
    const own = await t.app.inject({ method: 'GET', url: `/api/roms/download?collection_id=${coll.id}`, headers: { authorization: viewer.basic } });
    expect((await checkZip(own.rawPayload)).names).toEqual(['roms/gb/Tetris (World) (Rév A).gb']);
    // Someone else's private collection: the collections guard answers as GET /api/collections/{id} does.
    const foreign = await get(`/api/roms/download?collection_id=${coll.id}`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({ detail: `Permission denied for collection with id '${coll.id}'` });
  });

  it('expands virtual and smart collections through the gallery query engine', async () => {
    const db = ctx().db;
    const now = Date.now();
    await db.kysely.insertInto('rom_facets').values({ rom_id: single.id, kind: 'genre', value: 'Puzzle' }).execute();
    const virtual = await get(`/api/roms/download?virtual_collection_id=${encodeVirtualCollectionId('Puzzle', 'genre')}`);
    expect((await checkZip(virtual.rawPayload)).names).toEqual(['roms/gb/Tetris (World) (Rév A).gb']);
    expect((await get(`/api/roms/download?virtual_collection_id=${encodeVirtualCollectionId('Nothing', 'genre')}`)).json()).toEqual({ detail: 'No ROMs found to download' });

    await db.kysely.insertInto('smart_collections').values({
      user_id: admin.user.id, name: 'gb games', description: '', is_public: 0, filter_criteria: JSON.stringify({ search_term: 'tetris' }),
      rom_ids: '[]', rom_count: 0, path_covers_small: '[]', path_covers_large: '[]', created_at: now, updated_at: now,
    }).execute();
    const smart = await db.kysely.selectFrom('smart_collections').select('id').where('name', '=', 'gb games').executeTakeFirstOrThrow();
    const own = await get(`/api/roms/download?smart_collection_id=${smart.id}`);
    expect((await checkZip(own.rawPayload)).names).toEqual(['roms/gb/Tetris (World) (Rév A).gb']);
    const other = await t.app.inject({ method: 'GET', url: `/api/roms/download?smart_collection_id=${smart.id}`, headers: { authorization: viewer.basic } });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ detail: `Permission denied for collection with id '${smart.id}'` });
  });

  it('never serves a path outside the library', async () => {
    const db = ctx().db;
    const lib = t.config.libraryPath;
    const outside = path.join(ctx().dir, 'secret.txt');
    await writeFile(outside, 'secret');
    const rom = await createRom(db, lib, { platformId, platformSlug: 'gb', fsName: 'Escape', folder: false, files: [{ name: 'Escape', data: 'x' }] });
    await db.kysely.updateTable('rom_files').set({ file_path: '../..', file_name: 'secret.txt' }).where('id', '=', rom.files[0]?.id ?? 0).execute();
    expect((await get(`/api/roms/${rom.id}/content/x`)).statusCode).toBe(404);
    expect((await get(`/api/roms/${rom.files[0]?.id}/files/content/x`)).statusCode).toBe(404);

    await mkdir(path.join(lib, 'roms/gb'), { recursive: true });
    await symlink(outside, path.join(lib, 'roms/gb/Link.gb'));
    const linked = await createRom(db, lib, { platformId, platformSlug: 'gb', fsName: 'Linked', folder: false, files: [{ name: 'Linked.gb', data: 'y' }] });
    await db.kysely.updateTable('rom_files').set({ file_name: 'Link.gb' }).where('id', '=', linked.files[0]?.id ?? 0).execute();
    expect((await get(`/api/roms/${linked.id}/content/x`)).statusCode).toBe(404);
  });

  it('re-hashes a file that changed since the scan instead of sending a corrupt zip', async () => {
    const disc = path.join(t.config.libraryPath, multi.files.find((f) => f.name === 'FF7 (Disc 2).cue')?.fullPath ?? '');
    await appendFile(disc, '\nREM changed');
    const py = await checkZip((await get(`/api/roms/${multi.id}/content/changed`)).rawPayload);
    expect(py.count).toBe(6);
  });
});
