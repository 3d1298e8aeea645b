import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * The "owner or public" rule as a SQL condition (the same rule as `canRead` in auth/access.ts), for every query
 * that lists what a viewer may see. `viewerId` null is an anonymous caller: public rows only.
 */
export function visibleTo(viewerId: number | null, ownerColumn: string, publicColumn: string): Expression<SqlBool> {
  const isPublic = sql<SqlBool>`${sql.ref(publicColumn)} = 1`;
  if (viewerId === null) return isPublic;
  return sql<SqlBool>`(${sql.ref(ownerColumn)} = ${viewerId} or ${isPublic})`;
}
