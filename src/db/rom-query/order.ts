import { sql, type RawBuilder } from 'kysely';
import type { RomOrder } from '../../contract/rom-filter.ts';
import { relevanceRank, type SearchTerm } from './search.ts';

/** Sort keys of the ROM list (spec §3.4), resolved against whitelists so `order_by` never reaches SQL as text. */

const USER_NUMERIC = new Set(['rating', 'difficulty', 'completion', 'backlogged', 'now_playing', 'hidden', 'is_main_sibling']);
const USER_NULLABLE = new Set(['last_played', 'status']);
const NULLABLE_NUMERIC = new Set(['first_release_date', 'average_rating']);
const METADATA_ARRAYS: Record<string, string> = {
  genres: 'genre', franchises: 'franchise', collections: 'collection', companies: 'company',
  game_modes: 'game_mode', age_ratings: 'age_rating',
};

/** String columns of `roms`: ordering by one of them also drives `char_index`. */
export const STRING_COLUMNS = new Set([
  'name_sort_key', 'fs_name', 'fs_name_no_tags', 'fs_name_no_ext', 'fs_extension', 'fs_path', 'slug', 'summary',
  'revision', 'version', 'crc_hash', 'md5_hash', 'sha1_hash', 'ra_hash', 'flashpoint_id', 'gamelist_id',
  'libretro_id', 'path_cover_s', 'path_cover_l', 'url_cover', 'path_manual', 'url_manual', 'player_count',
  'primary_region',
]);
const OTHER_COLUMNS = new Set([
  'id', 'platform_id', 'igdb_id', 'sgdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id',
  'hltb_id', 'fs_size_bytes', 'created_at', 'updated_at', 'missing_from_fs',
]);

export interface OrderKey {
  expr: RawBuilder<unknown>;
  dir: 'asc' | 'desc';
}

export interface ResolvedOrder {
  keys: OrderKey[];
  /** Column whose first character keys `char_index`. */
  charColumn: string;
  /** The sort reads the caller's rom_user row. */
  usesUserRow: boolean;
}

/** Nulls first ascending and last descending, as MariaDB orders them, on every engine. */
function nullsLikeMariaDb(expr: RawBuilder<unknown>, dir: 'asc' | 'desc'): OrderKey[] {
  return [{ expr: sql`(case when ${expr} is null then 0 else 1 end)`, dir }, { expr, dir }];
}

export function resolveOrder(order: RomOrder, terms: SearchTerm[]): ResolvedOrder {
  const { dir } = order;
  const field = order.orderBy === 'name' ? 'name_sort_key' : order.orderBy;
  let keys: OrderKey[];
  let charColumn = 'name_sort_key';
  let usesUserRow = false;
  if (USER_NUMERIC.has(field)) {
    // Deliberate: ROMs without a rom_user row keep their place with default values (docs/compatibility.md).
    keys = [{ expr: sql`coalesce(${sql.ref(`ru.${field}`)}, 0)`, dir }];
    usesUserRow = true;
  } else if (USER_NULLABLE.has(field)) {
    keys = [{ expr: sql`(case when ${sql.ref(`ru.${field}`)} is null then 1 else 0 end)`, dir: 'asc' }, { expr: sql.ref(`ru.${field}`), dir }];
    usesUserRow = true;
  } else if (NULLABLE_NUMERIC.has(field)) {
    keys = nullsLikeMariaDb(sql.ref(`r.${field}`), dir);
  } else if (METADATA_ARRAYS[field]) {
    keys = nullsLikeMariaDb(sql`(select min(fo.value) from rom_facets fo where fo.rom_id = r.id and fo.kind = ${METADATA_ARRAYS[field]})`, dir);
  } else if (STRING_COLUMNS.has(field) || OTHER_COLUMNS.has(field)) {
    keys = [{ expr: sql.ref(`r.${field}`), dir }];
    if (STRING_COLUMNS.has(field)) charColumn = field;
  } else {
    keys = [{ expr: sql.ref('r.name_sort_key'), dir }];
  }
  const rank = terms.length ? relevanceRank(terms) : null;
  if (rank) {
    if (order.orderBy === '') keys = [{ expr: rank, dir: 'asc' }, ...keys];
    else keys.push({ expr: rank, dir: 'asc' });
  }
  // A stable tie-breaker keeps pages and rom_id_index consistent between requests.
  keys.push({ expr: sql.ref('r.id'), dir });
  return { keys, charColumn, usesUserRow };
}

export const orderBySql = (keys: OrderKey[]) =>
  sql.join(keys.map((k) => sql`${k.expr} ${sql.raw(k.dir)}`));
