import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import { emptyFilterValues, type FilterValues } from './rom-query-types.ts';

/** `char_index` and `filter_values` (spec §3.9, §3.10), each a grouped query: no row reaches JS per ROM. */

/** `from … where …` of the filtered (and de-duplicated) list. */
export type FromWhere = RawBuilder<unknown>;

export async function charIndex(db: Kysely<Database>, fromWhere: FromWhere, column: string, dir: 'asc' | 'desc'): Promise<Record<string, number>> {
  const letter = sql`substr(${sql.ref(`r.${column}`)}, 1, 1)`;
  const { rows } = await sql<{ letter: string | null; n: number | string }>`
    select ${letter} as letter, count(*) as n ${fromWhere} group by ${letter} order by letter ${sql.raw(dir)}`.execute(db);
  const offsets: [string, number][] = [];
  let offset = 0;
  for (const row of rows) {
    if (row.letter) offsets.push([row.letter, offset]);
    offset += Number(row.n);
  }
  offsets.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(offsets);
}

const FACET_KEYS: Record<string, keyof FilterValues> = {
  genre: 'genres', franchise: 'franchises', collection: 'collections', company: 'companies', game_mode: 'game_modes',
  age_rating: 'age_ratings', region: 'regions', language: 'languages', tag: 'tags',
};

/**
 * Distinct facet values, platforms and player counts over a ROM set. `romIds` is a subquery of ROM ids, or null
 * for the whole library (then both queries read only indexes).
 */
export async function filterValues(db: Kysely<Database>, romIds: RawBuilder<unknown> | null): Promise<FilterValues> {
  const facetWhere = romIds ? sql`where f.rom_id in (${romIds})` : sql``;
  const romWhere = romIds ? sql`where r.id in (${romIds})` : sql``;
  const [facets, pairs] = await Promise.all([
    sql<{ kind: string; value: string }>`select f.kind, f.value from rom_facets f ${facetWhere} group by f.kind, f.value`.execute(db),
    sql<{ platform_id: number; player_count: string }>`select r.platform_id, r.player_count from roms r ${romWhere} group by r.platform_id, r.player_count`.execute(db),
  ]);
  const out = emptyFilterValues();
  for (const { kind, value } of facets.rows) {
    const key = FACET_KEYS[kind];
    if (key && key !== 'platforms') out[key].push(value);
  }
  const platforms = new Set<number>();
  const players = new Set<string>();
  for (const row of pairs.rows) {
    platforms.add(Number(row.platform_id));
    players.add(row.player_count);
  }
  out.platforms = [...platforms].sort((a, b) => a - b);
  out.player_counts = [...players];
  for (const key of Object.keys(out) as (keyof FilterValues)[]) {
    if (key !== 'platforms') (out[key]).sort(codepointCompare);
  }
  return out;
}

/** Python's `sorted()` order for strings (code points), not the locale. */
export function codepointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ai = [...a];
  const bi = [...b];
  for (let i = 0; i < Math.min(ai.length, bi.length); i++) {
    const d = (ai[i]?.codePointAt(0) ?? 0) - (bi[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return ai.length - bi.length;
}
