import { sql } from 'kysely';
import { DamagedDatabaseError } from '../common/storage-errors.ts';
import type { Db } from './engine.ts';

/** Files up to this size get a whole-file `quick_check` at start (well under a second to a few seconds). */
export const FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024;
/** Larger files are checked table by table until this much time is spent. */
export const TABLE_CHECK_BUDGET_MS = 5000;

export interface IntegrityReport {
  /** True when every page was checked; false when the time budget left tables unchecked. */
  complete: boolean;
  unchecked: string[];
}

interface Options {
  fullCheckMaxBytes?: number;
  budgetMs?: number;
  now?: () => number;
}

/**
 * A start-up integrity check of a SQLite file, bounded in time: `quick_check` (structure, not index contents) of the
 * whole file when it is small enough, else of one table at a time within a time budget. Throws DamagedDatabaseError
 * with the first finding; a damaged file must not be served, since every later write could spread the damage.
 */
export async function checkSqliteIntegrity(db: Db, file: string, options: Options = {}): Promise<IntegrityReport> {
  const maxBytes = options.fullCheckMaxBytes ?? FULL_CHECK_MAX_BYTES;
  const budget = options.budgetMs ?? TABLE_CHECK_BUDGET_MS;
  const now = options.now ?? Date.now;
  const pages = await pragmaNumber(db, 'page_count');
  const pageSize = await pragmaNumber(db, 'page_size');
  if (pages * pageSize <= maxBytes) {
    await quickCheck(db, file, null);
    return { complete: true, unchecked: [] };
  }
  const tables = (await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by rootpage`
    .execute(db.kysely)).rows.map((r) => r.name);
  const started = now();
  const unchecked: string[] = [];
  for (const table of tables) {
    if (now() - started >= budget) unchecked.push(table);
    else await quickCheck(db, file, table);
  }
  return { complete: unchecked.length === 0, unchecked };
}

async function pragmaNumber(db: Db, name: 'page_count' | 'page_size'): Promise<number> {
  const { rows } = await sql<Record<string, number>>`${sql.raw(`pragma ${name}`)}`.execute(db.kysely);
  return Number(rows[0]?.[name] ?? 0);
}

async function quickCheck(db: Db, file: string, table: string | null): Promise<void> {
  // Table names come from sqlite_schema; quoting keeps any name a single identifier.
  const target = table === null ? '' : `"${table.replace(/"/g, '""')}"`;
  const { rows } = await sql<{ quick_check: string }>`${sql.raw(`pragma quick_check${target ? `(${target})` : '(5)'}`)}`.execute(db.kysely);
  const findings = rows.map((r) => r.quick_check).filter((v) => v !== 'ok');
  if (findings.length > 0) throw new DamagedDatabaseError(file, findings[0]?.split('\n')[0] ?? 'integrity check failed');
}
