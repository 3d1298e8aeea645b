import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { cookiesFrom, createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import pkg from '../../package.json' with { type: 'json' };

const CONFIG_YML = `
exclude:
  platforms: [ps2]
  roms:
    single_file:
      extensions: [TXT]
system:
  platforms: { gc: ngc }
  versions: { naomi: arcade }
emulatorjs:
  netplay:
    enabled: true
    ice_servers:
      - { urls: "turn:turn.example:3478", username: u, credential: secret }
scan:
  priority:
    metadata: [launchbox, gamelist]
    cover: [libretro]
    language: [fr, en]
  gamelist:
    export: true
`;

describeEachEngine('heartbeat version, config, setup, tasks and streaming', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    writeFileSync(t.config.scan.configFile, CONFIG_YML);
  });
  afterAll(async () => t.app.close());

  it('reports the RomM API version as plain MAJOR.MINOR.PATCH and romshelf\'s own beside it', async () => {
    const hb = (await t.app.inject({ url: '/api/heartbeat' })).json<{ SYSTEM: Record<string, unknown> }>();
    expect(hb.SYSTEM.VERSION).toBe('5.2.0');
    expect(hb.SYSTEM.VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(hb.SYSTEM.ROMSHELF_VERSION).toBe(pkg.version);
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{ info: { version: string; description: string } }>();
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.info.description).toContain('RomM 5.2.0');
  });

  it('first-run setup: anyone reads the library and creates platform folders until an admin exists', async () => {
    mkdirSync(path.join(t.config.libraryPath, 'roms', 'snes'), { recursive: true });
    writeFileSync(path.join(t.config.libraryPath, 'roms', 'snes', 'Game (USA).sfc'), 'x');
    writeFileSync(path.join(t.config.libraryPath, 'roms', 'snes', '.hidden'), 'x');
    mkdirSync(path.join(t.config.libraryPath, 'roms', 'ps2'), { recursive: true });
    const res = await t.app.inject({ url: '/api/setup/library' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ detected_structure: string; existing_platforms: unknown[]; supported_platforms: { id: number; slug: string; fs_slug: string }[] }>();
    expect(body.detected_structure).toBe('struct_a');
    // ps2 is excluded by config.yml; the hidden file is not counted.
    expect(body.existing_platforms).toEqual([{ fs_slug: 'snes', rom_count: 1 }]);
    expect(body.supported_platforms.find((p) => p.slug === 'n64')).toMatchObject({ id: -1, fs_slug: 'n64', rom_count: 0 });

    const csrf = cookiesFrom((await t.app.inject({ url: '/api/heartbeat' })).headers).romm_csrftoken ?? '';
    const headers = { cookie: `romm_csrftoken=${csrf}`, 'x-csrftoken': csrf };
    const created = await t.app.inject({ method: 'POST', url: '/api/setup/platforms', headers, payload: ['gba', 'n64', 'snes'] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ success: true, created_count: 2, message: 'Successfully created 2 platform folder(s)' });
    expect((await readdir(path.join(t.config.libraryPath, 'roms'))).sort()).toEqual(['gba', 'n64', 'ps2', 'snes']);
    const none = await t.app.inject({ method: 'POST', url: '/api/setup/platforms', headers, payload: [] });
    expect(none.json()).toEqual({ success: true, created_count: 0, message: 'No platforms selected' });

    for (const bad of ['../escape', '..', 'a/b', 'a\\b', '', 'nul\u0000byte']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/setup/platforms', headers, payload: ['ok-first', bad] });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(/^Invalid platform folder name/);
    }
    // A refused request creates nothing, not even the valid names before the bad one.
    expect(await readdir(path.join(t.config.libraryPath, 'roms'))).not.toContain('ok-first');
    expect(await readdir(t.config.libraryPath)).not.toContain('escape');
    const notList = await t.app.inject({ method: 'POST', url: '/api/setup/platforms', headers, payload: { fs_slug: 'x' } });
    expect(notList.statusCode).toBe(422);
  });

  it('after setup: the wizard routes need platforms.read / platforms.write, else 403 Forbidden', async () => {
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    const anon = await t.app.inject({ url: '/api/setup/library' });
    expect(anon.statusCode).toBe(403);
    expect(anon.json()).toEqual({ detail: 'Forbidden' });
    expect((await t.app.inject({ url: '/api/setup/library', headers: { authorization: viewer.basic } })).statusCode).toBe(200);
    const denied = await t.app.inject({ method: 'POST', url: '/api/setup/platforms', headers: { authorization: viewer.basic }, payload: ['psx'] });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ detail: 'Forbidden' });
    const ok = await t.app.inject({ method: 'POST', url: '/api/setup/platforms', headers: { authorization: admin.basic }, payload: ['psx'] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ created_count: 1 });
  });

  it('GET /api/config: RomM\'s shape from config.yml; credentials and parser errors only for signed-in callers', async () => {
    const anon = await t.app.inject({ url: '/api/config' });
    expect(anon.statusCode).toBe(200);
    const c = anon.json<Record<string, unknown>>();
    expect(Object.keys(c)).toEqual([
      'CONFIG_FILE_MOUNTED', 'CONFIG_FILE_WRITABLE', 'CONFIG_FILE_PARSE_ERROR', 'EXCLUDED_PLATFORMS', 'EXCLUDED_SINGLE_EXT',
      'EXCLUDED_SINGLE_FILES', 'EXCLUDED_MULTI_FILES', 'EXCLUDED_MULTI_PARTS_EXT', 'EXCLUDED_MULTI_PARTS_FILES',
      'DEFAULT_EXCLUDED_DIRS', 'DEFAULT_EXCLUDED_FILES', 'DEFAULT_EXCLUDED_EXTENSIONS', 'PLATFORMS_BINDING', 'PLATFORMS_VERSIONS',
      'SKIP_HASH_CALCULATION', 'EJS_DEBUG', 'EJS_CACHE_LIMIT', 'EJS_DISABLE_AUTO_UNLOAD', 'EJS_DISABLE_BATCH_BOOTUP',
      'EJS_NETPLAY_ENABLED', 'EJS_NETPLAY_ICE_SERVERS', 'EJS_SETTINGS', 'EJS_CONTROLS', 'SCAN_METADATA_PRIORITY',
      'SCAN_ARTWORK_PRIORITY', 'SCAN_ARTWORK_PRIORITY_OVERRIDES', 'SCAN_REGION_PRIORITY', 'SCAN_LANGUAGE_PRIORITY', 'SCAN_MEDIA',
      'GAMELIST_AUTO_EXPORT_ON_SCAN', 'GAMELIST_MEDIA_THUMBNAIL', 'GAMELIST_MEDIA_IMAGE', 'PEGASUS_AUTO_EXPORT_ON_SCAN',
    ]);
    expect(c).toMatchObject({
      CONFIG_FILE_MOUNTED: true, CONFIG_FILE_WRITABLE: true, CONFIG_FILE_PARSE_ERROR: null,
      PLATFORMS_BINDING: { gc: 'ngc' }, PLATFORMS_VERSIONS: { naomi: 'arcade' },
      SKIP_HASH_CALCULATION: false, EJS_CACHE_LIMIT: null, EJS_NETPLAY_ENABLED: true, EJS_NETPLAY_ICE_SERVERS: [],
      SCAN_METADATA_PRIORITY: ['launchbox', 'gamelist'], SCAN_ARTWORK_PRIORITY_OVERRIDES: { cover: ['libretro'] },
      SCAN_LANGUAGE_PRIORITY: ['fr', 'en'], SCAN_MEDIA: ['box2d', 'screenshot', 'manual'],
      GAMELIST_AUTO_EXPORT_ON_SCAN: true, GAMELIST_MEDIA_THUMBNAIL: 'box2d', GAMELIST_MEDIA_IMAGE: 'screenshot',
      PEGASUS_AUTO_EXPORT_ON_SCAN: false,
    });
    // Defaults merged with config.yml, deduplicated and sorted, extensions lower-cased (RomM's config manager).
    expect(c.EXCLUDED_PLATFORMS).toEqual(expect.arrayContaining(['ps2', '@eaDir']));
    expect(c.EXCLUDED_SINGLE_EXT).toEqual(['bak', 'cache', 'crdownload', 'db', 'ini', 'lock', 'log', 'tmp', 'txt']);
    expect(c.DEFAULT_EXCLUDED_EXTENSIONS).toEqual(['db', 'ini', 'tmp', 'bak', 'lock', 'log', 'cache', 'crdownload']);

    const signedIn = (await t.app.inject({ url: '/api/config', headers: { authorization: viewer.basic } })).json<Record<string, unknown>>();
    expect(signedIn.EJS_NETPLAY_ICE_SERVERS).toEqual([{ urls: 'turn:turn.example:3478', username: 'u', credential: 'secret' }]);

    writeFileSync(t.config.scan.configFile, 'exclude: [unclosed');
    const broken = await t.app.inject({ url: '/api/config', headers: { authorization: viewer.basic } });
    expect(broken.json<{ CONFIG_FILE_PARSE_ERROR: string | null }>().CONFIG_FILE_PARSE_ERROR).toEqual(expect.any(String));
    expect((await t.app.inject({ url: '/api/config' })).json<{ CONFIG_FILE_PARSE_ERROR: string | null }>().CONFIG_FILE_PARSE_ERROR).toBeNull();
    writeFileSync(t.config.scan.configFile, CONFIG_YML);
  });

  it('tasks: list, status list, lookup by id and RomM\'s errors, without route collisions', async () => {
    const headers = { authorization: admin.basic };
    const list = await t.app.inject({ url: '/api/tasks', headers });
    expect(list.statusCode).toBe(200);
    const grouped = list.json<Record<string, { name: string }[]>>();
    expect(Object.keys(grouped)).toEqual(['scheduled', 'manual', 'watcher']);
    expect(grouped.scheduled?.[0]).toEqual({
      name: 'scan_library', type: 'scan', title: 'Scheduled rescan', description: 'Rescans the entire library',
      enabled: true, manual_run: true, cron_string: '',
    });
    expect(grouped.watcher?.[0]?.name).toBe('filesystem_watcher');
    // The sync tasks are off by default (ENABLE_SYNC_FOLDER_WATCHER, ENABLE_SYNC_PUSH_PULL) and cannot be run then.
    expect(grouped.manual).toEqual([{
      name: 'sync_folder_scan', type: 'sync', title: 'Sync Folder Scan', description: 'Scan device sync folders for new save files',
      enabled: false, manual_run: false, cron_string: '',
    }]);
    expect(grouped.scheduled?.[1]).toMatchObject({ name: 'sync_push_pull', type: 'sync', enabled: false, cron_string: '*/30 * * * *' });
    for (const name of ['sync_folder_scan', 'sync_push_pull']) {
      const refused = await t.app.inject({ method: 'POST', url: `/api/tasks/run/${name}`, headers });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({ detail: `Task '${name}' cannot be run` });
    }

    const empty = await t.app.inject({ url: '/api/tasks/status', headers });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual([]);

    const run = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers, payload: {} });
    expect(run.statusCode).toBe(200);
    const id = run.json<{ task_id: string }>().task_id;
    await t.services.scans.done();
    const status = await t.app.inject({ url: '/api/tasks/status', headers });
    expect(status.json()).toEqual([expect.objectContaining({ task_id: id, status: 'finished', task_type: 'scan' })]);
    expect((await t.app.inject({ url: `/api/tasks/${id}`, headers })).json()).toMatchObject({ task_id: id });

    const missing = await t.app.inject({ url: '/api/tasks/nope', headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: "Task with ID 'nope' not found" });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/tasks/run/make_coffee', headers });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ detail: "Task 'make_coffee' not found, available tasks are scan_library, sync_folder_scan, sync_push_pull" });
    for (const url of ['/api/tasks', '/api/tasks/status']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
      expect((await t.app.inject({ url, headers: { authorization: viewer.basic } })).statusCode, url).toBe(403);
    }
  });

  it('GET /api/streaming/config says streaming is off', async () => {
    const res = await t.app.inject({ url: '/api/streaming/config', headers: { authorization: viewer.basic } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ enabled: false, containers: [] });
    expect((await t.app.inject({ url: '/api/streaming/config' })).statusCode).toBe(401);
  });
});
