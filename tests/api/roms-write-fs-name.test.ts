import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { listTree, multipart, writeTree } from '../helpers/rom-edit-fixtures.ts';

describeEachEngine('PUT /api/roms/{id} with a path as fs_name', (ctx) => {
  let t: TestApp;
  let editor: TestUser;
  let snes: number;

  const put = (id: number, fields: Record<string, string>) => {
    const body = multipart(fields);
    return t.app.inject({ method: 'PUT', url: `/api/roms/${id}`, payload: body.payload, headers: { ...body.headers, authorization: editor.basic } });
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    editor = await createUser(t.services, 'editor');
    snes = await createPlatform(ctx().db.kysely, 'snes');
  });
  afterAll(async () => t.app.close());

  it('refuses separators, dot-dot and NUL with 400, and leaves the file and row alone', async () => {
    await writeTree(t.config.libraryPath, 'roms/snes/Keep (USA).sfc');
    const id = await createRom(ctx().db.kysely, { platformId: snes, fsPath: 'roms/snes', fsName: 'Keep (USA).sfc' });
    const before = await listTree(t.config.libraryPath);
    for (const name of ['../../escape.sfc', '/etc/escape.sfc', 'sub/escape.sfc', '..\\..\\escape.sfc', 'a\\b.sfc', '..', '.', 'nul\0byte.sfc', ' .. ']) {
      const res = await put(id, { fs_name: name, name: 'Changed' });
      expect(res.statusCode, JSON.stringify(name)).toBe(400);
      expect(res.json().detail, JSON.stringify(name)).toMatch(/fs_name/);
    }
    expect(await listTree(t.config.libraryPath)).toEqual(before);
    const row = await ctx().db.kysely.selectFrom('roms').select(['fs_name', 'name']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.fs_name).toBe('Keep (USA).sfc');
    expect(row.name).not.toBe('Changed');
    expect(existsSync(path.join(t.config.libraryPath, 'escape.sfc'))).toBe(false);
  });

  it('still renames to plain names, dots included', async () => {
    await writeTree(t.config.libraryPath, 'roms/snes/Dots (USA).sfc');
    const id = await createRom(ctx().db.kysely, { platformId: snes, fsPath: 'roms/snes', fsName: 'Dots (USA).sfc' });
    const res = await put(id, { fs_name: 'Wait... What (USA).sfc' });
    expect(res.statusCode).toBe(200);
    expect(res.json().fs_name).toBe('Wait... What (USA).sfc');
    expect(existsSync(path.join(t.config.libraryPath, 'roms/snes/Wait... What (USA).sfc'))).toBe(true);
  });
});
