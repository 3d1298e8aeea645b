import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { GIF_POLYGLOT, HTML_XSS, jpeg, listTree, localServer, multipart, png, SVG_XSS, writeTree, type FilePart, type LocalServer } from '../helpers/rom-edit-fixtures.ts';

describeEachEngine('PUT /api/roms/{id}: covers, manuals and URL fetches', (ctx) => {
  let t: TestApp;
  let editor: TestUser;
  let gba: number;
  let server: LocalServer;
  let imageBytes: Buffer;
  let n = 0;

  const put = (id: number, fields: Record<string, string>, file?: FilePart, query = '') => {
    const body = multipart(fields, file);
    return t.app.inject({ method: 'PUT', url: `/api/roms/${id}${query}`, payload: body.payload, headers: { ...body.headers, authorization: editor.basic } });
  };
  const newRom = () => createRom(ctx().db.kysely, { platformId: gba, fsPath: 'roms/gba', fsName: `Cover ${++n}.gba` });
  const coverDir = (id: number) => path.join(t.config.dataPath, 'resources', 'roms', String(gba), String(id), 'cover');
  const artwork = (data: Buffer, filename = 'cover.png', type = 'image/png'): FilePart => ({ field: 'artwork', filename, data, type });
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    t = await createTestApp(ctx());
    editor = await createUser(t.services, 'editor');
    gba = await createPlatform(ctx().db.kysely, 'gba');
    imageBytes = await png(200, 300);
    server = await localServer((req, res) => {
      if (req.url === '/cover.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(imageBytes);
      } else if (req.url === '/manual.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end('%PDF-1.4 test manual');
      } else if (req.url === '/evil.svg') {
        res.writeHead(200, { 'content-type': 'image/svg+xml' });
        res.end(SVG_XSS);
      } else {
        res.end('x');
      }
    });
  });
  afterAll(async () => {
    await server.close();
    await t.app.close();
  });

  it('stores an uploaded PNG as big and small covers served with nosniff', async () => {
    const id = await newRom();
    const res = await put(id, {}, artwork(await png(300, 400)));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.path_cover_large).toMatch(new RegExp(`^/assets/romm/resources/roms/${gba}/${id}/cover/big\\.png\\?ts=\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d`));
    expect(body.path_cover_small).toMatch(/\/cover\/small\.png\?ts=/);
    expect(body.url_cover).toBe('');
    expect((await readdir(coverDir(id))).sort()).toEqual(['big.png', 'small.png']);
    const small = await get(body.path_cover_small.split('?')[0]);
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-type']).toBe('image/png');
    expect(small.headers['x-content-type-options']).toBe('nosniff');
    expect(await sharp(small.rawPayload).metadata()).toMatchObject({ width: 120, height: 160 });
  });

  it('accepts JPEG whatever the declared name and type, and replaces the previous cover', async () => {
    const id = await newRom();
    await put(id, {}, artwork(await png()));
    const body = (await put(id, {}, artwork(await jpeg(), 'cover.svg', 'image/svg+xml'))).json();
    expect(body.path_cover_large).toMatch(/big\.jpg\?ts=/);
    expect((await readdir(coverDir(id))).sort()).toEqual(['big.jpg', 'small.jpg']);
  });

  it.each([
    ['an SVG with script', SVG_XSS, 'image/svg+xml'],
    ['an HTML page', HTML_XSS, 'text/html'],
  ])('refuses %s with RomM\'s 400', async (_what, data, detected) => {
    const id = await newRom();
    const res = await put(id, { name: 'not applied' }, artwork(data, 'cover.png', 'image/png'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: `Artwork must be a PNG, JPEG, WebP, or GIF image (detected ${detected})` });
    expect(existsSync(coverDir(id))).toBe(false);
  });

  it('refuses a GIF/HTML/SVG polyglot: it does not decode as an image', async () => {
    const id = await newRom();
    const res = await put(id, {}, artwork(GIF_POLYGLOT, 'x.gif', 'image/gif'));
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/^Artwork could not be read as an image/);
    expect(existsSync(coverDir(id))).toBe(false);
  });

  it('answers 413 for an oversized upload', async () => {
    const id = await newRom();
    const limits = t.services.romEdit.media.limits;
    const saved = limits.maxImageBytes;
    limits.maxImageBytes = 10_000;
    try {
      const res = await put(id, {}, artwork(Buffer.concat([await png(), Buffer.alloc(20_000)])));
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ detail: 'Artwork is too large (max 10000 bytes)' });
    } finally {
      limits.maxImageBytes = saved;
    }
    expect(existsSync(coverDir(id))).toBe(false);
  });

  it('remove_cover deletes the files and clears the paths', async () => {
    const id = await newRom();
    await put(id, {}, artwork(await png()));
    const body = (await put(id, {}, undefined, '?remove_cover=true')).json();
    expect(body).toMatchObject({ path_cover_small: '', path_cover_large: '', url_cover: '' });
    expect(existsSync(coverDir(id))).toBe(false);
  });

  it.each([
    ['127.0.0.1', () => `${server.url}/cover.png`],
    ['localhost (a name resolving to loopback)', () => `http://localhost:${server.port}/cover.png`],
    ['[::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${server.port}/cover.png`],
    ['10.0.0.1', () => 'http://10.0.0.1/cover.png'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a file: URL', () => 'file:///etc/passwd'],
  ])('refuses url_cover at %s without contacting it', async (_what, url) => {
    const id = await newRom();
    const before = server.hits.length;
    const res = await put(id, { url_cover: url() });
    expect(res.statusCode).toBe(400);
    expect(typeof res.json().detail).toBe('string');
    expect(server.hits.length).toBe(before);
    const row = await ctx().db.kysely.selectFrom('roms').select(['url_cover', 'path_cover_l']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ url_cover: '', path_cover_l: '' });
  });

  it('refuses a hostname whose DNS answer is loopback (custom resolver)', async () => {
    const id = await newRom();
    const fetchOpts = t.services.romEdit.media.limits.fetch;
    fetchOpts.resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    try {
      const before = server.hits.length;
      const res = await put(id, { url_cover: `http://covers.example.com:${server.port}/cover.png` });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/disallowed address \(127\.0\.0\.1/);
      expect(server.hits.length).toBe(before);
    } finally {
      delete fetchOpts.resolve;
    }
  });

  it('fetches url_cover and url_manual when the address is allowed, and refuses SVG from a URL', async () => {
    const id = await newRom();
    const fetchOpts = t.services.romEdit.media.limits.fetch;
    fetchOpts.isAllowedAddress = () => true;
    try {
      const body = (await put(id, { url_cover: `${server.url}/cover.png`, url_manual: `${server.url}/manual.pdf` })).json();
      expect(body.url_cover).toBe(`${server.url}/cover.png`);
      expect(body.path_cover_large).toMatch(/cover\/big\.png\?ts=/);
      expect(body).toMatchObject({ url_manual: `${server.url}/manual.pdf`, path_manual: `roms/${gba}/${id}/manual/${id}.pdf`, has_manual: true });
      const manual = await get(`/assets/romm/resources/roms/${gba}/${id}/manual/${id}.pdf`);
      expect(manual.headers['content-type']).toBe('application/pdf');
      // Unchanged URL with a cover present: no second download.
      const hits = server.hits.length;
      await put(id, { url_cover: `${server.url}/cover.png`, name: 'x' });
      expect(server.hits.length).toBe(hits);
      const svg = await put(id, { url_cover: `${server.url}/evil.svg` });
      expect(svg.statusCode).toBe(400);
      expect(svg.json()).toEqual({ detail: 'Cover must be a PNG, JPEG, WebP, or GIF image (detected image/svg+xml)' });
    } finally {
      delete fetchOpts.isAllowedAddress;
    }
  });

  it('writes nothing outside the library and resources whatever the string fields say', async () => {
    const id = await newRom();
    const fsName = `Cover ${n}.gba`;
    await writeTree(t.config.libraryPath, `roms/gba/${fsName}`, 'payload');
    const root = path.dirname(t.config.dataPath);
    const before = await listTree(root);
    const evils = ['../../../../tmp/x', '/etc/passwd', '..\\..\\x', 'a\0b', '%2e%2e%2fx', '..', '.', '\u202e../x', `${'../'.repeat(40)}x`];
    for (const evil of evils) {
      await put(id, {
        fs_name: evil, url_cover: evil, url_manual: evil, name: evil.slice(0, 300), name_sort_key: evil, summary: evil,
        flashpoint_id: evil.slice(0, 100), libretro_id: evil.slice(0, 64), raw_manual_metadata: JSON.stringify({ path_cover_l: evil }),
      }, artwork(await png(), evil));
    }
    const added = (await listTree(root)).filter((p) => !before.includes(p));
    for (const p of added) expect(p.startsWith('data/resources') || p.startsWith('library/roms/gba/'), p).toBe(true);
    const row = await ctx().db.kysely.selectFrom('roms').select('fs_name').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.fs_name).not.toMatch(/[/\0]/);
    expect(await readFile(path.join(t.config.libraryPath, 'roms/gba', row.fs_name), 'utf8')).toBe('payload');
  });
});
