import type { Insertable, Kysely } from 'kysely';
import type { Database, FacetKind, RomFileCategory, RomsTable, RomUserStatus } from '../../src/db/schema.ts';
import { fsNameFields, nameSortKey, searchText } from '../../src/library/fs-names.ts';

/**
 * Writes ROMs the way the scanner does (roms + rom_files + rom_facets consistent with each other), so API tests
 * can build exact libraries without scanning.
 */

export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

export async function createPlatform(db: Kysely<Database>, slug: string, opts: { name?: string; fsSlug?: string; customName?: string } = {}): Promise<number> {
  await db.insertInto('platforms').values({
    slug, fs_slug: opts.fsSlug ?? slug, name: opts.name ?? slug.toUpperCase(), custom_name: opts.customName ?? '',
    description: '', category: null, generation: null, family_name: null, family_slug: null, url: null, url_logo: null,
    aspect_ratio: '2 / 3', igdb_id: null, sgdb_id: null, moby_id: null, ss_id: null, ra_id: null, launchbox_id: null,
    hasheous_id: null, tgdb_id: null, flashpoint_id: null, igdb_slug: null, moby_slug: null, hltb_slug: null,
    libretro_slug: null, missing_from_fs: 0, created_at: T0, updated_at: T0,
  }).execute();
  const found = await db.selectFrom('platforms').select('id').where('fs_slug', '=', opts.fsSlug ?? slug).executeTakeFirstOrThrow();
  return Number(found.id);
}

export interface FileSpec {
  name: string;
  /** Directory below the ROM's own folder for multi-file ROMs; '' for a file directly inside it. */
  dir?: string;
  size?: number;
  crc?: string | null;
  md5?: string | null;
  sha1?: string | null;
  chdSha1?: string | null;
  category?: RomFileCategory | null;
}

export interface RomSpec {
  platformId: number;
  fsName: string;
  name?: string | null;
  fsPath?: string;
  /** Files of a folder ROM; omitted: one file, the ROM itself. */
  files?: FileSpec[];
  ids?: Partial<Record<'igdb_id' | 'moby_id' | 'ss_id' | 'ra_id' | 'launchbox_id' | 'hasheous_id' | 'tgdb_id' | 'hltb_id' | 'sgdb_id', number>> & Partial<Record<'flashpoint_id' | 'gamelist_id' | 'libretro_id', string>>;
  regions?: string[];
  languages?: string[];
  tags?: string[];
  genres?: string[];
  franchises?: string[];
  collections?: string[];
  companies?: string[];
  gameModes?: string[];
  ageRatings?: string[];
  playerCount?: string;
  firstReleaseDate?: number | null;
  averageRating?: number | null;
  missing?: boolean;
  hashes?: { crc?: string; md5?: string; sha1?: string; ra?: string };
  metadata?: Partial<Record<'igdb' | 'moby' | 'ss' | 'ra' | 'launchbox' | 'hasheous' | 'flashpoint' | 'hltb' | 'gamelist' | 'manual', unknown>>;
  cover?: string;
  screenshots?: string[];
  pathManual?: string;
  revision?: string | null;
  createdAt?: number;
  updatedAt?: number;
  size?: number;
}

