import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { knownPlatformSlugs } from '../../src/library/platform-catalogue.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/;

/** RomM's `_build_unmatched_platform` for the catalogue's Nintendo 64, as the spec (§2.1) describes it. */
const unmatchedN64 = (fsSlug: string) => ({
  id: -1, slug: 'n64', fs_slug: fsSlug, rom_count: 0, name: 'Nintendo 64',
  igdb_slug: 'n64', moby_slug: null, hltb_slug: null, libretro_slug: null, custom_name: null, description: null,
  igdb_id: 4, sgdb_id: null, moby_id: null, launchbox_id: null, ss_id: null, ra_id: null, hasheous_id: null,
  tgdb_id: null, flashpoint_id: null, category: 'Console', generation: 5, family_name: 'Nintendo',
  family_slug: 'nintendo', url: 'https://www.igdb.com/platforms/n64', url_logo: '', firmware: [],
  created_at: expect.stringMatching(ISO), updated_at: expect.stringMatching(ISO), fs_size_bytes: 0,
  is_unidentified: false, is_identified: true, missing_from_fs: false, display_name: 'Nintendo 64', firmware_count: 0,
});

describeEachEngine('platforms API: supported and filesystem listings', (ctx) => {
  let t: TestApp;
  let viewer: TestUser;
  const roms = () => path.join(t.config.libraryPath, 'roms');

  beforeAll(async () => {
    t = await createTestApp(ctx());
    viewer = await createUser(t.services, 'viewer');
    // Two folders resolve to `genesis`: the one named like the slug must win in /supported.
    for (const dir of ['megadrive', 'genesis']) mkdirSync(path.join(roms(), dir), { recursive: true });
    writeFileSync(path.join(roms(), 'megadrive', 'Sonic (USA).md'), 'sonic');
    writeFileSync(path.join(roms(), 'genesis', 'Columns (USA).md'), 'col');
    await t.services.scans.runIfIdle({ type: 'quick' });
    // Folders added after the scan: listed by /filesystem until a scan (or POST) gives them a row.
    for (const dir of ['nintendo64', 'zz-homebrew', '@eaDir']) mkdirSync(path.join(roms(), dir), { recursive: true });
  });
  afterAll(async () => t.app.close());

  const get = (url: string) => t.app.inject({ url, headers: { authorization: viewer.basic } });

  it('/api/platforms/supported is its own route, not the id route', async () => {
    const res = await get('/api/platforms/supported');
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>[]>();
    // One entry per catalogue slug, in catalogue order.
    expect(body.map((p) => p.slug)).toEqual(knownPlatformSlugs());
    const genesis = body.find((p) => p.slug === 'genesis');
    expect(genesis).toMatchObject({ fs_slug: 'genesis', rom_count: 1, fs_size_bytes: 3, custom_name: '', description: '' });
    expect(genesis?.id).toBeGreaterThan(0);
    expect(body.find((p) => p.slug === 'n64')).toEqual(unmatchedN64('n64'));
    // A slug the catalogue knows without any provider id: unidentified, no IGDB url.
    expect(body.find((p) => p.slug === 'cps1')).toMatchObject({
      id: -1, name: 'CP System', igdb_id: null, igdb_slug: null, url: null, is_identified: false, is_unidentified: true,
    });
    // The trailing-slash form RomM also answers.
    expect((await get('/api/platforms/supported/')).statusCode).toBe(200);
  });

  it('/api/platforms/filesystem lists folders with no row, resolved as the scan will', async () => {
    const res = await get('/api/platforms/filesystem');
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>[]>();
    // `@eaDir` (Synology) is excluded from scans by default, so it is no platform folder either.
    expect(body.map((p) => p.fs_slug)).toEqual(['nintendo64', 'zz-homebrew']);
    expect(body[0]).toEqual(unmatchedN64('nintendo64'));
    expect(body[1]).toMatchObject({
      id: -1, slug: 'zz-homebrew', fs_slug: 'zz-homebrew', name: 'Zz Homebrew', display_name: 'Zz Homebrew',
      igdb_id: null, category: null, is_identified: false, rom_count: 0, firmware: [], firmware_count: 0,
    });
  });

  it('both need platforms.read', async () => {
    for (const url of ['/api/platforms/supported', '/api/platforms/filesystem']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ detail: 'Not authenticated' });
    }
  });

  it('the id route still validates ids: a word that is no static route is a 422 on the path', async () => {
    const res = await get('/api/platforms/unknown');
    expect(res.statusCode).toBe(422);
    expect(res.json<{ detail: { loc: unknown[] }[] }>().detail[0]?.loc).toEqual(['path', 'id']);
  });
});
