import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { seedRomLibrary, HEX32, type SeededLibrary } from '../helpers/rom-fixtures.ts';
import { DAT_ROM_KEYS, ROM_FILE_KEYS, ROMM_SIMPLE_ROM_KEYS, SIMPLE_ROM_KEYS } from './roms-list.test.ts';

const DETAILED_KEYS = [
  ...ROMM_SIMPLE_ROM_KEYS.filter((k) => k !== 'screenshot_path'),
  'user_saves', 'user_states', 'all_user_saves', 'all_user_states', 'user_screenshots', 'all_user_screenshots',
  'user_collections', 'all_user_notes', ...DAT_ROM_KEYS,
];

describeEachEngine('ROM read endpoints besides the list', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let lib: SeededLibrary;
  let r: SeededLibrary['roms'];
  const call = (url: string, user: TestUser | null = alice) =>
    t.app.inject({ method: 'GET', url, headers: user ? { authorization: user.basic } : {} });
  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'admin', 'bob');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
    r = lib.roms;
  });
  afterAll(async () => t.app.close());

  it('GET /api/roms/{id} answers DetailedRomSchema with files, collections and visible notes', async () => {
    const res = await call(`/api/roms/${r.marioUsa}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(DETAILED_KEYS);
    expect(body.files).toHaveLength(1);
    expect(Object.keys(body.files[0])).toEqual(ROM_FILE_KEYS);
    expect(body.files[0]).toMatchObject({ file_name: 'Super Mario Advance (USA).gba', is_top_level: true, category: 'game' });
    expect(body.user_collections).toEqual([
      { id: lib.collections.favorites, name: 'Favorites', is_smart: false },
      { id: lib.collections.bobs, name: 'Bob Picks', is_smart: false },
    ]);
    expect(body.all_user_notes).toHaveLength(1);
    expect(body.all_user_notes[0]).toMatchObject({ title: 'public note', content: 'public note text', is_public: true, tags: ['t'], user_id: bob.user.id, username: 'bob', user_avatar_path: '' });
    expect(Object.keys(body.all_user_notes[0])).toEqual(['id', 'title', 'content', 'is_public', 'tags', 'created_at', 'updated_at', 'user_id', 'username', 'user_avatar_path', 'user_updated_at']);
    expect(body.user_saves).toEqual([]);
    expect(body.all_user_screenshots).toEqual([]);
    expect(body.rom_user).toMatchObject({ status: 'completed_100', user_id: alice.user.id });
    // Bob's private note is his alone.
    expect((await call(`/api/roms/${r.zelda}`)).json().all_user_notes).toEqual([]);
    expect((await call(`/api/roms/${r.zelda}`, bob)).json().all_user_notes).toHaveLength(1);
  });

  it('GET /api/roms/{id}/simple answers SimpleRomSchema with every file', async () => {
    const res = await call(`/api/roms/${r.ff7}/simple`);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(SIMPLE_ROM_KEYS);
    expect(res.json().files.map((f: { file_name: string }) => f.file_name)).toEqual(['FF7 (Disc 1).bin', 'FF7 (Disc 2).bin', 'track01.mp3']);
  });

  it('answers RomM’s 404 and 422 for missing or malformed ids', async () => {
    for (const path of ['/api/roms/9999', '/api/roms/9999/simple']) {
      const res = await call(path);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: "Rom with id '9999' not found" });
    }
    for (const path of ['/api/roms/0', '/api/roms/abc', '/api/roms/-3/simple', '/api/roms/99999999999']) {
      const res = await call(path);
      expect(res.statusCode, path).toBe(422);
      expect(Array.isArray(res.json().detail)).toBe(true);
    }
  });

  it('GET /api/roms/{file_id}/files takes a RomFile id', async () => {
    const detail = (await call(`/api/roms/${r.ff7}`)).json();
    const ost = detail.files.find((f: { file_name: string }) => f.file_name === 'track01.mp3');
    const res = await call(`/api/roms/${ost.id}/files`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(ost);
    expect(res.json()).toMatchObject({ rom_id: r.ff7, is_top_level: false, category: 'soundtrack' });
    const missing = await call('/api/roms/99999/files');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'File not found' });
  });

  it('GET /api/roms/by-hash matches ROM or file hashes', async () => {
    expect((await call('/api/roms/by-hash?crc_hash=aabbccdd')).json().id).toBe(r.marioUsa);
    expect((await call(`/api/roms/by-hash?md5_hash=${HEX32}`)).json().id).toBe(r.marioUsa);
    expect((await call('/api/roms/by-hash?crc_hash=11112222')).json().id).toBe(r.ff7);
    expect((await call('/api/roms/by-hash?crc_hash=nothing&sha1_hash=nothing%27%20or%201=1--')).json()).toEqual({ detail: 'No ROM or file found with given hash values' });
    const none = await call('/api/roms/by-hash');
    expect(none.statusCode).toBe(400);
    expect(none.json()).toEqual({ detail: 'At least one metadata hash value must be provided' });
  });

  it('GET /api/roms/by-metadata-provider returns the first ROM with any given id', async () => {
    const res = await call('/api/roms/by-metadata-provider?igdb_id=100');
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(r.marioUsa);
    expect(Object.keys(res.json())).toEqual(DETAILED_KEYS);
    expect((await call('/api/roms/by-metadata-provider?igdb_id=5555&moby_id=7')).json().id).toBe(r.doom);
    expect((await call('/api/roms/by-metadata-provider?hltb_id=9')).json().id).toBe(r.ff7);
    const missing = await call('/api/roms/by-metadata-provider?ss_id=4242&flashpoint_id=x');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'ROM not found with given metadata IDs' });
    const none = await call('/api/roms/by-metadata-provider');
    expect(none.statusCode).toBe(400);
    expect(none.json()).toEqual({ detail: 'At least one metadata ID must be provided' });
    expect((await call('/api/roms/by-metadata-provider?igdb_id=abc')).statusCode).toBe(422);
  });

  it('GET /api/roms/random picks from the scope, or answers null', async () => {
    const res = await call(`/api/roms/random?platform_ids=${lib.platforms.psx}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(r.ff7);
    expect(Object.keys(res.json())).toEqual(SIMPLE_ROM_KEYS);
    // Alice hid the only Windows ROM.
    const empty = await call(`/api/roms/random?platform_ids=${lib.platforms.win}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toBe('null');
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) seen.add((await call('/api/roms/random')).json().id);
    expect(seen.has(r.doom)).toBe(false);
    expect(seen.size).toBeGreaterThan(2);
  });

  it('demands roms.read, answering RomM’s auth errors', async () => {
    for (const path of ['/api/roms', '/api/roms/identifiers', '/api/roms/filters', '/api/roms/random', `/api/roms/${r.marioUsa}`, `/api/roms/${r.marioUsa}/simple`, '/api/roms/by-hash?crc_hash=aabbccdd', '/api/roms/1/files']) {
      const res = await call(path, null);
      expect(res.statusCode, path).toBe(401);
      expect(res.json()).toEqual({ detail: 'Not authenticated' });
    }
  });
});

describeEachEngine('ROM detail routes with DISABLE_DOWNLOAD_ENDPOINT_AUTH', (ctx) => {
  let t: TestApp;
  let lib: SeededLibrary;
  beforeAll(async () => {
    t = await createTestApp(ctx(), { DISABLE_DOWNLOAD_ENDPOINT_AUTH: 'true' });
    const alice = await createUser(t.services, 'viewer', 'alice');
    const bob = await createUser(t.services, 'admin', 'bob');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
  });
  afterAll(async () => t.app.close());

  it('serves the detail routes anonymously with the placeholder rom_user and public notes only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms/${lib.roms.marioUsa}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().rom_user).toMatchObject({ id: -1, user_id: -1, rom_id: -1, status: null });
    expect(res.json().all_user_notes.map((n: { title: string }) => n.title)).toEqual(['public note']);
    expect(res.json().user_collections).toEqual([{ id: lib.collections.bobs, name: 'Bob Picks', is_smart: false }]);
    expect((await t.app.inject({ method: 'GET', url: `/api/roms/${lib.roms.zelda}` })).json().all_user_notes).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/roms/${lib.roms.ff7}/simple` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/roms/by-hash?crc_hash=aabbccdd' })).json().id).toBe(lib.roms.marioUsa);
    expect((await t.app.inject({ method: 'GET', url: '/api/roms/by-metadata-provider?moby_id=77' })).json().id).toBe(lib.roms.ff7);
    // The list is not a download route: it still needs credentials.
    expect((await t.app.inject({ method: 'GET', url: '/api/roms' })).statusCode).toBe(401);
  });
});
