import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GamelistProvider } from '../../src/metadata/gamelist/provider.ts';
import { readGamelist } from '../../src/metadata/gamelist/reader.ts';
import { deriveMetadata } from '../../src/metadata/derivation.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { IssueLog } from '../unit/metadata/gamelist/helpers.ts';

const RELEASE = Date.UTC(1995, 2, 11);

describeEachEngine('POST /api/export/gamelist-xml and /api/export/pegasus', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let snes: number;
  let ct: number;
  let snesDir: string;

  const post = (url: string, user: TestUser | null = admin) =>
    t.app.inject({ method: 'POST', url, headers: user ? { authorization: user.basic } : {} });

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    editor = await createUser(t.services, 'editor');
    viewer = await createUser(t.services, 'viewer');
    const db = ctx().db.kysely;
    snes = await createPlatform(db, 'snes', { name: 'Super Nintendo' });
    snesDir = path.join(t.config.libraryPath, 'roms', 'snes');
    await mkdir(snesDir, { recursive: true });
    const res = (rel: string) => path.join(t.config.dataPath, 'resources', rel);
    const coverDir = `roms/${snes}/1/cover`;
    await mkdir(res(coverDir), { recursive: true });
    await writeFile(res(`${coverDir}/big.png`), 'cover-bytes');
    await mkdir(res(`roms/${snes}/1/screenshots`), { recursive: true });
    await writeFile(res(`roms/${snes}/1/screenshots/0.jpg`), 'shot');
    await mkdir(res(`roms/${snes}/1/manual`), { recursive: true });
    await writeFile(res(`roms/${snes}/1/manual/1.pdf`), '%PDF-1.4');
    await mkdir(res(`roms/${snes}/1/fanart`), { recursive: true });
    await writeFile(res(`roms/${snes}/1/fanart/fanart.png`), 'fan');
    ct = await createRom(db, {
      platformId: snes, fsPath: 'roms/snes', fsName: 'Chrono Trigger (USA).sfc', name: 'Chrono <Trigger> & "Friends"',
      regions: ['USA'], languages: ['en'], tags: ['Rev 1'], playerCount: '1', firstReleaseDate: RELEASE, averageRating: 95,
      ids: { gamelist_id: '11111111-2222-5333-8444-555555555555' },
      metadata: {
        igdb: { companies: ['Square', 'Square Soft'], genres: ['Role-playing (RPG)', 'Adventure'], franchises: ['Chrono'] },
        gamelist: { fanart_path: `roms/${snes}/1/fanart/fanart.png` },
      },
      cover: coverDir, screenshots: [`roms/${snes}/1/screenshots/0.jpg`], pathManual: `roms/${snes}/1/manual/1.pdf`,
    });
    await db.updateTable('roms').set({ summary: 'Time travel.\n\nA\u0007 classic.' }).where('id', '=', ct).execute();
    await createRom(db, { platformId: snes, fsPath: 'roms/snes', fsName: 'Лунный кролик 🐇.sfc', name: null });
    await createRom(db, { platformId: snes, fsPath: 'roms/snes', fsName: 'Gone (USA).sfc', missing: true });
  });
  afterAll(async () => t.app.close());

  it('needs an admin: 401 anonymous, 403 for viewers and editors', async () => {
    for (const url of ['/api/export/gamelist-xml', '/api/export/pegasus']) {
      expect((await post(`${url}?platform_ids=${snes}`, null)).statusCode).toBe(401);
      for (const user of [viewer, editor]) {
        const res = await post(`${url}?platform_ids=${snes}&local_export=true`, user);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ detail: 'Forbidden' });
      }
    }
    expect(existsSync(path.join(snesDir, 'gamelist.xml'))).toBe(false);
    expect(existsSync(path.join(snesDir, 'metadata.pegasus.txt'))).toBe(false);
  });

  it('400 without platform ids, 404 for an unknown platform, 422 for a bad boolean', async () => {
    for (const url of ['/api/export/gamelist-xml', '/api/export/pegasus']) {
      const none = await post(url);
      expect(none.statusCode).toBe(400);
      expect(none.json()).toEqual({ detail: 'At least one platform ID must be provided' });
      const unknown = await post(`${url}?platform_ids=${snes}&platform_ids=999999`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual({ detail: 'Platform with ID 999999 not found' });
      expect((await post(`${url}?platform_ids=${snes}&local_export=maybe`)).statusCode).toBe(422);
    }
    expect(existsSync(path.join(snesDir, 'gamelist.xml'))).toBe(false);
  });

  it('local gamelist.xml: written atomically with media copied in, previous file kept once, and it reads back equal', async () => {
    await writeFile(path.join(snesDir, 'gamelist.xml'), '<gameList><!-- mine --></gameList>');
    const res = await post(`/api/export/gamelist-xml?platform_ids=${snes}&local_export=true`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect(await readFile(path.join(snesDir, 'gamelist.xml.bak'), 'utf8')).toBe('<gameList><!-- mine --></gameList>');
    expect(await readFile(path.join(snesDir, 'assets/covers/Chrono Trigger (USA).png'), 'utf8')).toBe('cover-bytes');
    expect(await readFile(path.join(snesDir, 'assets/fanart/Chrono Trigger (USA).png'), 'utf8')).toBe('fan');

    const issues = new IssueLog();
    const entries = await readGamelist(path.join(snesDir, 'gamelist.xml'), issues);
    expect(issues.items).toEqual([]);
    expect(entries.size).toBe(2);
    const e = entries.get('Chrono Trigger (USA).sfc');
    expect(e?.text).toEqual({
      name: 'Chrono <Trigger> & "Friends"', desc: 'Time travel.\n\nA classic.', developer: 'Square', publisher: 'Square Soft',
      genre: 'Role-playing (RPG), Adventure', family: 'Chrono', players: '1', lang: 'en', region: 'USA',
      releasedate: '19950311T000000', rating: '0.95',
    });
    expect(e?.media).toEqual({
      thumbnail: 'assets/covers/Chrono Trigger (USA).png', box2d: 'assets/covers/Chrono Trigger (USA).png',
      screenshot: 'assets/screenshots/Chrono Trigger (USA).jpg', image: 'assets/screenshots/Chrono Trigger (USA).jpg',
      manual: 'assets/manuals/Chrono Trigger (USA).pdf', fanart: 'assets/fanart/Chrono Trigger (USA).png',
    });
    // Through the provider, as the metadata pass reads it: the derived fields and media equal what was exported.
    const session = await new GamelistProvider({ esdeMediaPath: null })
      .open({ id: snes, slug: 'snes', fsSlug: 'snes', name: 'SNES', romsDir: snesDir }, new IssueLog());
    const match = await session?.lookup({
      id: ct, platformId: snes, fsName: 'Chrono Trigger (USA).sfc', fsNameNoTags: 'Chrono Trigger', fsNameNoExt: 'Chrono Trigger (USA)',
      regions: [], crc: null, md5: null, sha1: null, ids: {},
    });
    expect(match).toMatchObject({ name: 'Chrono <Trigger> & "Friends"', summary: 'Time travel.\n\nA classic.' });
    expect(deriveMetadata({ gamelist: match?.metadata })).toMatchObject({
      first_release_date: RELEASE, average_rating: 95, player_count: '1', companies: ['Square', 'Square Soft'],
      genres: ['Role-playing (RPG)', 'Adventure'], franchises: ['Chrono'],
    });
    expect(match?.media.cover).toMatchObject({ path: path.join(snesDir, 'assets/covers/Chrono Trigger (USA).png') });
    expect(match?.media.extras?.fanart).toMatchObject({ path: path.join(snesDir, 'assets/fanart/Chrono Trigger (USA).png') });
    expect(entries.get('Лунный кролик 🐇.sfc')?.text.name).toBe('Лунный кролик 🐇.sfc');

    // A second export replaces gamelist.xml but not the backup of the user's own file.
    expect((await post(`/api/export/gamelist-xml?platform_ids=${snes}&local_export=1`)).statusCode).toBe(200);
    expect(await readFile(path.join(snesDir, 'gamelist.xml.bak'), 'utf8')).toBe('<gameList><!-- mine --></gameList>');
    const xml = await readFile(path.join(snesDir, 'gamelist.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<gameList>\n {2}<game>\n {4}<path>\.\/Chrono Trigger \(USA\)\.sfc<\/path>/);
    expect(xml).toContain('<name>Chrono &lt;Trigger&gt; &amp; "Friends"</name>');
    expect(xml).toContain('<id>11111111-2222-5333-8444-555555555555</id>');
    expect(xml).not.toContain('Gone (USA)');
    expect(xml).not.toContain('\u0007');
  });

  it('gamelist.xml without local_export names this server\'s URLs', async () => {
    expect((await post(`/api/export/gamelist-xml?platform_ids=${snes}`)).statusCode).toBe(200);
    const entries = await readGamelist(path.join(snesDir, 'gamelist.xml'), new IssueLog());
    // URLs are not files of the folder: the reader skips them, so look at the text.
    expect(entries.size).toBe(0);
    const xml = await readFile(path.join(snesDir, 'gamelist.xml'), 'utf8');
    expect(xml).toContain(`<path>http://localhost:80/api/roms/${ct}/content/Chrono%20Trigger%20(USA).sfc</path>`);
    expect(xml).toContain(`<thumbnail>http://localhost:80/assets/romm/resources/roms/${snes}/1/cover/big.png</thumbnail>`);
  });

  it('metadata.pegasus.txt, local and remote', async () => {
    expect((await post(`/api/export/pegasus?platform_ids=${snes}&local_export=true`)).statusCode).toBe(200);
    const text = await readFile(path.join(snesDir, 'metadata.pegasus.txt'), 'utf8');
    expect(text).toBe([
      'collection: Super Nintendo Entertainment System',
      'shortname: snes',
      '',
      'game: Chrono <Trigger> & "Friends"',
      'file: Chrono Trigger (USA).sfc',
      'sort-by: Chrono Trigger',
      'developer: Square',
      'publisher: Square Soft',
      'genre: Role-playing (RPG)',
      'genre: Adventure',
      'tag: Rev 1',
      'players: 1',
      'description: Time travel.',
      '  .',
      '  A classic.',
      'release: 1995-03-11',
      'rating: 95%',
      'assets.box_front: assets/covers/Chrono Trigger (USA).png',
      'assets.screenshot: assets/screenshots/Chrono Trigger (USA).jpg',
      'assets.background: assets/backgrounds/Chrono Trigger (USA).png',
      'x-region: USA',
      'x-language: en',
      `x-romm-id: ${ct}`,
      '',
      'game: Лунный кролик 🐇.sfc',
      'file: Лунный кролик 🐇.sfc',
      'players: 1',
      `x-romm-id: ${ct + 1}`,
      '',
    ].join('\n'));
    expect((await post(`/api/export/pegasus?platform_ids=${snes}`)).statusCode).toBe(200);
    const remote = await readFile(path.join(snesDir, 'metadata.pegasus.txt'), 'utf8');
    expect(remote).toContain(`file: http://localhost:80/api/roms/${ct}/content/Chrono%20Trigger%20(USA).sfc`);
    expect(remote).not.toContain('assets.');
    expect(await readFile(path.join(snesDir, 'metadata.pegasus.txt.bak'), 'utf8')).toBe(text);
  });

  it('never writes through a symlink planted in the platform folder', async () => {
    const db = ctx().db.kysely;
    const gb = await createPlatform(db, 'gb');
    const gbDir = path.join(t.config.libraryPath, 'roms', 'gb');
    await mkdir(gbDir, { recursive: true });
    await mkdir(path.join(t.config.dataPath, 'resources', `roms/${gb}/9/cover`), { recursive: true });
    await writeFile(path.join(t.config.dataPath, 'resources', `roms/${gb}/9/cover/big.png`), 'img');
    await createRom(db, { platformId: gb, fsPath: 'roms/gb', fsName: 'Tetris (World).gb', cover: `roms/${gb}/9/cover` });
    const outside = path.join(ctx().dir, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, 'victim.xml'), 'keep me');
    await symlink(path.join(outside, 'victim.xml'), path.join(gbDir, 'gamelist.xml'));
    await symlink(outside, path.join(gbDir, 'assets'));
    const res = await post(`/api/export/gamelist-xml?platform_ids=${gb}&local_export=true`);
    expect(res.statusCode).toBe(200);
    expect(await readFile(path.join(outside, 'victim.xml'), 'utf8')).toBe('keep me');
    expect((await lstat(path.join(gbDir, 'gamelist.xml'))).isFile()).toBe(true);
    expect(await readlink(path.join(gbDir, 'assets'))).toBe(outside);
    expect(existsSync(path.join(outside, 'covers'))).toBe(false);
    // The media could not be placed, so the entry names none.
    expect(await readFile(path.join(gbDir, 'gamelist.xml'), 'utf8')).not.toContain('assets/');
  });

  it('500 when no platform folder can be written', async () => {
    const nes = await createPlatform(ctx().db.kysely, 'nes');
    const res = await post(`/api/export/pegasus?platform_ids=${nes}`);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: 'Failed to write any Pegasus metadata files' });
  });
});
