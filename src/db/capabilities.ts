import type { Engine } from '../config/database-url.ts';

/**
 * What differs between the three engines, as flags built once per engine. Repositories branch on these, never on
 * the engine's name, so a difference is described once and every query that meets it reads the same flag.
 */
export interface EngineCapabilities {
  /** `INSERT ... RETURNING` (MariaDB's dialect has none: the driver's insert id is used instead). */
  readonly insertReturning: boolean;
  /** How an insert skips rows that would break a unique key. */
  readonly insertOrIgnore: 'on-conflict-do-nothing' | 'insert-ignore';
  /**
   * An ordered, unbounded string aggregate for id lists; null when the only one is length-capped (MySQL's
   * GROUP_CONCAT truncates at group_concat_max_len), so callers read member rows instead.
   */
  readonly idListAggregate: 'string_agg' | 'group_concat' | null;
  /** `SELECT ... FOR UPDATE` row locks (SQLite's single writer already serialises and has no such clause). */
  readonly rowLocks: boolean;
  /** Tables must ask for a binary collation for text comparisons to be case-sensitive (MySQL's default is not). */
  readonly binaryCollationPerTable: boolean;
  /** How an auto-incremented integer primary key is declared. */
  readonly autoIncrementId: 'serial' | 'autoincrement';
  /** Driver error codes of a deadlock or lock timeout: the statement may simply be run again. */
  readonly deadlockCodes: ReadonlySet<string>;
  /** Driver error codes of a unique or primary key violation. */
  readonly uniqueViolationCodes: ReadonlySet<string>;
}

export const SQLITE_CAPABILITIES: EngineCapabilities = Object.freeze({
  insertReturning: true,
  insertOrIgnore: 'on-conflict-do-nothing',
  idListAggregate: 'group_concat',
  rowLocks: false,
  binaryCollationPerTable: false,
  autoIncrementId: 'autoincrement',
  deadlockCodes: new Set(['SQLITE_BUSY']),
  uniqueViolationCodes: new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']),
});

export const POSTGRES_CAPABILITIES: EngineCapabilities = Object.freeze({
  insertReturning: true,
  insertOrIgnore: 'on-conflict-do-nothing',
  idListAggregate: 'string_agg',
  rowLocks: true,
  binaryCollationPerTable: false,
  autoIncrementId: 'serial',
  deadlockCodes: new Set(['40P01', '40001']),
  uniqueViolationCodes: new Set(['23505']),
});

export const MYSQL_CAPABILITIES: EngineCapabilities = Object.freeze({
  insertReturning: false,
  insertOrIgnore: 'insert-ignore',
  idListAggregate: null,
  rowLocks: true,
  binaryCollationPerTable: true,
  autoIncrementId: 'autoincrement',
  deadlockCodes: new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']),
  uniqueViolationCodes: new Set(['ER_DUP_ENTRY']),
});

const BY_ENGINE: Readonly<Record<Engine, EngineCapabilities>> = {
  sqlite: SQLITE_CAPABILITIES,
  postgres: POSTGRES_CAPABILITIES,
  mysql: MYSQL_CAPABILITIES,
};

export function capabilitiesOf(engine: Engine): EngineCapabilities {
  return BY_ENGINE[engine];
}

/** The error's driver code, when it has a string one. */
export function errorCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isDeadlock(caps: EngineCapabilities, err: unknown): boolean {
  return caps.deadlockCodes.has(errorCode(err) ?? '');
}

/**
 * A unique-key violation on any engine. Services see errors without knowing the engine; the codes of the three
 * drivers never collide, so testing all of them is exact.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && Object.values(BY_ENGINE).some((caps) => caps.uniqueViolationCodes.has(code));
}
