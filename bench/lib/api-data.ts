import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Insertable, Kysely } from 'kysely';
import type { Database, FacetKind, RomsTable } from '../../src/db/schema.ts';
import { fsNameFields, nameSortKey, searchText } from '../../src/library/fs-names.ts';
import { parseTags } from '../../src/library/tags.ts';

/**
 * A 100k-ROM library written straight into the database: real names and tags from the DAT list when present,
 * provider metadata facets on ~70% of ROMs, sibling groups through shared provider ids (regional variants of a
 * game share its igdb id), and per-user props for a few percent of ROMs.
 */

interface Entry { platform: string; fileName: string; size: number; crc: string; md5: string; sha1: string }

const DAT = path.resolve(import.meta.dirname, '../../../shared/data/dat-roms.tsv.gz');

async function datEntries(): Promise<Entry[] | null> {
  if (!existsSync(DAT)) return null;
  const out: Entry[] = [];
  const seen = new Set<string>();
  let header = true;
  for await (const line of createInterface({ input: createReadStream(DAT).pipe(createGunzip()) })) {
    if (header) { header = false; continue; }
    const [slug, , fileName, size, crc, md5, sha1] = line.split('\t');
    if (!slug || !fileName || fileName.includes('/')) continue;
    const key = `${slug}/${fileName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ platform: slug, fileName, size: Number(size) || 1024, crc: crc ?? '', md5: md5 ?? '', sha1: sha1 ?? '' });
  }
  return out;
}

const WORDS = ['Super', 'Mega', 'Dragon', 'Quest', 'Star', 'Fighter', 'Legend', 'Racing', 'Soccer', 'World', 'Castle', 'Ninja', 'Puzzle', 'Space', 'Hero', 'Island'];
const REGION_TAGS = ['(USA)', '(Europe)', '(Japan)', '(USA, Europe)', '(World)', '(Japan) (Rev 1)', '(Europe) (En,Fr,De)', '(USA) (Beta)'];
const PLATFORMS = ['nes', 'snes', 'n64', 'gb', 'gbc', 'gba', 'nds', 'genesis', 'psx', 'ps2', 'psp', 'saturn'];

function generated(n: number, from: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i < from + n; i++) {
    const base = `${WORDS[i % 16]} ${WORDS[(i >> 4) % 16]} ${Math.floor(i / 8)}`;
    out.push({ platform: PLATFORMS[i % PLATFORMS.length] as string, fileName: `${base} ${REGION_TAGS[i % 8]}.bin`, size: 1024 + i, crc: (i >>> 0).toString(16).padStart(8, '0'), md5: '', sha1: '' });
  }
  return out;
}

function shuffle<T>(items: T[]): T[] {
  let seed = 42;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const GENRES = ['Action', 'Adventure', 'Arcade', 'Fighting', 'Platform', 'Puzzle', 'Racing', 'Role-playing (RPG)', 'Shooter', 'Simulator', 'Sport', 'Strategy', 'Music', 'Pinball', 'Quiz/Trivia', 'Card & Board Game', 'Hack and slash', 'Tactical', 'Visual Novel', 'Indie'];
const MODES = ['Single player', 'Multiplayer', 'Co-operative', 'Split screen'];
const RATINGS = ['E', 'E10', 'T', 'M', 'RP'];
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

export interface BenchLibrary { roms: number; platforms: number; siblingGroups: number; romsInGroups: number; source: string; userId: number; biggestPlatform: number; facetRows: number }

export async function buildLibrary(db: Kysely<Database>, n: number, chunk: number): Promise<BenchLibrary> {
  const dat = await datEntries();
  const entries = dat ? shuffle(dat).slice(0, n) : [];
  if (entries.length < n) entries.push(...generated(n - entries.length, entries.length));
  const now = Date.UTC(2026, 5, 1);
  await db.insertInto('users').values({ username: 'bench', email: null, hashed_password: null, enabled: 1, role: 'admin', avatar_path: '', last_login: null, last_active: null, ra_username: null, ui_settings: null, created_at: now, updated_at: now }).execute();
  const userId = Number((await db.selectFrom('users').select('id').where('username', '=', 'bench').executeTakeFirstOrThrow()).id);

  const slugs = [...new Set(entries.map((e) => e.platform))].sort();
  await db.insertInto('platforms').values(slugs.map((slug) => ({
    slug, fs_slug: slug, name: slug.toUpperCase(), custom_name: '', description: '', category: null, generation: null, family_name: null,
    family_slug: null, url: null, url_logo: null, aspect_ratio: '2 / 3', igdb_id: null, sgdb_id: null, moby_id: null, ss_id: null,
    ra_id: null, launchbox_id: null, hasheous_id: null, tgdb_id: null, flashpoint_id: null, igdb_slug: null, moby_slug: null,
    hltb_slug: null, libretro_slug: null, missing_from_fs: 0, created_at: now, updated_at: now,
  }))).execute();
  const platformIds = new Map((await db.selectFrom('platforms').select(['id', 'slug']).execute()).map((p) => [p.slug, Number(p.id)]));

  // Regional variants of one game on one platform share an igdb id: RomM's sibling groups.
  const gameIds = new Map<string, number>();
  const groupSizes = new Map<number, number>();
  const rows: Insertable<RomsTable>[] = [];
  const facets: { idx: number; kind: FacetKind; value: string }[] = [];
  entries.forEach((e, i) => {
    const names = fsNameFields(e.fileName);
    const tags = parseTags(e.fileName);
    const gameKey = `${e.platform}/${names.fs_name_no_tags.toLowerCase()}`;
    const matched = i % 10 < 7;
    let igdb: number | null = null;
    if (matched) {
      igdb = gameIds.get(gameKey) ?? gameIds.size + 1;
      gameIds.set(gameKey, igdb);
      groupSizes.set(igdb, (groupSizes.get(igdb) ?? 0) + 1);
    }
    const name = names.fs_name_no_tags;
    rows.push({
      platform_id: platformIds.get(e.platform) as number, igdb_id: igdb, sgdb_id: null, moby_id: null, ss_id: matched && i % 3 === 0 ? i : null,
      ra_id: i % 20 === 0 ? i : null, launchbox_id: null, hasheous_id: i % 7 === 0 ? i : null, tgdb_id: null, hltb_id: null,
      flashpoint_id: null, gamelist_id: null, libretro_id: null, ...names, fs_path: `roms/${e.platform}`, fs_size_bytes: e.size,
      name, name_sort_key: nameSortKey(name), name_sort_key_custom: 0, search_text: searchText(name, e.fileName), slug: null,
      summary: matched ? `Summary of ${name}` : null,
      igdb_metadata: matched ? JSON.stringify({ total_rating: 50 + (i % 50), genres: [pick(GENRES, i)], youtube_video_id: null }) : '{}',
      moby_metadata: '{}', ss_metadata: '{}', ra_metadata: '{}', launchbox_metadata: '{}',
      hasheous_metadata: i % 7 === 0 ? JSON.stringify({ nointro_match: i % 14 === 0 }) : '{}',
      flashpoint_metadata: '{}', hltb_metadata: '{}', gamelist_metadata: '{}', manual_metadata: '{}',
      path_cover_s: matched ? `roms/x/${i}/cover/small.png` : '', path_cover_l: matched ? `roms/x/${i}/cover/big.png` : '',
      url_cover: '', path_manual: '', url_manual: '', path_screenshots: '[]', url_screenshots: '[]',
      revision: tags.revision || null, version: tags.version || null,
      regions: JSON.stringify(tags.regions), languages: JSON.stringify(tags.languages), tags: JSON.stringify(tags.tags),
      crc_hash: e.crc, md5_hash: e.md5, sha1_hash: e.sha1, ra_hash: null, missing_from_fs: i % 200 === 0 ? 1 : 0,
      first_release_date: matched ? 631152000000 + (i % 9000) * 86_400_000 : null, average_rating: matched ? 50 + (i % 50) : null,
      player_count: matched && i % 4 === 0 ? '1-4' : '1', primary_region: tags.regions[0] ?? null,
      created_at: now - i * 1000, updated_at: now - (i % 5000) * 1000,
    });
    const add = (kind: FacetKind, values: string[]) => { for (const value of new Set(values)) facets.push({ idx: i, kind, value }); };
    add('region', tags.regions); add('language', tags.languages); add('tag', tags.tags);
    if (matched) {
      add('genre', [pick(GENRES, i), pick(GENRES, i * 7 + 3)]);
      add('company', [`Company ${i % 997}`]);
      add('franchise', i % 5 === 0 ? [`Franchise ${i % 211}`] : []);
      add('collection', i % 6 === 0 ? [`Series ${i % 101}`] : []);
      add('game_mode', [pick(MODES, i), ...(i % 3 === 0 ? [pick(MODES, i + 1)] : [])]);
      add('age_rating', [pick(RATINGS, i)]);
    }
  });

  for (let s = 0; s < rows.length; s += chunk) await db.insertInto('roms').values(rows.slice(s, s + chunk)).execute();
  const ids = (await db.selectFrom('roms').select('id').orderBy('id').execute()).map((r) => Number(r.id));
  const files = rows.map((r, i) => ({
    rom_id: ids[i] as number, file_name: r.fs_name, file_path: r.fs_path, file_size_bytes: Number(r.fs_size_bytes), last_modified: now,
    crc_hash: r.crc_hash ?? '', md5_hash: r.md5_hash ?? '', sha1_hash: r.sha1_hash ?? '', ra_hash: null, chd_sha1_hash: '',
    archive_members: null, category: null, missing_from_fs: 0, created_at: now, updated_at: now,
  }));
  const fileChunk = Math.floor(chunk * 3);
  for (let s = 0; s < files.length; s += fileChunk) await db.insertInto('rom_files').values(files.slice(s, s + fileChunk)).execute();
  const facetValues = facets.map((f) => ({ rom_id: ids[f.idx] as number, kind: f.kind, value: f.value }));
  const facetChunk = chunk * 10;
  for (let s = 0; s < facetValues.length; s += facetChunk) await db.insertInto('rom_facets').values(facetValues.slice(s, s + facetChunk)).execute();

  // Per-user props on ~5% of ROMs: a few hidden, some played, rated, with statuses; a favourites collection.
  const props = ids.filter((_, i) => i % 20 === 1).map((romId, k) => ({
    rom_id: romId, user_id: userId, is_main_sibling: 0, last_played: k % 2 ? now - k * 1000 : null, backlogged: k % 7 === 0 ? 1 : 0,
    now_playing: k % 11 === 0 ? 1 : 0, hidden: k % 10 === 0 ? 1 : 0, rating: k % 10, difficulty: 0, completion: k % 100,
    status: k % 3 === 0 ? ('finished' as const) : null, created_at: now, updated_at: now,
  }));
  for (let s = 0; s < props.length; s += chunk * 3) await db.insertInto('rom_user').values(props.slice(s, s + chunk * 3)).execute();
  await db.insertInto('collections').values({ user_id: userId, name: 'Favorites', description: '', is_public: 0, is_favorite: 1, path_cover_s: '', path_cover_l: '', url_cover: '', created_at: now, updated_at: now }).execute();
  const fav = Number((await db.selectFrom('collections').select('id').executeTakeFirstOrThrow()).id);
  await db.insertInto('collections_roms').values(ids.filter((_, i) => i % 500 === 3).map((rom_id) => ({ collection_id: fav, rom_id, created_at: now }))).execute();

  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.platform_id, (counts.get(r.platform_id) ?? 0) + 1);
  const biggestPlatform = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 1;
  const groups = [...groupSizes.values()].filter((s) => s > 1);
  return {
    roms: rows.length, platforms: slugs.length, siblingGroups: groups.length, romsInGroups: groups.reduce((a, b) => a + b, 0),
    source: dat ? (entries.length > dat.length ? 'dat+generated' : 'dat') : 'generated', userId, biggestPlatform, facetRows: facetValues.length,
  };
}
