/** Engine-neutral helpers for the collection repositories: inserted ids, retries and constraint errors. */
import { sql, type InsertQueryBuilder, type InsertResult, type RawBuilder } from 'kysely';
import { isDeadlock, isUniqueViolation, type EngineCapabilities } from '../capabilities.ts';
import type { Database } from '../schema.ts';

export function insertedId(id: bigint | number | undefined): number {
  const n = Number(id ?? 0);
  if (!n) throw new Error('insert returned no id');
  return n;
}

/** Tables whose new rows' ids the repositories read back. */
type IdTable = 'collections' | 'smart_collections' | 'rom_notes' | 'play_sessions' | 'sync_sessions';

/** Runs a one-row insert and answers the new id: RETURNING where the engine has it, else the driver's insert id. */
export async function insertReturningId<T extends IdTable>(caps: EngineCapabilities, insert: InsertQueryBuilder<Database, T, InsertResult>): Promise<number> {
  if (!caps.insertReturning) return insertedId((await insert.executeTakeFirstOrThrow()).insertId);
  const { id } = await insert.returning('id').executeTakeFirstOrThrow();
  return insertedId(id);
}

/**
 * `column`'s values per group as one comma-separated text (order not guaranteed: callers sort), or null when the
 * engine's only string aggregate is length-capped and member rows must be read instead.
 */
export function idListAggregate(caps: EngineCapabilities, column: string): RawBuilder<string> | null {
  const ref = sql.ref(column);
  if (caps.idListAggregate === 'string_agg') return sql<string>`string_agg(cast(${ref} as text), ',' order by ${ref})`;
  if (caps.idListAggregate === 'group_concat') return sql<string>`group_concat(${ref})`;
  return null;
}

/** Parses an id-list aggregate, ascending. */
export function parseIdList(text: string | null): number[] {
  if (!text) return [];
  return String(text).split(',').map(Number).sort((a, b) => a - b);
}

/**
 * Runs a short write again when the engine picked it as a deadlock victim. Concurrent adds and removes on one
 * collection take row locks in different orders on PostgreSQL and InnoDB; the loser is safe to replay because each
 * statement is idempotent on the (collection, rom) pair.
 */
export async function withDeadlockRetry<T>(caps: EngineCapabilities, fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isDeadlock(caps, err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}

/** A unique-index violation on any engine (services meet it without knowing which engine). */
export { isUniqueViolation };
