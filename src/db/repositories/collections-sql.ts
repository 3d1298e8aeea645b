/** Engine-neutral helpers for the collection repositories: inserted ids, retries and constraint errors. */

export function insertedId(id: bigint | number | undefined): number {
  const n = Number(id ?? 0);
  if (!n) throw new Error('insert returned no id');
  return n;
}

const DEADLOCK_CODES = new Set(['40P01', '40001', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

function errorCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs a short write again when the engine picked it as a deadlock victim. Concurrent adds and removes on one
 * collection take row locks in different orders on PostgreSQL and InnoDB; the loser is safe to replay because each
 * statement is idempotent on the (collection, rom) pair.
 */
export async function withDeadlockRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !DEADLOCK_CODES.has(errorCode(err) ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}

/** A unique-index violation on any engine (SQLite, PostgreSQL 23505, MySQL 1062). */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
