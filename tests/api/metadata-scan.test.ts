import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/paths.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { HTML_XSS, multipart, png } from '../helpers/rom-edit-fixtures.ts';

interface RomJson {
  id: number; name: string; fs_name: string; summary: string | null; path_cover_small: string | null; path_cover_large: string | null;
  gamelist_id: string | null; launchbox_id: number | null; libretro_id: string | null; merged_screenshots: string[];
  metadatum: { genres: string[]; companies: string[]; age_ratings: string[]; first_release_date: number | null; average_rating: number | null; player_count: string };
}

const GAMELIST = `<?xml version="1.0"?>
<gameList>
  <game>
    <path>./Paper Mario (USA).z64</path>
    <name>Paper Mario</name>
    <desc>A storybook adventure.</desc>
    <rating>0.8</rating>
    <releasedate>20010205T000000</releasedate>
    <developer>Intelligent Systems</developer>
    <publisher>Nintendo</publisher>
    <genre>RPG</genre>
    <players>1</players>
    <image>./images/Paper Mario (USA)-image.png</image>
    <thumbnail>./images/Paper Mario (USA)-thumb.png</thumbnail>
  </game>
  <game>
    <path>./Sneaky (USA).z64</path>
    <name>Sneaky</name>
    <genre>Role-Playing</genre>
    <image>../../../../etc/passwd</image>
  </game>
  <game>
    <path>./Fake Cover (USA).z64</path>
    <name>Fake Cover</name>
    <image>./images/fake.png</image>
  </game>
  <game>
    <path>./Linked (USA).z64</path>
    <name>Linked</name>
    <image>./images/linked.png</image>
  </game>
</gameList>
`;

