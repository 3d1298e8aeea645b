import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { seedRomLibrary, type SeededLibrary } from '../helpers/rom-fixtures.ts';

const CONFIG_YML = `# romshelf settings (hand-written)
exclude:
  # folders nobody wants
  platforms: [ps2] # keep this one
system:
  platforms:
    gc: ngc # GameCube folder
  versions:
custom_key: { kept: true }
scan:
  priority:
    region: [us, eu] # region order
    region_mode: prefer_config
`;

const SCAN_BODY = {
  metadata_priority: ['launchbox', 'igdb', 'launchbox'],
  artwork_priority: ['libretro', 'sgdb'],
  cover_priority: ['libretro'],
  screenshot_priority: null,
  region_priority: [' EU ', 'us', '', 'eu'],
  language_priority: ['fr', 'en'],
  media: ['box2d', 'screenshot'],
  gamelist_export: true,
  gamelist_thumbnail: 'box3d',
  gamelist_image: 'title_screen',
  pegasus_export: true,
};

describeEachEngine('config writes: bindings, versions, exclusions, scan settings', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let lib: SeededLibrary;
  const file = () => t.config.scan.configFile;
  const call = (method: 'POST' | 'DELETE' | 'PUT', url: string, payload?: unknown, user: TestUser | null = admin) =>
    t.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), ...(user ? { headers: { authorization: user.basic } } : {}) });
  const config = async () => (await t.app.inject({ url: '/api/config', headers: { authorization: admin.basic } })).json<Record<string, unknown>>();

  beforeAll(async () => {
    t = await createTestApp(ctx());
    writeFileSync(file(), CONFIG_YML);
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: viewer.user.id, bob: admin.user.id });
  });
  afterAll(async () => t.app.close());

  it('needs platforms.write: 401 without a caller, 403 for a viewer, and the file is untouched', async () => {
    const routes: [method: 'POST' | 'DELETE' | 'PUT', url: string, body?: unknown][] = [
      ['POST', '/api/config/system/platforms', { fs_slug: 'x', slug: 'y' }],
      ['DELETE', '/api/config/system/platforms/gc'],
      ['POST', '/api/config/system/versions', { fs_slug: 'x', slug: 'y' }],
      ['DELETE', '/api/config/system/versions/x'],
      ['POST', '/api/config/exclude', { exclusion_type: 'EXCLUDED_PLATFORMS', exclusion_value: 'x' }],
      ['DELETE', '/api/config/exclude/EXCLUDED_PLATFORMS/ps2'],
      ['PUT', '/api/config/scan', SCAN_BODY],
    ];
    for (const [method, url, body] of routes) {
      expect((await call(method, url, body, null)).statusCode, `${method} ${url}`).toBe(401);
      const denied = await call(method, url, body, viewer);
      expect(denied.statusCode, `${method} ${url}`).toBe(403);
      expect(denied.json()).toEqual({ detail: 'Forbidden' });
    }
    expect(readFileSync(file(), 'utf8')).toBe(CONFIG_YML);
  });

  it('platform bindings and versions: add, keep an existing one, remove; comments and other keys survive', async () => {
    const add = await call('POST', '/api/config/system/platforms', { fs_slug: 'megadrive', slug: 'genesis' });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json()).toBeNull();
    // RomM keeps an existing binding rather than replacing it.
    expect((await call('POST', '/api/config/system/platforms', { fs_slug: 'gc', slug: 'wii' })).statusCode).toBe(200);
    expect((await call('POST', '/api/config/system/versions', { fs_slug: 'naomi', slug: 'arcade' })).statusCode).toBe(200);
    expect(await config()).toMatchObject({ PLATFORMS_BINDING: { gc: 'ngc', megadrive: 'genesis' }, PLATFORMS_VERSIONS: { naomi: 'arcade' } });

    const text = readFileSync(file(), 'utf8');
    for (const kept of ['# romshelf settings (hand-written)', '# folders nobody wants', '# keep this one', '# GameCube folder', '# region order']) {
      expect(text).toContain(kept);
    }
    expect(parse(text)).toMatchObject({ custom_key: { kept: true }, scan: { priority: { region_mode: 'prefer_config' } } });

    expect((await call('DELETE', '/api/config/system/platforms/megadrive')).statusCode).toBe(200);
    expect((await call('DELETE', '/api/config/system/versions/naomi')).statusCode).toBe(200);
    // Removing what is not there succeeds and changes nothing, as in RomM.
    expect((await call('DELETE', '/api/config/system/versions/never-bound')).statusCode).toBe(200);
    expect(await config()).toMatchObject({ PLATFORMS_BINDING: { gc: 'ngc' }, PLATFORMS_VERSIONS: {} });
  });

  it('exclusions by RomM\'s type names: added to the right list, extensions lower-cased, removed by path', async () => {
    for (const [type, value] of [
      ['EXCLUDED_PLATFORMS', 'psp'], ['EXCLUDED_SINGLE_EXT', 'NFO'], ['EXCLUDED_SINGLE_FILES', 'readme.txt'],
      ['EXCLUDED_MULTI_FILES', 'extras'], ['EXCLUDED_MULTI_PARTS_EXT', 'sav'], ['EXCLUDED_MULTI_PARTS_FILES', 'Thumbs.db'],
    ] as const) {
      const res = await call('POST', '/api/config/exclude', { exclusion_type: type, exclusion_value: value });
      expect(res.statusCode, `${type} ${res.body}`).toBe(200);
    }
    // Twice is once.
    await call('POST', '/api/config/exclude', { exclusion_type: 'EXCLUDED_PLATFORMS', exclusion_value: 'psp' });
    const doc = parse(readFileSync(file(), 'utf8'));
    expect(doc.exclude).toEqual({
      platforms: ['ps2', 'psp'],
      roms: { single_file: { extensions: ['nfo'], names: ['readme.txt'] }, multi_file: { names: ['extras'], parts: { extensions: ['sav'], names: ['Thumbs.db'] } } },
    });
    const c = await config();
    expect(c.EXCLUDED_PLATFORMS).toEqual(expect.arrayContaining(['ps2', 'psp', '@eaDir']));
    expect(c.EXCLUDED_SINGLE_EXT).toContain('nfo');

    expect((await call('DELETE', '/api/config/exclude/EXCLUDED_PLATFORMS/ps2')).statusCode).toBe(200);
    expect((await call('DELETE', '/api/config/exclude/EXCLUDED_SINGLE_EXT/NFO')).statusCode).toBe(200);
    expect((await call('DELETE', `/api/config/exclude/EXCLUDED_SINGLE_FILES/${encodeURIComponent('readme.txt')}`)).statusCode).toBe(200);
    const after = parse(readFileSync(file(), 'utf8'));
    expect(after.exclude.platforms).toEqual(['psp']);
    expect(after.exclude.roms.single_file).toEqual({ extensions: [], names: [] });
    expect(readFileSync(file(), 'utf8')).toContain('# folders nobody wants');
  });

  it('bad input: 4xx with a detail, file unchanged', async () => {
    const before = readFileSync(file(), 'utf8');
    const cases: [method: 'POST' | 'DELETE' | 'PUT', url: string, body: unknown, status: number, detail: RegExp][] = [
      ['POST', '/api/config/exclude', { exclusion_type: 'EXCLUDED_EVERYTHING', exclusion_value: 'x' }, 400, /^Unknown exclusion type 'EXCLUDED_EVERYTHING'; valid types: EXCLUDED_PLATFORMS/],
      ['POST', '/api/config/exclude', { exclusion_type: '__proto__', exclusion_value: 'x' }, 400, /^Unknown exclusion type/],
      ['DELETE', '/api/config/exclude/toString/x', undefined, 400, /^Unknown exclusion type 'toString'/],
      ['POST', '/api/config/exclude', { exclusion_type: 'EXCLUDED_PLATFORMS', exclusion_value: '   ' }, 400, /exclusion_value must not be empty/],
      ['POST', '/api/config/exclude', { exclusion_type: 'EXCLUDED_PLATFORMS', exclusion_value: 'a'.repeat(256) }, 400, /longer than 255/],
      ['POST', '/api/config/exclude', { exclusion_type: 'EXCLUDED_PLATFORMS', exclusion_value: 'a\nb: c' }, 400, /control characters/],
      ['POST', '/api/config/system/platforms', { fs_slug: '', slug: 'x' }, 400, /fs_slug must not be empty/],
      ['POST', '/api/config/system/platforms', { fs_slug: '../etc', slug: 'x' }, 400, /single folder name/],
      ['POST', '/api/config/system/versions', { fs_slug: 'x', slug: 's'.repeat(101) }, 400, /slug is longer than 100/],
      ['PUT', '/api/config/scan', { ...SCAN_BODY, metadata_priority: ['igdb', 'nope'] }, 422, /Unknown metadata source\(s\): 'nope'/],
      ['PUT', '/api/config/scan', { ...SCAN_BODY, gamelist_thumbnail: 'screenshot' }, 422, /Invalid gamelist thumbnail; valid options: box2d, box3d/],
      ['PUT', '/api/config/scan', { ...SCAN_BODY, media: ['box2d', 'hologram'] }, 422, /Invalid media type/],
      ['PUT', '/api/config/scan', { ...SCAN_BODY, region_priority: ['us; rm -rf'] }, 422, /invalid code/],
    ];
    for (const [method, url, body, status, detail] of cases) {
      const res = await call(method, url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(status);
      expect(res.json<{ detail: string }>().detail).toMatch(detail);
    }
    const missing = await call('POST', '/api/config/system/platforms', { fs_slug: 'x' });
    expect(missing.statusCode).toBe(422);
    const { slug: _omit, ...noSlug } = { fs_slug: 'x', slug: 'y' };
    expect((await call('PUT', '/api/config/scan', { ...SCAN_BODY, gamelist_export: 'maybe' })).statusCode).toBe(422);
    expect((await call('POST', '/api/config/system/versions', noSlug)).statusCode).toBe(422);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('PUT /api/config/scan replaces the scan settings as RomM does and regroups lists by the new region order', async () => {
    // As the viewer: the admin has picked a main sibling of their own in the seeded library.
    const grouped = async () => (await t.app.inject({ url: '/api/roms?group_by_meta_id=true&search_term=mario', headers: { authorization: viewer.basic } }))
      .json<{ items: { id: number }[] }>().items.map((i) => i.id);
    // The file's region order is [us, eu]: the USA release stands for the group.
    expect(await grouped()).toEqual([lib.roms.marioUsa]);

    const res = await call('PUT', '/api/config/scan', SCAN_BODY);
    expect(res.statusCode, res.body).toBe(200);
    expect(await config()).toMatchObject({
      SCAN_METADATA_PRIORITY: ['launchbox', 'igdb'], SCAN_ARTWORK_PRIORITY: ['libretro', 'sgdb'],
      SCAN_ARTWORK_PRIORITY_OVERRIDES: { cover: ['libretro'] }, SCAN_REGION_PRIORITY: ['eu', 'us'],
      SCAN_LANGUAGE_PRIORITY: ['fr', 'en'], SCAN_MEDIA: ['box2d', 'screenshot'],
      GAMELIST_AUTO_EXPORT_ON_SCAN: true, GAMELIST_MEDIA_THUMBNAIL: 'box3d', GAMELIST_MEDIA_IMAGE: 'title_screen',
      PEGASUS_AUTO_EXPORT_ON_SCAN: true,
    });
    const text = readFileSync(file(), 'utf8');
    expect(text).toContain('region: [ eu, us ] # region order');
    expect(parse(text).scan.priority.region_mode).toBe('prefer_config');
    // The list cache does not serve the old representative.
    expect(await grouped()).toEqual([lib.roms.marioEur]);

    // A null override clears it.
    expect((await call('PUT', '/api/config/scan', { ...SCAN_BODY, cover_priority: null })).statusCode).toBe(200);
    expect((await config()).SCAN_ARTWORK_PRIORITY_OVERRIDES).toEqual({});
  });

  it('a file that does not parse is not overwritten: 409 with the parser\'s complaint', async () => {
    const good = readFileSync(file(), 'utf8');
    writeFileSync(file(), 'exclude: [unclosed');
    const res = await call('POST', '/api/config/system/platforms', { fs_slug: 'a', slug: 'b' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ detail: string }>().detail).toMatch(/^config.yml has a YAML error; fix it before changing settings here: /);
    expect(readFileSync(file(), 'utf8')).toBe('exclude: [unclosed');
    writeFileSync(file(), good);
  });

  it('a config file that cannot be written answers 409 with RomM\'s message', async () => {
    // Tests run as root here, where permission bits do not stop a write: the config's folder becomes a file instead.
    const blocker = path.join(ctx().dir, 'not-a-folder');
    const ro = await createTestApp(ctx(), { SCAN_CONFIG_FILE: path.join(blocker, 'config.yml') });
    writeFileSync(blocker, 'x');
    try {
      const res = await ro.app.inject({
        method: 'POST', url: '/api/config/exclude', headers: { authorization: admin.basic },
        payload: { exclusion_type: 'EXCLUDED_PLATFORMS', exclusion_value: 'x' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ detail: string }>().detail).toMatch(/^Config file is not writable\. Check config.yml permissions/);
      expect((await ro.app.inject({ url: '/api/config' })).json()).toMatchObject({ CONFIG_FILE_MOUNTED: false, CONFIG_FILE_WRITABLE: false });
    } finally {
      await ro.app.close();
    }
    if (process.getuid?.() !== 0) {
      chmodSync(file(), 0o444);
      try {
        const res = await call('POST', '/api/config/system/platforms', { fs_slug: 'a', slug: 'b' });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toEqual({ detail: 'Config file is not writable. Check config.yml permissions' });
      } finally {
        chmodSync(file(), 0o644);
      }
    }
  });

  it('a missing config file is created, as RomM does', async () => {
    const dir = path.join(ctx().dir, 'fresh-config');
    const fresh = await createTestApp(ctx(), { SCAN_CONFIG_FILE: path.join(dir, 'config.yml') });
    try {
      const res = await fresh.app.inject({
        method: 'POST', url: '/api/config/system/platforms', headers: { authorization: admin.basic }, payload: { fs_slug: 'md', slug: 'genesis' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(parse(readFileSync(path.join(dir, 'config.yml'), 'utf8'))).toEqual({ system: { platforms: { md: 'genesis' } } });
    } finally {
      await fresh.app.close();
    }
  });
});

describeEachEngine('config writes reach the next scan', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  // ROMs whose file a scan still sees (an excluded file is reported missing, as RomM marks it).
  const names = async () => (await t.app.inject({ url: '/api/roms?order_by=fs_name', headers: { authorization: admin.basic } }))
    .json<{ items: { fs_name: string; platform_fs_slug: string; missing_from_fs: boolean }[] }>().items
    .filter((r) => !r.missing_from_fs).map((r) => `${r.platform_fs_slug}/${r.fs_name}`).sort();
  const scan = async () => {
    t.services.scans.start({ type: 'quick' });
    await t.services.scans.done();
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    for (const [platform, file] of [['gba', 'Alpha (USA).gba'], ['gba', 'Beta (USA).gba'], ['snes', 'Gamma (USA).sfc']]) {
      mkdirSync(path.join(t.config.libraryPath, 'roms', platform!), { recursive: true });
      writeFileSync(path.join(t.config.libraryPath, 'roms', platform!, file!), `rom ${file}`);
    }
  });
  afterAll(async () => t.app.close());

  it('an excluded file and platform are skipped by the next scan; removing the exclusion brings the file back', async () => {
    await scan();
    expect(await names()).toEqual(['gba/Alpha (USA).gba', 'gba/Beta (USA).gba', 'snes/Gamma (USA).sfc']);

    const add = (type: string, value: string) =>
      t.app.inject({ method: 'POST', url: '/api/config/exclude', headers: { authorization: admin.basic }, payload: { exclusion_type: type, exclusion_value: value } });
    expect((await add('EXCLUDED_SINGLE_FILES', 'Beta (USA).gba')).statusCode).toBe(200);
    expect((await add('EXCLUDED_PLATFORMS', 'snes')).statusCode).toBe(200);
    // A new file in the excluded platform is not picked up either.
    writeFileSync(path.join(t.config.libraryPath, 'roms', 'snes', 'Delta (USA).sfc'), 'rom delta');
    await scan();
    expect(await names()).toEqual(['gba/Alpha (USA).gba']);

    const del = await t.app.inject({
      method: 'DELETE', url: `/api/config/exclude/EXCLUDED_SINGLE_FILES/${encodeURIComponent('Beta (USA).gba')}`, headers: { authorization: admin.basic },
    });
    expect(del.statusCode).toBe(200);
    await scan();
    expect(await names()).toEqual(['gba/Alpha (USA).gba', 'gba/Beta (USA).gba']);
  });

  it('a platform binding applies to the next scan', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/config/system/platforms', headers: { authorization: admin.basic }, payload: { fs_slug: 'mdrive', slug: 'genesis' },
    });
    expect(res.statusCode).toBe(200);
    mkdirSync(path.join(t.config.libraryPath, 'roms', 'mdrive'), { recursive: true });
    writeFileSync(path.join(t.config.libraryPath, 'roms', 'mdrive', 'Sonic (USA).md'), 'rom sonic');
    await scan();
    const platforms = (await t.app.inject({ url: '/api/platforms', headers: { authorization: admin.basic } })).json<{ fs_slug: string; slug: string }[]>();
    expect(platforms.find((p) => p.fs_slug === 'mdrive')?.slug).toBe('genesis');
  });
});
