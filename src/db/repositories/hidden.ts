import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * Platforms and ROMs hidden from a caller by their permission group or their own hide list (RomM 5). Repositories
 * add the conditions below to every query that lists, counts or fetches ROMs and platforms; admins hide nothing.
 */
export interface HiddenSets {
  readonly platformIds: readonly number[];
  readonly romIds: readonly number[];
}

export const NOTHING_HIDDEN: HiddenSets = Object.freeze({ platformIds: [], romIds: [] });

export function hidesNothing(hidden: HiddenSets): boolean {
  return hidden.platformIds.length === 0 && hidden.romIds.length === 0;
}

/** A stable text for cache keys: callers with the same hide lists share cached results. */
export function hiddenKey(hidden: HiddenSets): string {
  if (hidesNothing(hidden)) return '';
  return `h:${[...hidden.platformIds].sort((a, b) => a - b).join(',')}|${[...hidden.romIds].sort((a, b) => a - b).join(',')}`;
}

const TRUE = sql<SqlBool>`1 = 1`;

/** A ROM row is visible: neither it nor its platform is hidden. */
export function romNotHidden(hidden: HiddenSets, romIdColumn: string, platformIdColumn: string): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (hidden.platformIds.length) parts.push(sql<SqlBool>`${sql.ref(platformIdColumn)} not in (${sql.join(hidden.platformIds)})`);
  if (hidden.romIds.length) parts.push(sql<SqlBool>`${sql.ref(romIdColumn)} not in (${sql.join(hidden.romIds)})`);
  if (parts.length === 0) return TRUE;
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** A platform row (or anything keyed by a platform id) is visible. */
export function platformNotHidden(hidden: HiddenSets, platformIdColumn: string): Expression<SqlBool> {
  if (hidden.platformIds.length === 0) return TRUE;
  return sql<SqlBool>`${sql.ref(platformIdColumn)} not in (${sql.join(hidden.platformIds)})`;
}
