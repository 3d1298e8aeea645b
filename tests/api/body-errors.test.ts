import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createCollection, createPlatform, createRom, createSmartCollection } from '../helpers/rom-fixtures.ts';

type Method = 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Bodies a careless or hostile client sends: each must answer a 4xx with a `detail`, never a 500 or a hang. */
const MALFORMED: { name: string; type: string; payload: string }[] = [
  { name: 'multipart without boundary', type: 'multipart/form-data', payload: 'name=x' },
  { name: 'multipart with an empty boundary', type: 'multipart/form-data; boundary=', payload: '--\r\n' },
  { name: 'multipart with a boundary absent from the body', type: 'multipart/form-data; boundary=abc', payload: 'garbage' },
  { name: 'truncated multipart', type: 'multipart/form-data; boundary=abc', payload: '--abc\r\nContent-Disposition: form-data; name="name"\r\n\r\nhal' },
  { name: 'multipart part without headers end', type: 'multipart/form-data; boundary=abc', payload: '--abc\r\nContent-Disposition: form-data; name="name"' },
  { name: 'multipart cut inside a file', type: 'multipart/form-data; boundary=abc', payload: '--abc\r\nContent-Disposition: form-data; name="patch_file"; filename="p.ips"\r\nContent-Type: application/octet-stream\r\n\r\nPATCH' },
  { name: 'multipart boundary too long', type: `multipart/form-data; boundary=${'b'.repeat(300)}`, payload: `--${'b'.repeat(300)}--\r\n` },
  { name: 'multipart part without a name', type: 'multipart/form-data; boundary=abc', payload: '--abc\r\nContent-Type: text/plain\r\n\r\nx\r\n--abc--\r\n' },
  { name: 'multipart/mixed', type: 'multipart/mixed; boundary=abc', payload: '--abc\r\n\r\nx\r\n--abc--\r\n' },
  { name: 'truncated JSON', type: 'application/json', payload: '{"name": "x", ' },
  { name: 'JSON syntax error', type: 'application/json', payload: '{name: x}' },
  { name: 'JSON with a bad charset', type: 'application/json; charset=latin1', payload: '{}' },
  { name: 'unknown media type', type: 'application/x-romshelf-nonsense', payload: 'x' },
  { name: 'media type without subtype', type: 'multipart', payload: 'x' },
  { name: 'url-encoded garbage', type: 'application/x-www-form-urlencoded', payload: '%E0%A4%A=&&==%' },
];

describeEachEngine('malformed request bodies', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  const ids = { rom: 0, romFile: 0, collection: 0, smart: 0 };

  const send = (method: Method, url: string, type: string, payload: string) =>
    t.app.inject({ method, url, headers: { authorization: admin.basic, 'content-type': type }, payload });

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    const db = ctx().db.kysely;
    const snes = await createPlatform(db, 'snes');
    const dir = path.join(t.config.libraryPath, 'roms', 'snes');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'Game (USA).sfc'), Buffer.alloc(512, 1));
    ids.rom = await createRom(db, { platformId: snes, fsName: 'Game (USA).sfc', fsPath: 'roms/snes', size: 512 });
    ids.romFile = (await db.selectFrom('rom_files').select('id').where('rom_id', '=', ids.rom).executeTakeFirstOrThrow()).id;
    ids.collection = await createCollection(db, admin.user.id, 'Mine', [ids.rom]);
    ids.smart = await createSmartCollection(db, admin.user.id, 'Smart', { search_term: 'Game' });
  });
  afterAll(async () => t.app.close());

  it('answers 400 with a detail to multipart without a boundary on every form route', async () => {
    const routes: [Method, string][] = [
      ['PUT', `/api/users/${admin.user.id}`],
      ['POST', '/api/collections'],
      ['PUT', `/api/collections/${ids.collection}`],
      ['POST', '/api/collections/smart'],
      ['PUT', `/api/collections/smart/${ids.smart}`],
      ['PUT', `/api/roms/${ids.rom}`],
      ['POST', `/api/roms/${ids.romFile}/patch`],
    ];
    for (const [method, url] of routes) {
      const res = await send(method, url, 'multipart/form-data', 'name=x');
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(typeof res.json().detail, `${method} ${url}`).toBe('string');
    }
  });

  it('answers 400 to truncated or malformed multipart on the form routes', async () => {
    const truncated = '--abc\r\nContent-Disposition: form-data; name="name"\r\n\r\nhal';
    for (const [method, url] of [['PUT', `/api/roms/${ids.rom}`], ['POST', `/api/roms/${ids.romFile}/patch`], ['POST', '/api/collections'], ['PUT', `/api/users/${admin.user.id}`]] as [Method, string][]) {
      const res = await send(method, url, 'multipart/form-data; boundary=abc', truncated);
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(typeof res.json().detail).toBe('string');
    }
  });

  it('refuses a multipart edit cut before its closing delimiter, and applies nothing of it', async () => {
    const boundary = 'cut';
    const complete = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nRenamed\r\n--${boundary}--\r\n`;
    // Tiny chunks, so the closing delimiter straddles chunk edges.
    const inChunks = (text: string) => Readable.from(Array.from({ length: Math.ceil(text.length / 3) }, (_, i) => Buffer.from(text.slice(i * 3, i * 3 + 3))));
    const put = (payload: string | Readable) =>
      t.app.inject({ method: 'PUT', url: `/api/roms/${ids.rom}`, headers: { authorization: admin.basic, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    const cut = await put(inChunks(complete.slice(0, complete.indexOf(`--${boundary}--`))));
    expect(cut.statusCode).toBe(400);
    expect(cut.json()).toEqual({ detail: 'Multipart body is incomplete' });
    expect((await ctx().db.kysely.selectFrom('roms').select('name').where('id', '=', ids.rom).executeTakeFirstOrThrow()).name).not.toBe('Renamed');
    const ok = await put(inChunks(complete));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Renamed');
  });

  it('answers 400 to a patch upload cut inside the file', async () => {
    const res = await send('POST', `/api/roms/${ids.romFile}/patch`, 'multipart/form-data; boundary=abc',
      '--abc\r\nContent-Disposition: form-data; name="patch_file"; filename="p.ips"\r\nContent-Type: application/octet-stream\r\n\r\nPATCH');
    expect(res.statusCode).toBe(400);
    expect(typeof res.json().detail).toBe('string');
  });

  it('answers 415 to a media type no route parses, like FastAPI', async () => {
    const res = await send('POST', '/api/collections', 'application/x-romshelf-nonsense', 'x');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ detail: 'Unsupported media type' });
  });

  it('never answers 500 to a malformed body on any route that takes one', async () => {
    const writes = t.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.url.startsWith('/api'));
    expect(writes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const route of writes) {
      // Ids that name nothing, so a request that gets past the body does no harm.
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) => (/id$/.test(name) ? '987654' : 'x'));
      for (const body of MALFORMED) {
        const res = await send(route.method as Method, url, body.type, body.payload);
        const detail = res.statusCode < 300 ? 'ok' : res.json<{ detail?: unknown }>().detail;
        if (res.statusCode >= 500 || detail === undefined) failures.push(`${route.method} ${route.url} / ${body.name}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