export function romValues(spec: RomSpec): Insertable<RomsTable> {
  const names = fsNameFields(spec.fsName);
  const name = spec.name === undefined ? names.fs_name_no_tags : spec.name;
  const meta = (k: keyof NonNullable<RomSpec['metadata']>) => JSON.stringify(spec.metadata?.[k] ?? {});
  const ids = spec.ids ?? {};
  const regions = spec.regions ?? [];
  return {
    platform_id: spec.platformId,
    igdb_id: ids.igdb_id ?? null, sgdb_id: ids.sgdb_id ?? null, moby_id: ids.moby_id ?? null, ss_id: ids.ss_id ?? null,
    ra_id: ids.ra_id ?? null, launchbox_id: ids.launchbox_id ?? null, hasheous_id: ids.hasheous_id ?? null,
    tgdb_id: ids.tgdb_id ?? null, hltb_id: ids.hltb_id ?? null, flashpoint_id: ids.flashpoint_id ?? null,
    gamelist_id: ids.gamelist_id ?? null, libretro_id: ids.libretro_id ?? null,
    ...names,
    fs_path: spec.fsPath ?? 'roms/test',
    fs_size_bytes: spec.size ?? 1024,
    name,
    name_sort_key: nameSortKey(name),
    name_sort_key_custom: 0,
    search_text: searchText(name, spec.fsName),
    slug: null,
    summary: null,
    igdb_metadata: meta('igdb'), moby_metadata: meta('moby'), ss_metadata: meta('ss'), ra_metadata: meta('ra'),
    launchbox_metadata: meta('launchbox'), hasheous_metadata: meta('hasheous'), flashpoint_metadata: meta('flashpoint'),
    hltb_metadata: meta('hltb'), gamelist_metadata: meta('gamelist'), manual_metadata: meta('manual'),
    path_cover_s: spec.cover ? `${spec.cover}/small.png` : '', path_cover_l: spec.cover ? `${spec.cover}/big.png` : '',
    url_cover: '', path_manual: spec.pathManual ?? '', url_manual: '',
    path_screenshots: JSON.stringify(spec.screenshots ?? []), url_screenshots: '[]',
    revision: spec.revision ?? null, version: null,
    regions: JSON.stringify(regions), languages: JSON.stringify(spec.languages ?? []), tags: JSON.stringify(spec.tags ?? []),
    crc_hash: spec.hashes?.crc ?? '', md5_hash: spec.hashes?.md5 ?? '', sha1_hash: spec.hashes?.sha1 ?? '', ra_hash: spec.hashes?.ra ?? null,
    missing_from_fs: spec.missing ? 1 : 0,
    first_release_date: spec.firstReleaseDate ?? null,
    average_rating: spec.averageRating ?? null,
    player_count: spec.playerCount ?? '1',
    primary_region: regions[0] ?? null,
    created_at: spec.createdAt ?? T0,
    updated_at: spec.updatedAt ?? spec.createdAt ?? T0,
  };
}

export function facetRows(romId: number, spec: RomSpec): { rom_id: number; kind: FacetKind; value: string }[] {
  const out: { rom_id: number; kind: FacetKind; value: string }[] = [];
  const add = (kind: FacetKind, values: string[] | undefined) => {
    for (const value of new Set(values ?? [])) out.push({ rom_id: romId, kind, value });
  };
  add('region', spec.regions); add('language', spec.languages); add('tag', spec.tags); add('genre', spec.genres);
  add('franchise', spec.franchises); add('collection', spec.collections); add('company', spec.companies);
  add('game_mode', spec.gameModes); add('age_rating', spec.ageRatings);
  return out;
}

