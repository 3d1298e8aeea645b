import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HiddenLookup } from '../../src/domain/firmware/firmware-service.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { hashesOf, writeTree } from '../integration/scanner/fixtures.ts';

const FIRMWARE_KEYS = [
  'id', 'file_name', 'file_name_no_tags', 'file_name_no_ext', 'file_extension', 'file_path', 'file_size_bytes',
  'full_path', 'is_verified', 'crc_hash', 'md5_hash', 'sha1_hash', 'missing_from_fs', 'created_at', 'updated_at',
];

interface Fw { id: number; file_name: string; file_path: string; file_size_bytes: number; md5_hash: string; crc_hash: string; sha1_hash: string; is_verified: boolean; full_path: string; missing_from_fs: boolean }

/** A multipart body with any number of file parts (`filename` may be empty, as a browser sends an empty input). */
function multipart(files: { field?: string; filename: string; data: string | Buffer }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----romshelf-firmware-test';
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'files'}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    chunks.push(Buffer.from(f.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('firmware routes', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let psx: number;
  let gba: number;
  let lib: string;
  const hidden = { platformIds: [] as number[] };
  const lookup: HiddenLookup = { hiddenFor: async () => ({ platformIds: [...hidden.platformIds], romIds: [] }) };

  const get = (url: string, user: TestUser | null = admin, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { ...(user ? { authorization: user.basic } : {}), ...headers } });
  const list = async (query = ''): Promise<Fw[]> => (await get(`/api/firmware${query}`)).json<Fw[]>();
  const byName = async (name: string): Promise<Fw> => {
    const f = (await list()).find((x) => x.file_name === name);
    if (!f) throw new Error(`no firmware ${name}`);
    return f;
  };
  const upload = (platformId: number | null, files: Parameters<typeof multipart>[0], user: TestUser = editor) => {
    const body = multipart(files);
    const url = platformId === null ? '/api/firmware' : `/api/firmware?platform_id=${platformId}`;
    return t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: user.basic } });
  };
  const del = (body: unknown, user: TestUser = editor) =>
    t.app.inject({ method: 'POST', url: '/api/firmware/delete', payload: body as object, headers: { authorization: user.basic } });

  beforeAll(async () => {
    t = await createTestApp(ctx(), { FIRMWARE_MAX_UPLOAD_SIZE_BYTES: '64' }, {}, { hiddenLookup: lookup });
    admin = await createUser(t.services, 'admin');
    editor = await createUser(t.services, 'editor');
    viewer = await createUser(t.services, 'viewer');
    lib = t.config.libraryPath;
    writeTree(lib, {
      'roms/ps/Game (USA).bin': 'game',
      'roms/gba/Game.gba': 'gba',
      'bios/ps/scph5501.bin': '0123456789',
      'bios/ps/A First.bin': 'first',
      'bios/gba/gba_bios.bin': 'gba bios',
      'roms/n64/Game.z64': 'n64',
      'bios/n64': 'a file where the firmware folder should be',
      'roms/snes/Game.sfc': 'snes',
    });
    mkdirSync(path.join(lib, '../outside'), { recursive: true });
    symlinkSync(path.join(lib, '../outside'), path.join(lib, 'bios/snes'));
    t.services.scans.start({ type: 'quick', metadataSources: [] });
    await t.services.scans.done();
    const platforms = await t.services.platforms.list();
    psx = platforms.find((p) => p.fs_slug === 'ps')?.id ?? 0;
    gba = platforms.find((p) => p.fs_slug === 'gba')?.id ?? 0;
  });
  afterAll(async () => t.app.close());

  it('GET /api/firmware: every row in RomM field order, ordered by file name, filtered by platform_id', async () => {
    const all = await get('/api/firmware');
    expect(all.statusCode).toBe(200);
    const body = all.json<Record<string, unknown>[]>();
    expect(body.map((f) => f.file_name)).toEqual(['A First.bin', 'gba_bios.bin', 'scph5501.bin']);
    expect(Object.keys(body[0] ?? {})).toEqual(FIRMWARE_KEYS);
    const h = hashesOf('0123456789');
    expect(body[2]).toMatchObject({
      file_name: 'scph5501.bin', file_name_no_tags: 'scph5501', file_name_no_ext: 'scph5501', file_extension: 'bin',
      file_path: 'bios/ps', full_path: 'bios/ps/scph5501.bin', file_size_bytes: 10, is_verified: false,
      crc_hash: h.crc, md5_hash: h.md5, sha1_hash: h.sha1, missing_from_fs: false,
    });
    expect(String(body[2]?.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    expect((await list(`?platform_id=${gba}`)).map((f) => f.file_name)).toEqual(['gba_bios.bin']);
    expect(await list('?platform_id=0')).toHaveLength(3);
    expect((await get('/api/firmware', null)).statusCode).toBe(401);
    expect((await get('/api/firmware?platform_id=abc')).statusCode).toBe(422);
  });

  it('GET /api/firmware/identifiers and /api/firmware/{id}', async () => {
    const ids = (await get('/api/firmware/identifiers')).json<number[]>();
    expect(ids).toEqual((await list()).map((f) => f.id));
    const one = await get(`/api/firmware/${ids[0]}`, viewer);
    expect(one.statusCode).toBe(200);
    expect(Object.keys(one.json())).toEqual(FIRMWARE_KEYS);
    const missing = await get('/api/firmware/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Firmware with ID 999999 not found' });
  });

  it('PlatformSchema carries the platform firmware (by file name) and firmware_count', async () => {
    const res = await get(`/api/platforms/${psx}`);
    const p = res.json<{ firmware: Fw[]; firmware_count: number }>();
    expect(p.firmware_count).toBe(2);
    expect(p.firmware.map((f) => f.file_name)).toEqual(['A First.bin', 'scph5501.bin']);
    expect(Object.keys(p.firmware[0] ?? {})).toEqual(FIRMWARE_KEYS);
    const all = (await get('/api/platforms')).json<{ id: number; firmware_count: number }[]>();
    expect(all.find((x) => x.id === gba)?.firmware_count).toBe(1);
  });

  it('GET content: the bytes, ranges (206, 416) and validators; HEAD: recorded size, the URL name', async () => {
    const fw = await byName('scph5501.bin');
    const url = `/api/firmware/${fw.id}/content/anything.bin`;
    const full = await get(url, viewer);
    expect(full.statusCode).toBe(200);
    expect(full.body).toBe('0123456789');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['content-disposition']).toContain('scph5501.bin');
    expect(full.headers.etag).toBeTruthy();

    const part = await get(url, viewer, { range: 'bytes=2-5' });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('2345');
    expect(part.headers['content-range']).toBe('bytes 2-5/10');
    const bad = await get(url, viewer, { range: 'bytes=50-' });
    expect(bad.statusCode).toBe(416);
    expect(bad.headers['content-range']).toBe('bytes */10');

    // HEAD reports the size in the database, as RomM does, and names the file after the URL.
    const db = ctx().db.kysely;
    await db.updateTable('firmware').set({ file_size_bytes: 12345 }).where('id', '=', fw.id).execute();
    const head = await t.app.inject({ method: 'HEAD', url: `/api/firmware/${fw.id}/content/other name.bin`, headers: { authorization: viewer.basic } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('12345');
    expect(head.headers['content-disposition']).toContain('other%20name.bin');
    expect(head.body).toBe('');
    await db.updateTable('firmware').set({ file_size_bytes: 10 }).where('id', '=', fw.id).execute();

    expect((await get('/api/firmware/999999/content/x.bin')).json()).toEqual({ detail: 'Firmware with ID 999999 not found' });
    expect((await get(url, null)).statusCode).toBe(401);
  });

  it('a row whose file is gone answers 404 for its content', async () => {
    writeTree(lib, { 'bios/gba/temp.bin': 'temp' });
    const up = await upload(gba, [{ filename: 'temp.bin', data: 'temp' }]);
    expect(up.statusCode).toBe(200);
    const fw = await byName('temp.bin');
    rmSync(path.join(lib, 'bios/gba/temp.bin'));
    const res = await get(`/api/firmware/${fw.id}/content/temp.bin`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: `Firmware with ID ${fw.id} not found` });
    await del({ firmware: [fw.id] });
  });

  it('POST /api/firmware: stores under the sanitized base name, refreshes hashes on re-upload, counts parts', async () => {
    const res = await upload(psx, [
      { filename: 'new (v1).rom', data: 'new firmware' },
      { filename: '../../escape.bin', data: 'escape' },
      { filename: '', data: 'ignored' },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ uploaded: number; firmware: Record<string, unknown>[] }>();
    expect(Object.keys(body)).toEqual(['uploaded', 'firmware']);
    expect(body.uploaded).toBe(3);
    expect(body.firmware.map((f) => f.file_name)).toEqual(['A First.bin', 'escape.bin', 'new (v1).rom', 'scph5501.bin']);
    expect(Object.keys(body.firmware[0] ?? {})).toEqual(FIRMWARE_KEYS);
    expect(readFileSync(path.join(lib, 'bios/ps/escape.bin'), 'utf8')).toBe('escape');
    expect(existsSync(path.join(lib, 'escape.bin'))).toBe(false);
    expect(existsSync(path.join(path.dirname(lib), 'escape.bin'))).toBe(false);
    const created = await byName('new (v1).rom');
    expect(created).toMatchObject({ file_path: 'bios/ps', file_size_bytes: 12, md5_hash: hashesOf('new firmware').md5 });

    const again = await upload(psx, [{ filename: 'new (v1).rom', data: 'replaced bytes!' }]);
    expect(again.statusCode).toBe(200);
    const replaced = await byName('new (v1).rom');
    expect(replaced.id).toBe(created.id);
    const h = hashesOf('replaced bytes!');
    expect(replaced).toMatchObject({ file_size_bytes: 15, md5_hash: h.md5, sha1_hash: h.sha1, crc_hash: h.crc });
    // No temporary file is left behind.
    expect(readFileSync(path.join(lib, 'bios/ps/new (v1).rom'), 'utf8')).toBe('replaced bytes!');
  });

  it('POST /api/firmware: scopes and errors', async () => {
    const denied = await upload(psx, [{ filename: 'x.bin', data: 'x' }], viewer);
    expect(denied.statusCode).toBe(403);
    expect(existsSync(path.join(lib, 'bios/ps/x.bin'))).toBe(false);

    const noPlatform = await upload(null, [{ filename: 'x.bin', data: 'x' }]);
    expect(noPlatform.statusCode).toBe(422);
    const unknown = await upload(999999, [{ filename: 'x.bin', data: 'x' }]);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ detail: 'Platform with ID 999999 not found' });

    // Names that reduce to nothing are skipped like nameless parts (and still counted, as in RomM).
    const before = (await list(`?platform_id=${psx}`)).length;
    for (const name of ['..', '.', 'a/..', '../..']) {
      const res = await upload(psx, [{ filename: name, data: 'x' }]);
      expect(res.statusCode, name).toBe(200);
      expect(res.json<{ uploaded: number; firmware: unknown[] }>()).toMatchObject({ uploaded: 1 });
      expect(res.json<{ firmware: unknown[] }>().firmware).toHaveLength(before);
    }
    for (const name of ['bad\u0001name.bin', `${'n'.repeat(451)}.bin`]) {
      const res = await upload(psx, [{ filename: name, data: 'x' }]);
      expect(res.statusCode, name).toBe(400);
      expect(typeof res.json<{ detail: unknown }>().detail).toBe('string');
    }
    expect((await list(`?platform_id=${psx}`)).length).toBe(before);
    const oversize = await upload(psx, [{ filename: 'big.bin', data: Buffer.alloc(65, 1) }]);
    expect(oversize.statusCode).toBe(413);
    expect(oversize.json()).toEqual({ detail: 'Firmware file exceeds the maximum allowed size of 64 bytes' });
    expect(existsSync(path.join(lib, 'bios/ps/big.bin'))).toBe(false);
    const empty = await upload(psx, [{ field: 'other', filename: 'x.bin', data: 'x' }]);
    expect(empty.statusCode).toBe(422);
    const json = await t.app.inject({ method: 'POST', url: `/api/firmware?platform_id=${psx}`, payload: { files: [] }, headers: { authorization: editor.basic } });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
  });

  it('POST /api/firmware: a firmware folder that is a file, or leads outside the library, is refused with 409', async () => {
    const platforms = await t.services.platforms.list();
    const n64 = platforms.find((p) => p.fs_slug === 'n64')?.id ?? 0;
    const snes = platforms.find((p) => p.fs_slug === 'snes')?.id ?? 0;
    const file = await upload(n64, [{ filename: 'pif.bin', data: 'x' }]);
    expect(file.statusCode).toBe(409);
    expect(file.json()).toEqual({ detail: 'Firmware folder bios/n64 is not a folder' });
    const outside = await upload(snes, [{ filename: 'x.bin', data: 'x' }]);
    expect(outside.statusCode).toBe(409);
    expect(outside.json()).toEqual({ detail: 'Firmware folder bios/snes is outside the library' });
    expect(readdirSync(path.join(lib, '../outside'))).toEqual([]);
  });

  it('POST /api/firmware/delete: rows, files on request, per-id failures; needs firmware.write', async () => {
    await upload(gba, [{ filename: 'keep-file.bin', data: 'k' }, { filename: 'drop-file.bin', data: 'd' }, { filename: 'gone.bin', data: 'g' }]);
    const keep = await byName('keep-file.bin');
    const drop = await byName('drop-file.bin');
    const gone = await byName('gone.bin');
    rmSync(path.join(lib, 'bios/gba/gone.bin'));

    const denied = await del({ firmware: [keep.id] }, viewer);
    expect(denied.statusCode).toBe(403);

    const res = await del({ firmware: [keep.id, drop.id, gone.id, 999999], delete_from_fs: [drop.id, gone.id] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      successful_items: 2,
      failed_ids: [gone.id, 999999],
      errors: ['Firmware file gone.bin not found for platform gba', 'Firmware with ID 999999 not found'],
    });
    expect(existsSync(path.join(lib, 'bios/gba/keep-file.bin'))).toBe(true);
    expect(existsSync(path.join(lib, 'bios/gba/drop-file.bin'))).toBe(false);
    const names = (await list()).map((f) => f.file_name);
    expect(names).not.toContain('keep-file.bin');
    expect(names).not.toContain('gone.bin');
    expect((await del({})).statusCode).toBe(422);
  });

  describe('hidden platforms', () => {
    it('leave firmware out of lists, 404 single routes and uploads, fail deletes', async () => {
      const fw = await byName('gba_bios.bin');
      hidden.platformIds = [gba];
      try {
        expect((await list()).map((f) => f.file_name)).not.toContain('gba_bios.bin');
        expect(await list(`?platform_id=${gba}`)).toEqual([]);
        expect((await get('/api/firmware/identifiers')).json<number[]>()).not.toContain(fw.id);
        for (const url of [`/api/firmware/${fw.id}`, `/api/firmware/${fw.id}/content/gba_bios.bin`]) {
          const res = await get(url);
          expect(res.statusCode, url).toBe(404);
          expect(res.json()).toEqual({ detail: `Firmware with ID ${fw.id} not found` });
        }
        const up = await upload(gba, [{ filename: 'x.bin', data: 'x' }]);
        expect(up.statusCode).toBe(404);
        expect(up.json()).toEqual({ detail: `Platform with ID ${gba} not found` });
        const res = await del({ firmware: [fw.id], delete_from_fs: [fw.id] });
        expect(res.json()).toEqual({ successful_items: 0, failed_ids: [fw.id], errors: [`Firmware with ID ${fw.id} not found`] });
        expect(existsSync(path.join(lib, 'bios/gba/gba_bios.bin'))).toBe(true);
      } finally {
        hidden.platformIds = [];
      }
      expect((await get(`/api/firmware/${fw.id}`)).statusCode).toBe(200);
    });
  });
});

describeEachEngine('firmware content with DISABLE_DOWNLOAD_ENDPOINT_AUTH', (ctx) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(ctx(), { DISABLE_DOWNLOAD_ENDPOINT_AUTH: 'true' });
    writeTree(t.config.libraryPath, { 'roms/snes/Game.sfc': 'g', 'bios/snes/bs-x.bin': 'bsx' });
    t.services.scans.start({ type: 'quick', metadataSources: [] });
    await t.services.scans.done();
  });
  afterAll(async () => t.app.close());

  it('detail and content need no caller; lists still do', async () => {
    const row = await ctx().db.kysely.selectFrom('firmware').select('id').where('file_name', '=', 'bs-x.bin').executeTakeFirstOrThrow();
    expect((await t.app.inject({ url: `/api/firmware/${row.id}` })).statusCode).toBe(200);
    const content = await t.app.inject({ url: `/api/firmware/${row.id}/content/bs-x.bin` });
    expect(content.statusCode).toBe(200);
    expect(content.body).toBe('bsx');
    expect((await t.app.inject({ url: '/api/firmware' })).statusCode).toBe(401);
  });
});
