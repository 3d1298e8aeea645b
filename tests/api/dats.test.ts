import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { clrmameproDat, generatedGames, logiqxDat } from '../helpers/dat-fixtures.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { tinyZip } from '../helpers/tiny-zip.ts';
import { writeTree } from '../integration/scanner/fixtures.ts';

interface Dat { id: number; name: string; source: string; source_path: string; platform_id: number | null; platform_slug: string | null; platform_name: string | null; platform_override: boolean; game_count: number; rom_count: number; header_skipper: string | null; format: string }

function multipart(files: { field?: string; filename: string; data: string | Buffer }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----romshelf-dat-test';
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    chunks.push(Buffer.from(f.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const NES = logiqxDat({ name: 'Nintendo - Nintendo Entertainment System (Headered)', skipper: 'No-Intro_NES.xml' }, generatedGames('nes', 8));

describeEachEngine('DAT routes', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let nesPlatform: number;
  let gbaPlatform: number;
  const hidden = { platformIds: [] as number[] };
  const lookup = { hiddenFor: async () => ({ platformIds: [...hidden.platformIds], romIds: [] }) };

  const req = (method: 'GET' | 'PUT' | 'DELETE', url: string, user: TestUser | null = admin, payload?: object) =>
    t.app.inject({ method, url, ...(payload ? { payload } : {}), headers: user ? { authorization: user.basic } : {} });
  const upload = (files: Parameters<typeof multipart>[0], user: TestUser | null = editor) => {
    const body = multipart(files);
    return t.app.inject({ method: 'POST', url: '/api/dats', payload: body.payload, headers: { ...body.headers, ...(user ? { authorization: user.basic } : {}) } });
  };

  beforeAll(async () => {
    t = await createTestApp(ctx(), { DAT_MAX_UPLOAD_SIZE_BYTES: '20000' }, {}, { hiddenLookup: lookup });
    admin = await createUser(t.services, 'admin');
    editor = await createUser(t.services, 'editor');
    viewer = await createUser(t.services, 'viewer');
    writeTree(t.config.libraryPath, { 'roms/nes/Game.nes': 'nes', 'roms/gba/Game.gba': 'gba' });
    t.services.scans.start({ type: 'quick', metadataSources: [] });
    await t.services.scans.done();
    const platforms = await t.services.platforms.list();
    nesPlatform = platforms.find((p) => p.fs_slug === 'nes')?.id ?? 0;
    gbaPlatform = platforms.find((p) => p.fs_slug === 'gba')?.id ?? 0;
  });
  afterAll(async () => t.app.close());

  it('uploads a DAT (201), maps its platform, answers 200 for the same bytes and replaces a new version of it', async () => {
    const res = await upload([{ filename: 'nes.dat', data: NES }]);
    expect(res.statusCode).toBe(201);
    const dat = res.json<Dat>();
    expect(dat).toMatchObject({
      name: 'Nintendo - Nintendo Entertainment System (Headered)', source: 'upload', source_path: 'nes.dat', format: 'logiqx',
      header_skipper: 'No-Intro_NES.xml', platform_id: nesPlatform, platform_slug: 'nes', platform_name: 'Nintendo Entertainment System',
      platform_override: false, game_count: 8, rom_count: 8,
    });
    const same = await upload([{ filename: 'other-name.dat', data: NES }]);
    expect(same.statusCode).toBe(200);
    expect(same.json<Dat>().id).toBe(dat.id);

    const v2 = clrmameproDat({ name: 'Nintendo - Nintendo Entertainment System (Headered)', version: '2' }, generatedGames('nes2', 3));
    const replaced = await upload([{ filename: 'nes-v2.zip', data: tinyZip({ 'Nintendo - NES (2).dat': v2 }) }]);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json<Dat>()).toMatchObject({ id: dat.id, format: 'clrmamepro', game_count: 3, source_path: 'nes-v2.zip' });
    // Nothing of the upload stays on disk.
    const tmp = path.join(t.config.dataPath, 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp).filter((f) => f.startsWith('.dat-upload')) : []).toEqual([]);
  });

  it('lists and reads DATs; 404 for an unknown id, 422 for a malformed one', async () => {
    const list = await req('GET', '/api/dats', viewer);
    expect(list.statusCode).toBe(200);
    const dats = list.json<Dat[]>();
    expect(dats.map((d) => d.name)).toContain('Nintendo - Nintendo Entertainment System (Headered)');
    const one = await req('GET', `/api/dats/${dats[0]?.id}`, viewer);
    expect(one.json<Dat>()).toEqual(dats[0]);
    const missing = await req('GET', '/api/dats/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'DAT with ID 999999 not found' });
    expect((await req('GET', '/api/dats/abc')).statusCode).toBe(422);
  });

  it('overrides the platform, clears it, and returns to the header mapping', async () => {
    const id = (await req('GET', '/api/dats')).json<Dat[]>()[0]?.id ?? 0;
    const set = await req('PUT', `/api/dats/${id}`, editor, { platform_id: gbaPlatform });
    expect(set.statusCode).toBe(200);
    expect(set.json<Dat>()).toMatchObject({ platform_id: gbaPlatform, platform_slug: 'gba', platform_override: true });
    const none = await req('PUT', `/api/dats/${id}`, editor, { platform_id: null });
    expect(none.json<Dat>()).toMatchObject({ platform_id: null, platform_slug: null, platform_override: true });
    const auto = await req('PUT', `/api/dats/${id}`, editor, { platform_id: null, platform_override: false });
    expect(auto.json<Dat>()).toMatchObject({ platform_id: nesPlatform, platform_slug: 'nes', platform_override: false });

    const badPlatform = await req('PUT', `/api/dats/${id}`, editor, { platform_id: 999999 });
    expect(badPlatform.statusCode).toBe(404);
    expect(badPlatform.json()).toEqual({ detail: 'Platform with ID 999999 not found' });
    const unknown = await req('PUT', '/api/dats/999999', editor, { platform_id: null });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ detail: string }>().detail).toBe('DAT with ID 999999 not found');
    expect((await req('PUT', `/api/dats/${id}`, editor, { platform: 1 })).statusCode).toBe(422);
  });

  it('hides DATs of hidden platforms and refuses hidden platforms as overrides', async () => {
    const id = (await req('GET', '/api/dats')).json<Dat[]>()[0]?.id ?? 0;
    hidden.platformIds = [nesPlatform];
    try {
      expect((await req('GET', '/api/dats', viewer)).json<Dat[]>()).toEqual([]);
      const one = await req('GET', `/api/dats/${id}`, viewer);
      expect(one.statusCode).toBe(404);
      expect(one.json()).toEqual({ detail: `DAT with ID ${id} not found` });
      expect((await req('PUT', `/api/dats/${id}`, editor, { platform_id: null })).statusCode).toBe(404);
      expect((await req('DELETE', `/api/dats/${id}`, editor)).statusCode).toBe(404);
      hidden.platformIds = [gbaPlatform];
      const toHidden = await req('PUT', `/api/dats/${id}`, editor, { platform_id: gbaPlatform });
      expect(toHidden.statusCode).toBe(404);
      expect(toHidden.json()).toEqual({ detail: `Platform with ID ${gbaPlatform} not found` });
    } finally {
      hidden.platformIds = [];
    }
    expect((await req('GET', `/api/dats/${id}`, viewer)).json<Dat>()).toMatchObject({ id, platform_id: nesPlatform });
  });

  it('refuses bad uploads with a detail: not a DAT, hostile XML, too large, no file, not multipart', async () => {
    const garbage = await upload([{ filename: 'x.dat', data: 'hello world' }]);
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toEqual({ detail: 'Invalid DAT: line 1: not a DAT: expected Logiqx XML or a clrmamepro text DAT' });
    const lol = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<datafile><header><name>&b;</name></header></datafile>';
    const hostile = await upload([{ filename: 'lol.xml', data: lol }]);
    expect(hostile.statusCode).toBe(400);
    expect(hostile.json<{ detail: string }>().detail).toMatch(/^Invalid DAT: line 2: DTD internal subsets/);
    const broken = await upload([{ filename: 'b.dat', data: '<datafile>\n<game name="x">\n</datafile>' }]);
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ detail: string }>().detail).toMatch(/^Invalid DAT: line 3: /);
    const big = await upload([{ filename: 'big.dat', data: 'x'.repeat(20001) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ detail: 'DAT file exceeds the maximum allowed size of 20000 bytes' });
    const empty = await upload([{ filename: 'e.dat', data: '' }]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ detail: 'Invalid DAT: the file is empty' });
    const noFile = await upload([{ field: 'other', filename: 'x.dat', data: NES }]);
    expect(noFile.statusCode).toBe(422);
    expect(noFile.json()).toEqual({ detail: 'Field required: file' });
    const json = await t.app.inject({ method: 'POST', url: '/api/dats', payload: { a: 1 }, headers: { authorization: editor.basic } });
    expect(json.statusCode).toBe(415);
    expect(json.json<{ detail: string }>().detail).toBe('Expected multipart/form-data');
    expect((await req('GET', '/api/dats')).json<Dat[]>()).toHaveLength(1);
  });

  it('requires authentication, and platforms.write to change DATs', async () => {
    const anon = await req('GET', '/api/dats', null);
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toEqual({ detail: 'Not authenticated' });
    expect((await upload([{ filename: 'nes.dat', data: NES }], null)).statusCode).toBe(401);
    const id = (await req('GET', '/api/dats')).json<Dat[]>()[0]?.id ?? 0;
    for (const res of [
      await upload([{ filename: 'nes.dat', data: NES }], viewer),
      await req('PUT', `/api/dats/${id}`, viewer, { platform_id: null }),
      await req('DELETE', `/api/dats/${id}`, viewer),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(typeof res.json<{ detail: string }>().detail).toBe('string');
    }
  });

  it('deletes a DAT (204), then 404', async () => {
    const id = (await req('GET', '/api/dats')).json<Dat[]>()[0]?.id ?? 0;
    const del = await req('DELETE', `/api/dats/${id}`, editor);
    expect(del.statusCode).toBe(204);
    const again = await req('DELETE', `/api/dats/${id}`, editor);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: `DAT with ID ${id} not found` });
    expect((await req('GET', '/api/dats')).json<Dat[]>()).toEqual([]);
  });

  it('imports DATS_PATH when a scan starts', async () => {
    writeTree(t.config.dats.path, { 'gba.dat': logiqxDat({ name: 'Nintendo - Game Boy Advance' }, generatedGames('gba', 4)) });
    t.services.scans.start({ type: 'quick', metadataSources: [] });
    await t.services.scans.done();
    const dats = (await req('GET', '/api/dats')).json<Dat[]>();
    expect(dats).toMatchObject([{ name: 'Nintendo - Game Boy Advance', source: 'folder', source_path: 'gba.dat', platform_id: gbaPlatform, game_count: 4 }]);
  });
});
