import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * A database-wide scan lock: taken with one conditional UPDATE (atomic on every engine), kept alive by a heartbeat,
 * and considered abandoned once the heartbeat is older than `staleMs` (a process killed mid-scan).
 */
export class ScanLockRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async acquire(owner: string, now: number, staleMs: number): Promise<boolean> {
    const result = await sql`update scan_lock set owner = ${owner}, heartbeat_at = ${now}
      where id = 1 and (owner is null or heartbeat_at < ${now - staleMs})`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  /** Takes the lock from `previous` only if it still holds it (compare-and-set). */
  async takeOver(owner: string, previous: string, now: number): Promise<boolean> {
    const result = await sql`update scan_lock set owner = ${owner}, heartbeat_at = ${now}
      where id = 1 and owner = ${previous}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  async heartbeat(owner: string, now: number): Promise<void> {
    await sql`update scan_lock set heartbeat_at = ${now} where id = 1 and owner = ${owner}`.execute(this.db);
  }

  async release(owner: string): Promise<void> {
    await sql`update scan_lock set owner = null where id = 1 and owner = ${owner}`.execute(this.db);
  }

  async holder(): Promise<{ owner: string | null; heartbeat_at: number } | undefined> {
    const { rows } = await sql<{ owner: string | null; heartbeat_at: number | string }>`select owner, heartbeat_at from scan_lock where id = 1`.execute(this.db);
    const row = rows[0];
    return row ? { owner: row.owner, heartbeat_at: Number(row.heartbeat_at) } : undefined;
  }
}
