import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Small SQL combinators shared by the ROM query builders; every value is a bound parameter. */
export type Cond = RawBuilder<unknown>;

export const TRUE: Cond = sql<SqlBool>`1 = 1`;
export const FALSE: Cond = sql<SqlBool>`1 = 0`;

export function and(conds: Cond[]): Cond {
  if (conds.length === 0) return TRUE;
  if (conds.length === 1) return conds[0] as Cond;
  return sql<SqlBool>`(${sql.join(conds, sql` and `)})`;
}

export function or(conds: Cond[]): Cond {
  if (conds.length === 0) return FALSE;
  if (conds.length === 1) return conds[0] as Cond;
  return sql<SqlBool>`(${sql.join(conds, sql` or `)})`;
}

export const not = (cond: Cond): Cond => sql<SqlBool>`not (${cond})`;

/** `(a, b, c)` of bound values for IN lists. */
export const list = (values: readonly (string | number)[]) => sql`(${sql.join(values.map((v) => sql.val(v)))})`;

/** Escapes LIKE wildcards with `!` (used with `ESCAPE '!'`, which reads the same on all three engines). */
export const likeEscape = (s: string): string => s.replace(/[!%_]/g, (c) => `!${c}`);

export const likeContains = (col: RawBuilder<unknown>, needle: string): Cond =>
  sql<SqlBool>`${col} like ${`%${likeEscape(needle)}%`} escape '!'`;

export const likePrefix = (col: RawBuilder<unknown>, prefix: string): Cond =>
  sql<SqlBool>`${col} like ${`${likeEscape(prefix)}%`} escape '!'`;

