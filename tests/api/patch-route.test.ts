import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { ipsPatch } from '../e2e/library.ts';

/** A multipart body with text fields and an optional file. */
function multipart(fields: Record<string, string>, file?: { field: string; name: string; data: Buffer }) {
  const boundary = '----romshelfpatch';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachEngine('POST /api/roms/{file_id}/patch', (ctx) => {
  let t: TestApp;
  let user: TestUser;
  let romFileId: number;
  let patchFileId: number;
  const original = Buffer.alloc(1024, 7);
  const patch = ipsPatch(0x10, Buffer.from('HELLO'));
  const expected = Buffer.from(original);
  Buffer.from('HELLO').copy(expected, 0x10);

  const post = (id: number, fields: Record<string, string>, file?: { field: string; name: string; data: Buffer }) => {
    const body = multipart(fields, file);
    return t.app.inject({ method: 'POST', url: `/api/roms/${id}/patch`, headers: { authorization: user.basic, 'content-type': body.contentType }, payload: body.payload });
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    user = await createUser(t.services, 'viewer');
    const db = ctx().db.kysely;
    const snes = await createPlatform(db, 'snes');
    const dir = path.join(t.config.libraryPath, 'roms', 'snes');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'Game (USA).sfc'), original);
    await writeFile(path.join(dir, 'Game Fix.ips'), patch);
    const romId = await createRom(db, { platformId: snes, fsName: 'Game (USA).sfc', fsPath: 'roms/snes', size: original.length });
    const patchRomId = await createRom(db, { platformId: snes, fsName: 'Game Fix.ips', fsPath: 'roms/snes', size: patch.length });
    romFileId = (await db.selectFrom('rom_files').select('id').where('rom_id', '=', romId).executeTakeFirstOrThrow()).id;
    patchFileId = (await db.selectFrom('rom_files').select('id').where('rom_id', '=', patchRomId).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t.app.close());

  it('applies an uploaded patch and streams the result with RomM\'s headers', async () => {
    const res = await post(romFileId, {}, { field: 'patch_file', name: 'My Fix.ips', data: patch });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(expected)).toBe(true);
    expect(res.headers['x-patch-validated']).toBe('true');
    expect(res.headers['content-length']).toBe(String(expected.length));
    expect(res.headers['content-disposition']).toContain('Game%20%28USA%29%20%28patched-My%20Fix%29.sfc');
  });

  it('applies a library patch by file id, with a chosen output name', async () => {
    const res = await post(romFileId, { patch_file_id: String(patchFileId), output_file_name: 'Translated.bin' });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(expected)).toBe(true);
    expect(res.headers['content-disposition']).toContain('Translated.sfc');
  });

  it('answers RomM\'s errors', async () => {
    const both = await post(romFileId, { patch_file_id: String(patchFileId) }, { field: 'patch_file', name: 'x.ips', data: patch });
    expect(both.json()).toEqual({ detail: 'Provide exactly one of a library patch file or an uploaded patch file' });
    expect((await post(romFileId, {})).statusCode).toBe(400);
    const missing = await post(99999, {}, { field: 'patch_file', name: 'x.ips', data: patch });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'ROM file with id 99999 not found' });
    const badExt = await post(romFileId, {}, { field: 'patch_file', name: 'x.txt', data: patch });
    expect(badExt.statusCode).toBe(400);
    expect(badExt.json().detail).toMatch(/^Unsupported patch format '\.txt'\. Supported: \.aps, \.bdf, \.bps/);
    const empty = await post(romFileId, {}, { field: 'patch_file', name: 'x.ips', data: Buffer.alloc(0) });
    expect(empty.json()).toEqual({ detail: 'Uploaded patch file is empty' });
    const junk = await post(romFileId, {}, { field: 'patch_file', name: 'x.ips', data: Buffer.from('not a patch at all') });
    expect(junk.statusCode).toBe(400);
  });

  it('needs credentials', async () => {
    const body = multipart({}, { field: 'patch_file', name: 'x.ips', data: patch });
    const res = await t.app.inject({ method: 'POST', url: `/api/roms/${romFileId}/patch`, headers: { 'content-type': body.contentType }, payload: body.payload });
    expect(res.statusCode).toBe(401);
  });
});