async function insertId(db: Kysely<Database>, values: Insertable<RomsTable>): Promise<number> {
  const result = await db.insertInto('roms').values(values).executeTakeFirstOrThrow();
  if (result.insertId !== undefined) return Number(result.insertId);
  const row = await db.selectFrom('roms').select('id').where('platform_id', '=', values.platform_id).where('fs_name', '=', values.fs_name).executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Inserts a ROM with its files and facets; returns its id. */
export async function createRom(db: Kysely<Database>, spec: RomSpec): Promise<number> {
  const values = romValues(spec);
  const id = await insertId(db, values);
  const romDir = `${values.fs_path}/${spec.fsName}`;
  const files = spec.files
    ? spec.files.map((f) => ({ ...f, path: f.dir ? `${romDir}/${f.dir}` : romDir }))
    : [{ name: spec.fsName, path: values.fs_path, size: values.fs_size_bytes, crc: values.crc_hash, md5: values.md5_hash, sha1: values.sha1_hash, chdSha1: null, category: null }];
  if (files.length) {
    await db.insertInto('rom_files').values(files.map((f) => ({
      rom_id: id, file_name: f.name, file_path: f.path, file_size_bytes: Number(f.size ?? 100), last_modified: T0,
      crc_hash: f.crc ?? '', md5_hash: f.md5 ?? '', sha1_hash: f.sha1 ?? '', ra_hash: null, chd_sha1_hash: f.chdSha1 ?? '',
      archive_members: null, category: f.category ?? null, missing_from_fs: 0, created_at: T0, updated_at: T0,
    }))).execute();
  }
  const facets = facetRows(id, spec);
  if (facets.length) await db.insertInto('rom_facets').values(facets).execute();
  return id;
}

export interface PropsSpec {
  hidden?: boolean;
  isMainSibling?: boolean;
  lastPlayed?: number | null;
  backlogged?: boolean;
  nowPlaying?: boolean;
  rating?: number;
  difficulty?: number;
  completion?: number;
  status?: RomUserStatus | null;
}

export async function setProps(db: Kysely<Database>, romId: number, userId: number, p: PropsSpec): Promise<void> {
  await db.insertInto('rom_user').values({
    rom_id: romId, user_id: userId, is_main_sibling: p.isMainSibling ? 1 : 0, last_played: p.lastPlayed ?? null,
    backlogged: p.backlogged ? 1 : 0, now_playing: p.nowPlaying ? 1 : 0, hidden: p.hidden ? 1 : 0,
    rating: p.rating ?? 0, difficulty: p.difficulty ?? 0, completion: p.completion ?? 0, status: p.status ?? null,
    created_at: T0, updated_at: T0,
  }).execute();
}

export async function createCollection(db: Kysely<Database>, userId: number, name: string, romIds: number[], opts: { favorite?: boolean; isPublic?: boolean } = {}): Promise<number> {
  const result = await db.insertInto('collections').values({
    user_id: userId, name, description: '', is_public: opts.isPublic ? 1 : 0, is_favorite: opts.favorite ? 1 : 0,
    path_cover_s: '', path_cover_l: '', url_cover: '', created_at: T0, updated_at: T0,
  }).executeTakeFirstOrThrow();
  const id = result.insertId !== undefined
    ? Number(result.insertId)
    : Number((await db.selectFrom('collections').select('id').where('user_id', '=', userId).where('name', '=', name).executeTakeFirstOrThrow()).id);
  if (romIds.length) await db.insertInto('collections_roms').values(romIds.map((rom_id) => ({ collection_id: id, rom_id, created_at: T0 }))).execute();
  return id;
}

export async function createSmartCollection(db: Kysely<Database>, userId: number, name: string, criteria: unknown, isPublic = false): Promise<number> {
  const result = await db.insertInto('smart_collections').values({
    user_id: userId, name, description: '', is_public: isPublic ? 1 : 0, filter_criteria: JSON.stringify(criteria),
    rom_ids: '[]', rom_count: 0, path_covers_small: '[]', path_covers_large: '[]', created_at: T0, updated_at: T0,
  }).executeTakeFirstOrThrow();
  if (result.insertId !== undefined) return Number(result.insertId);
  return Number((await db.selectFrom('smart_collections').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id);
}

export async function createNote(db: Kysely<Database>, romId: number, userId: number, title: string, isPublic: boolean): Promise<void> {
  await db.insertInto('rom_notes').values({ rom_id: romId, user_id: userId, title, content: `${title} text`, is_public: isPublic ? 1 : 0, tags: '["t"]', created_at: T0, updated_at: T0 }).execute();
}

export const HEX32 = '0123456789abcdef0123456789abcdef';
export const HEX40 = '0123456789abcdef0123456789abcdef01234567';

/** A small library covering every filter, used by the ROM API tests. Ids are returned by role. */
export async function seedRomLibrary(db: Kysely<Database>, users: { alice: number; bob: number }) {
  const gba = await createPlatform(db, 'gba', { name: 'Game Boy Advance', fsSlug: 'gba' });
  const psx = await createPlatform(db, 'psx', { name: 'PlayStation', fsSlug: 'psx', customName: 'PS1' });
  const win = await createPlatform(db, 'win', { name: 'Windows', fsSlug: 'win' });
  const gbaPath = { platformId: gba, fsPath: 'roms/gba' };
  const marioUsa = await createRom(db, {
    ...gbaPath, fsName: 'Super Mario Advance (USA).gba', ids: { igdb_id: 100 }, regions: ['USA'], languages: ['En'],
    genres: ['Platform'], companies: ['Nintendo'], franchises: ['Mario'], gameModes: ['Single player'], ageRatings: ['E'],
    collections: ['Mario Series'], playerCount: '1-4', firstReleaseDate: 1_000_000, averageRating: 80,
    hashes: { crc: 'aabbccdd', md5: HEX32, sha1: HEX40 }, cover: 'roms/1/1/cover', size: 4096,
    metadata: { igdb: { youtube_video_id: 'yt1', alternative_names: ['Zeta', 'Alpha'] }, ss: { title_screen_path: 'roms/1/1/title.png' } },
    screenshots: ['roms/1/1/screenshots/0.png'], pathManual: 'roms/1/1/manual/1.pdf', createdAt: T0, updatedAt: T0 + 1000,
  });
  const marioEur = await createRom(db, {
    ...gbaPath, fsName: 'Super Mario Advance (Europe).gba', ids: { igdb_id: 100 }, regions: ['Europe'], genres: ['Platform'],
    companies: ['Nintendo'], createdAt: T0 + 1, size: 2048,
  });
  const marioBeta = await createRom(db, {
    ...gbaPath, fsName: 'Super Mario Advance (USA) (Beta).gba', ids: { igdb_id: 100 }, regions: ['USA'], tags: ['Beta'],
    genres: ['Platform'], createdAt: T0 + 2, size: 1024,
  });
  const zelda = await createRom(db, {
    ...gbaPath, fsName: 'Zelda - Minish Cap (USA).gba', ids: { ss_id: 200, ra_id: 5 }, regions: ['USA'], languages: ['En', 'Fr'],
    genres: ['Adventure', 'RPG'], companies: ['Capcom', 'Nintendo'], playerCount: '1', firstReleaseDate: 2_000_000, averageRating: 90,
    metadata: { hasheous: { nointro_match: true, tosec_match: false }, ra: { achievements: [{ badge_path: 'b/1.png', badge_path_lock: 'b/1_lock.png', title: 'A' }] } },
    createdAt: T0 + 3, size: 8192,
  });
  const zeldaJp = await createRom(db, {
    ...gbaPath, fsName: 'The Legend of Zelda (Japan).gba', regions: ['Japan'], languages: ['Ja'], missing: true, createdAt: T0 + 4, size: 512,
  });
  const ff7 = await createRom(db, {
    platformId: psx, fsPath: 'roms/psx', fsName: 'Final Fantasy VII (USA)', ids: { moby_id: 77, hltb_id: 9 }, regions: ['USA'],
    genres: ['RPG'], franchises: ['Final Fantasy'], playerCount: '1', createdAt: T0 + 5, size: 3_000_000_000,
    files: [
      { name: 'FF7 (Disc 1).bin', size: 1_000_000_000, crc: '11112222', category: null },
      { name: 'FF7 (Disc 2).bin', size: 1_000_000_000, category: null },
      { name: 'track01.mp3', dir: 'ost', size: 5000, category: 'soundtrack' },
    ],
  });
  const doom = await createRom(db, {
    platformId: win, fsPath: 'roms/win', fsName: 'Doom (World).exe', name: 'DOOM', ids: { moby_id: 7 }, regions: ['World'],
    genres: ['Shooter'], companies: ['id Software'], playerCount: '1-4', createdAt: T0 + 6, updatedAt: T0 + 50_000,
  });
  const percent = await createRom(db, {
    ...gbaPath, fsName: '100% Per_cent (USA).gba', regions: ['USA'], tags: ['Proto'], createdAt: T0 + 7, size: 10,
  });
  const roms = { marioUsa, marioEur, marioBeta, zelda, zeldaJp, ff7, doom, percent };
  await setProps(db, doom, users.alice, { hidden: true });
  await setProps(db, zelda, users.alice, { lastPlayed: T0 + 99_000, rating: 9, status: 'finished' });
  await setProps(db, marioUsa, users.alice, { status: 'completed_100', rating: 3 });
  await setProps(db, ff7, users.alice, { nowPlaying: true, lastPlayed: T0 + 10_000 });
  await setProps(db, marioEur, users.alice, { backlogged: true });
  await setProps(db, marioBeta, users.bob, { isMainSibling: true });
  const favorites = await createCollection(db, users.alice, 'Favorites', [marioUsa, zelda], { favorite: true });
  const bobs = await createCollection(db, users.bob, 'Bob Picks', [ff7, doom, marioUsa], { isPublic: true });
  const smartRpg = await createSmartCollection(db, users.alice, 'RPGs', { genres: ['RPG'], genres_logic: 'any' });
  const smartPrivate = await createSmartCollection(db, users.bob, 'Bob private', { platform_ids: [gba] });
  await createNote(db, marioUsa, users.bob, 'public note', true);
  await createNote(db, zelda, users.bob, 'private note', false);
  return { platforms: { gba, psx, win }, roms, collections: { favorites, bobs, smartRpg, smartPrivate } };
}

export type SeededLibrary = Awaited<ReturnType<typeof seedRomLibrary>>;
