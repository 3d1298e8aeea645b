import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { seedRomLibrary, HEX32, HEX40, type SeededLibrary } from '../helpers/rom-fixtures.ts';

/** Every field of RomM's SimpleRomSchema (spec §5.1), in RomM's order. */
export const ROMM_SIMPLE_ROM_KEYS = [
  'id', 'igdb_id', 'sgdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'flashpoint_id',
  'hltb_id', 'gamelist_id', 'libretro_id', 'platform_id', 'platform_slug', 'platform_fs_slug', 'platform_custom_name',
  'platform_display_name', 'fs_name', 'fs_name_no_tags', 'fs_name_no_ext', 'fs_extension', 'fs_path', 'fs_size_bytes',
  'name', 'name_sort_key', 'slug', 'summary', 'alternative_names', 'youtube_video_id', 'metadatum', 'igdb_metadata',
  'moby_metadata', 'ss_metadata', 'launchbox_metadata', 'hasheous_metadata', 'flashpoint_metadata', 'hltb_metadata',
  'gamelist_metadata', 'manual_metadata', 'path_cover_small', 'path_cover_large', 'url_cover', 'has_manual',
  'has_soundtrack', 'path_manual', 'url_manual', 'path_video', 'is_identifying', 'is_unidentified', 'is_identified',
  'revision', 'regions', 'languages', 'tags', 'crc_hash', 'md5_hash', 'sha1_hash', 'ra_hash', 'has_simple_single_file',
  'has_nested_single_file', 'has_multiple_files', 'full_path', 'created_at', 'updated_at', 'missing_from_fs', 'has_notes',
  'rom_user', 'merged_screenshots', 'merged_ra_metadata', 'files', 'sibling_roms', 'screenshot_path',
];
/** romshelf's DAT extension fields, after every RomM key. */
export const DAT_ROM_KEYS = ['dat_status', 'dat_game', 'dat_complete'];
export const SIMPLE_ROM_KEYS = [...ROMM_SIMPLE_ROM_KEYS, ...DAT_ROM_KEYS];
export const ROM_USER_KEYS = ['id', 'user_id', 'rom_id', 'created_at', 'updated_at', 'last_played', 'is_main_sibling', 'backlogged', 'now_playing', 'hidden', 'rating', 'difficulty', 'completion', 'status'];
export const ROM_FILE_KEYS = ['id', 'rom_id', 'file_name', 'file_path', 'file_size_bytes', 'full_path', 'is_top_level', 'created_at', 'updated_at', 'last_modified', 'crc_hash', 'md5_hash', 'sha1_hash', 'ra_hash', 'chd_sha1_hash', 'archive_members', 'category', 'track_meta', 'dat_status', 'dat_game'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;

describeEachEngine('GET /api/roms: envelope, items, pagination, sorting, sidecars', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let lib: SeededLibrary;
  let r: SeededLibrary['roms'];
  const get = async (query: string, user: TestUser = alice) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms${query}`, headers: { authorization: user.basic } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ids = async (query: string, user: TestUser = alice) => (await get(query, user)).items.map((i: { id: number }) => i.id);
  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'admin', 'bob');
    lib = await seedRomLibrary(ctx().db.kysely, { alice: alice.user.id, bob: bob.user.id });
    r = lib.roms;
  });
  afterAll(async () => t.app.close());

  it('answers RomM’s envelope with every sidecar by default, hidden ROMs left out', async () => {
    const body = await get('');
    expect(Object.keys(body)).toEqual(['items', 'total', 'limit', 'offset', 'char_index', 'rom_id_index', 'filter_values']);
    const order = [r.percent, r.ff7, r.zeldaJp, r.marioUsa, r.marioEur, r.marioBeta, r.zelda];
    expect(body.items.map((i: { id: number }) => i.id)).toEqual(order);
    expect(body).toMatchObject({ total: 7, limit: 50, offset: 0, rom_id_index: order });
    expect(body.char_index).toEqual({ 0: 0, f: 1, l: 2, s: 3, z: 6 });
    expect(Object.keys(body.char_index)).toEqual(['0', 'f', 'l', 's', 'z']);
    expect(body.filter_values).toEqual({
      genres: ['Adventure', 'Platform', 'RPG'], franchises: ['Final Fantasy', 'Mario'], collections: ['Mario Series'],
      companies: ['Capcom', 'Nintendo'], game_modes: ['Single player'], age_ratings: ['E'], player_counts: ['1', '1-4'],
      regions: ['Europe', 'Japan', 'USA'], languages: ['En', 'Fr', 'Ja'], tags: ['Beta', 'Proto'],
      platforms: [lib.platforms.gba, lib.platforms.psx],
    });
    // The owner of the hidden ROM is the only one it is hidden from.
    expect((await get('', bob)).total).toBe(8);
  });

  it('renders every SimpleRomSchema field as RomM does', async () => {
    const body = await get('');
    const mario = body.items.find((i: { id: number }) => i.id === r.marioUsa);
    expect(Object.keys(mario)).toEqual(SIMPLE_ROM_KEYS);
    expect(Object.keys(mario.rom_user)).toEqual(ROM_USER_KEYS);
    expect(mario).toMatchObject({
      igdb_id: 100, ss_id: null, platform_id: lib.platforms.gba, platform_slug: 'gba', platform_fs_slug: 'gba',
      platform_custom_name: '', platform_display_name: 'Game Boy Advance',
      fs_name: 'Super Mario Advance (USA).gba', fs_name_no_tags: 'Super Mario Advance', fs_name_no_ext: 'Super Mario Advance (USA)',
      fs_extension: 'gba', fs_path: 'roms/gba', fs_size_bytes: 4096, name: 'Super Mario Advance', name_sort_key: 'super mario advance',
      alternative_names: ['Alpha', 'Zeta'], youtube_video_id: 'yt1',
      metadatum: { rom_id: r.marioUsa, genres: ['Platform'], franchises: ['Mario'], collections: ['Mario Series'], companies: ['Nintendo'],
        game_modes: ['Single player'], age_ratings: ['E'], player_count: '1-4', first_release_date: 1_000_000, average_rating: 80 },
      igdb_metadata: { youtube_video_id: 'yt1', alternative_names: ['Zeta', 'Alpha'] }, moby_metadata: {},
      path_cover_small: '/assets/romm/resources/roms/1/1/cover/small.png?ts=2026-01-02 03:04:06+00:00',
      path_cover_large: '/assets/romm/resources/roms/1/1/cover/big.png?ts=2026-01-02 03:04:06+00:00',
      url_cover: '', has_manual: true, has_soundtrack: false, path_manual: 'roms/1/1/manual/1.pdf', path_video: null,
      is_identifying: false, is_unidentified: false, is_identified: true, revision: null,
      regions: ['USA'], languages: ['En'], tags: [], crc_hash: 'aabbccdd', md5_hash: HEX32, sha1_hash: HEX40, ra_hash: null,
      has_simple_single_file: true, has_nested_single_file: false, has_multiple_files: false, full_path: 'roms/gba/Super Mario Advance (USA).gba',
      created_at: '2026-01-02T03:04:05+00:00', updated_at: '2026-01-02T03:04:06+00:00', missing_from_fs: false, has_notes: true,
      merged_screenshots: ['/assets/romm/resources/roms/1/1/screenshots/0.png'], merged_ra_metadata: {}, files: [], screenshot_path: null,
    });
    expect(mario.rom_user).toMatchObject({ user_id: alice.user.id, rom_id: r.marioUsa, status: 'completed_100', rating: 3, hidden: false, last_played: null });
    expect(mario.rom_user.created_at).toMatch(ISO);
    expect(mario.sibling_roms).toEqual([
      { id: r.marioEur, name: 'Super Mario Advance', fs_name_no_tags: 'Super Mario Advance', fs_name_no_ext: 'Super Mario Advance (Europe)', is_main_sibling: false, sort_comparator: 'super mario advance' },
      { id: r.marioBeta, name: 'Super Mario Advance', fs_name_no_tags: 'Super Mario Advance', fs_name_no_ext: 'Super Mario Advance (USA) (Beta)', is_main_sibling: false, sort_comparator: 'super mario advance' },
    ].sort((a, b) => (mario.sibling_roms[0].id === a.id ? -1 : mario.sibling_roms[0].id === b.id ? 1 : 0)));

    const zelda = body.items.find((i: { id: number }) => i.id === r.zelda);
    expect(zelda.has_notes).toBe(false);
    expect(zelda.merged_ra_metadata).toEqual({ achievements: [{ badge_path: '/assets/romm/resources/b/1.png', badge_path_lock: '/assets/romm/resources/b/1_lock.png', title: 'A' }] });
    expect(zelda.hasheous_metadata).toEqual({ nointro_match: true, tosec_match: false });
    const ff7 = body.items.find((i: { id: number }) => i.id === r.ff7);
    expect(ff7).toMatchObject({ platform_display_name: 'PS1', platform_custom_name: 'PS1', has_soundtrack: true, has_multiple_files: true, has_simple_single_file: false, fs_extension: '' });
    expect(ff7.rom_user).toMatchObject({ now_playing: true, last_played: '2026-01-02T03:04:15+00:00' });
    const percent = body.items.find((i: { id: number }) => i.id === r.percent);
    // No rom_user row: RomM's placeholder.
    expect(percent.rom_user).toMatchObject({ id: -1, user_id: -1, rom_id: -1, status: null, rating: 0, is_main_sibling: false });
    expect(percent.path_cover_small).toBe('');
  });

  it('includes files only with with_files, sorted by name, with RomFileSchema fields', async () => {
    const body = await get(`?with_files=true&platform_ids=${lib.platforms.psx}`);
    const files = body.items[0].files;
    expect(files.map((f: { file_name: string }) => f.file_name)).toEqual(['FF7 (Disc 1).bin', 'FF7 (Disc 2).bin', 'track01.mp3']);
    expect(Object.keys(files[0])).toEqual(ROM_FILE_KEYS);
    expect(files[0]).toMatchObject({ file_path: 'roms/psx/Final Fantasy VII (USA)', full_path: 'roms/psx/Final Fantasy VII (USA)/FF7 (Disc 1).bin', is_top_level: true, category: 'game', crc_hash: '11112222', archive_members: null, track_meta: null });
    expect(files[2]).toMatchObject({ file_path: 'roms/psx/Final Fantasy VII (USA)/ost', is_top_level: false, category: 'soundtrack' });
    expect(files[0].last_modified).toMatch(ISO);
    expect((await get('?with_files=false')).items.every((i: { files: unknown[] }) => i.files.length === 0)).toBe(true);
  });

  it('pages through the index and honours the opt-out flags', async () => {
    const page = await get('?limit=2&offset=1');
    expect(page.items.map((i: { id: number }) => i.id)).toEqual([r.ff7, r.zeldaJp]);
    expect(page).toMatchObject({ limit: 2, offset: 1, total: 7 });
    expect(page.rom_id_index).toHaveLength(7);
    const noIndex = await get('?limit=2&offset=1&with_rom_id_index=false');
    expect(noIndex.items.map((i: { id: number }) => i.id)).toEqual([r.ff7, r.zeldaJp]);
    expect(noIndex).toMatchObject({ rom_id_index: [], total: 7 });
    expect((await get('?with_rom_id_index=false&with_total=false')).total).toBeNull();
    // with_total only matters without the index.
    expect((await get('?with_total=false')).total).toBe(7);
    const bare = await get('?with_char_index=false&with_filter_values=false');
    expect(bare.char_index).toEqual({});
    expect(bare.filter_values).toEqual({ genres: [], franchises: [], collections: [], companies: [], game_modes: [], age_ratings: [], player_counts: [], regions: [], languages: [], tags: [], platforms: [] });
    expect((await get('?offset=100')).items).toEqual([]);
  });

  it('sorts by every kind of field, falling back to name for unknown ones', async () => {
    const byName = [r.percent, r.ff7, r.zeldaJp, r.marioUsa, r.marioEur, r.marioBeta, r.zelda];
    expect(await ids('?order_by=name&order_dir=desc')).toEqual([...byName].reverse());
    expect(await ids('?order_by=NAME&order_dir=DESC')).toEqual([...byName].reverse());
    expect(await ids('?order_by=no_such_field')).toEqual(byName);
    expect(await ids('?order_by=summary_json;drop')).toEqual(byName);
    expect(await ids('?order_by=fs_size_bytes&order_dir=desc')).toEqual([r.ff7, r.zelda, r.marioUsa, r.marioEur, r.marioBeta, r.zeldaJp, r.percent]);
    expect(await ids('?order_by=id')).toEqual([r.marioUsa, r.marioEur, r.marioBeta, r.zelda, r.zeldaJp, r.ff7, r.percent]);
    expect(await ids('?order_by=created_at&order_dir=desc')).toEqual([r.percent, r.ff7, r.zeldaJp, r.zelda, r.marioBeta, r.marioEur, r.marioUsa]);
    expect(await ids('?order_by=updated_at&order_dir=desc')).toEqual([r.marioUsa, r.percent, r.ff7, r.zeldaJp, r.zelda, r.marioBeta, r.marioEur]);
    expect(await ids(`?order_by=platform_id&order_dir=desc`)).toEqual([r.ff7, r.percent, r.zeldaJp, r.zelda, r.marioBeta, r.marioEur, r.marioUsa]);
    // NULLs first ascending, last descending (MariaDB's order), on every engine.
    expect(await ids('?order_by=first_release_date')).toEqual([r.marioEur, r.marioBeta, r.zeldaJp, r.ff7, r.percent, r.marioUsa, r.zelda]);
    expect(await ids('?order_by=average_rating&order_dir=desc')).toEqual([r.zelda, r.marioUsa, r.percent, r.ff7, r.zeldaJp, r.marioBeta, r.marioEur]);
    expect(await ids('?order_by=player_count&order_dir=desc')).toEqual([r.marioUsa, r.percent, r.ff7, r.zeldaJp, r.zelda, r.marioBeta, r.marioEur]);
    expect(await ids('?order_by=genres')).toEqual([r.zeldaJp, r.percent, r.zelda, r.marioUsa, r.marioEur, r.marioBeta, r.ff7]);
    // Per-user sorts keep ROMs without a rom_user row (RomM drops them), last when descending.
    expect(await ids('?order_by=last_played&order_dir=desc')).toEqual([r.zelda, r.ff7, r.percent, r.zeldaJp, r.marioBeta, r.marioEur, r.marioUsa]);
    expect(await ids('?order_by=last_played')).toEqual([r.ff7, r.zelda, r.marioUsa, r.marioEur, r.marioBeta, r.zeldaJp, r.percent]);
    expect(await ids('?order_by=rating&order_dir=desc')).toEqual([r.zelda, r.marioUsa, r.percent, r.ff7, r.zeldaJp, r.marioBeta, r.marioEur]);
    expect(await ids('?order_by=status')).toEqual([r.marioUsa, r.zelda, r.marioEur, r.marioBeta, r.zeldaJp, r.ff7, r.percent]);
    expect(await ids('?order_by=backlogged&order_dir=desc')).toEqual([r.marioEur, r.percent, r.ff7, r.zeldaJp, r.zelda, r.marioBeta, r.marioUsa]);
  });

  it('keys char_index by the sort column when it is text, else by name_sort_key', async () => {
    const byFsName = await get('?order_by=fs_name');
    expect(byFsName.char_index).toEqual({ 1: 0, F: 1, S: 2, T: 5, Z: 6 });
    const desc = await get('?order_by=name&order_dir=desc');
    expect(desc.char_index).toEqual({ z: 0, s: 1, l: 4, f: 5, 0: 6 });
    expect((await get('?order_by=fs_size_bytes')).char_index).toEqual({ 0: 0, f: 1, l: 2, s: 3, z: 6 });
    expect((await get('?order_by=fs_extension')).char_index).toEqual({ g: 1 });
  });

  it('lists identifiers in name order without hidden ROMs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/roms/identifiers', headers: { authorization: alice.basic } });
    expect(res.json()).toEqual([r.percent, r.ff7, r.zeldaJp, r.marioUsa, r.marioEur, r.marioBeta, r.zelda]);
  });
});