describeEachEngine('metadata from local sources through a scan', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;

  const roms = async (query = '') => {
    const res = await t.app.inject({ url: `/api/roms?limit=50&order_by=name${query}`, headers: { authorization: viewer.basic } });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: RomJson[] }>().items;
  };
  const byName = async (fsName: string) => {
    const item = (await roms()).find((r) => r.fs_name === fsName);
    if (!item) throw new Error(`${fsName} missing`);
    return item;
  };
  const runScan = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: admin.basic }, payload });
    expect(res.statusCode).toBe(200);
    await t.services.scans.done();
    return (await t.app.inject({ url: '/api/tasks/scan_library/status', headers: { authorization: admin.basic } })).json<{ status: string; meta: { scan_stats: Record<string, number> } }>();
  };

  beforeAll(async () => {
    const dir = ctx().dir;
    const thumbs = path.join(dir, 'thumbs');
    const outside = path.join(dir, 'outside');
    t = await createTestApp(ctx(), {
      LIBRETRO_THUMBNAILS_PATH: thumbs,
      LAUNCHBOX_METADATA_PATH: path.join(PROJECT_ROOT, 'tests/fixtures/metadata/launchbox/Metadata.xml'),
    });
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    const n64 = path.join(t.config.libraryPath, 'roms', 'n64');
    mkdirSync(path.join(n64, 'images'), { recursive: true });
    for (const name of ['Paper Mario (USA).z64', 'Legend of Zelda, The - Ocarina of Time (USA).z64', 'Sneaky (USA).z64', 'Fake Cover (USA).z64', 'Linked (USA).z64']) {
      writeFileSync(path.join(n64, name), name);
    }
    writeFileSync(path.join(n64, 'gamelist.xml'), GAMELIST);
    writeFileSync(path.join(n64, 'images', 'Paper Mario (USA)-image.png'), await png(300, 400));
    writeFileSync(path.join(n64, 'images', 'fake.png'), HTML_XSS);
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'secret.png'), await png(10, 10));
    symlinkSync(path.join(outside, 'secret.png'), path.join(n64, 'images', 'linked.png'));
    const boxarts = path.join(thumbs, 'Nintendo - Nintendo 64', 'Named_Boxarts');
    mkdirSync(boxarts, { recursive: true });
    writeFileSync(path.join(boxarts, 'Legend of Zelda, The - Ocarina of Time (USA).png'), await png(200, 280));
  });

  it('reports the configured sources', async () => {
    const hb = (await t.app.inject({ url: '/api/heartbeat' })).json<{ METADATA_SOURCES: Record<string, boolean> }>();
    expect(hb.METADATA_SOURCES).toMatchObject({ ANY_SOURCE_ENABLED: true, LIBRETRO_API_ENABLED: true, IGDB_API_ENABLED: false });
    const sources = (await t.app.inject({ url: '/api/metadata/sources', headers: { authorization: viewer.basic } })).json<{ sources: { id: string; available: boolean }[] }>();
    // Online sources are listed even when not configured, and say so.
    expect(sources.sources.filter((s) => s.available).map((s) => s.id)).toEqual(['gamelist', 'launchbox', 'libretro']);
    for (const id of ['igdb', 'ss', 'ra', 'moby', 'hasheous', 'sgdb']) expect(sources.sources.find((s) => s.id === id)).toMatchObject({ available: false });
    // Providers sharing an id (a local copy beside its online service) are listed once.
    const ids = sources.sources.map((s) => s.id);
    expect(ids).toEqual([...new Set(ids)]);
    expect((await t.app.inject({ url: '/api/metadata/sources' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/heartbeat/metadata/libretro' })).json()).toBe(true);
    expect((await t.app.inject({ url: '/api/heartbeat/metadata/igdb' })).json()).toBe(false);
    const invalid = await t.app.inject({ url: '/api/heartbeat/metadata/nope' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({ detail: 'Invalid metadata source' });
  });

  it('fills covers, text and facets, skips hostile entries, and the filters and collections see them', async () => {
    const status = await runScan({ type: 'quick' });
    expect(status.status).toBe('finished');
    expect(status.meta.scan_stats).toMatchObject({ new_roms: 5, metadata_total: 5, metadata_done: 5 });
    // The HTML posing as a PNG and the symlink out of the library are refused, the passwd entry never read.
    expect(status.meta.scan_stats.metadata_errors).toBeGreaterThanOrEqual(3);

    const mario = await byName('Paper Mario (USA).z64');
    expect(mario.gamelist_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(mario.launchbox_id).toBe(141);
    expect(mario.name).toBe('Paper Mario');
    // LaunchBox outranks gamelist.xml in scan.priority.metadata.
    expect(mario.summary).toContain('Mario pals around');
    expect(mario.path_cover_small).toMatch(/^\/assets\/romm\/resources\/roms\/\d+\/\d+\/cover\/small\.png/);
    const cover = await t.app.inject({ url: mario.path_cover_small ?? '', headers: { authorization: viewer.basic } });
    expect(cover.statusCode).toBe(200);
    expect(cover.headers['content-type']).toMatch(/^image\/png/);
    expect(mario.metadatum).toMatchObject({ genres: ['Role-Playing'], age_ratings: ['E'], player_count: '1' });
    expect(mario.metadatum.companies).toEqual(expect.arrayContaining(['Intelligent Systems', 'Nintendo']));
    expect(mario.metadatum.first_release_date).not.toBeNull();

    const zelda = await byName('Legend of Zelda, The - Ocarina of Time (USA).z64');
    expect(zelda).toMatchObject({ launchbox_id: 5000, name: 'The Legend of Zelda: Ocarina of Time' });
    expect(zelda.libretro_id).toMatch(/^[0-9a-f]{40}$/);
    expect(zelda.path_cover_large).toMatch(/cover\/big\.png/);

    for (const name of ['Sneaky (USA).z64', 'Fake Cover (USA).z64', 'Linked (USA).z64']) {
      const rom = await byName(name);
      expect(rom.path_cover_small || null).toBeNull();
      expect(rom.gamelist_id).not.toBeNull();
    }

    const rpg = await roms('&genres=Role-Playing');
    expect(rpg.map((r) => r.fs_name).sort()).toEqual(['Legend of Zelda, The - Ocarina of Time (USA).z64', 'Paper Mario (USA).z64', 'Sneaky (USA).z64']);
    expect((await roms('&metadata_providers=gamelist')).length).toBe(4);
    expect((await roms('&matched=true')).length).toBe(2);
    const virtual = (await t.app.inject({ url: '/api/collections/virtual?type=genre', headers: { authorization: viewer.basic } }))
      .json<{ name: string; rom_count: number }[]>();
    expect(virtual).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Role-Playing', rom_count: 3 })]));

    const sources = (await t.app.inject({ url: `/api/roms/${mario.id}/metadata/sources`, headers: { authorization: viewer.basic } })).json<{ fields: Record<string, string> }>();
    expect(sources.fields).toMatchObject({ name: 'launchbox', summary: 'launchbox', cover: 'gamelist', genres: 'launchbox' });
    expect((await t.app.inject({ url: '/api/roms/999999/metadata/sources', headers: { authorization: viewer.basic } })).statusCode).toBe(404);
  });

  it('keeps a user edit through later scans of every type', async () => {
    const mario = await byName('Paper Mario (USA).z64');
    const form = multipart({ name: 'Mario RPG (mine)', summary: 'My notes' });
    const edit = await t.app.inject({ method: 'PUT', url: `/api/roms/${mario.id}`, payload: form.payload, headers: { ...form.headers, authorization: admin.basic } });
    expect(edit.statusCode).toBe(200);
    for (const type of ['update', 'complete', 'unidentified']) await runScan({ type });
    const after = await byName('Paper Mario (USA).z64');
    expect(after).toMatchObject({ name: 'Mario RPG (mine)', summary: 'My notes', launchbox_id: 141 });
    const sources = (await t.app.inject({ url: `/api/roms/${mario.id}/metadata/sources`, headers: { authorization: viewer.basic } })).json<{ fields: Record<string, string> }>();
    expect(sources.fields).toMatchObject({ name: 'manual', summary: 'manual' });
  });

  it('re-runs one ROM with chosen sources, and refuses bad scan requests', async () => {
    const zelda = await byName('Legend of Zelda, The - Ocarina of Time (USA).z64');
    const status = await runScan({ type: 'update', roms_ids: [zelda.id], apis: ['libretro', 'not-a-source'] });
    expect(status.meta.scan_stats).toMatchObject({ metadata_total: 1, new_roms: 0 });
    const bad = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: admin.basic }, payload: { roms_ids: ['x'] } });
    expect(bad.statusCode).toBe(422);
    const denied = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: viewer.basic }, payload: { type: 'update' } });
    expect(denied.statusCode).toBe(403);
  });
});
