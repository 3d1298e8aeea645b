import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface ThrottleRow {
  failures: number;
  window_start: number;
  blocked_until: number;
  strikes: number;
}

/**
 * Failed-attempt counters. Every change is a single conditional statement, so processes sharing the database never
 * lose a block; concurrent failures may at worst be counted one apart.
 */
export class AuthThrottleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(kind: string, keyHash: string): Promise<ThrottleRow | undefined> {
    const row = await this.db
      .selectFrom('auth_throttle')
      .select(['failures', 'window_start', 'blocked_until', 'strikes'])
      .where('kind', '=', kind)
      .where('key_hash', '=', keyHash)
      .executeTakeFirst();
    return row && {
      failures: Number(row.failures),
      window_start: Number(row.window_start),
      blocked_until: Number(row.blocked_until),
      strikes: Number(row.strikes),
    };
  }

  /**
   * Counts one failure: restarts the window when it has run out (forgetting earlier blocks after a quiet window),
   * else adds one. Returns the row as it stands afterwards.
   */
  async addFailure(kind: string, keyHash: string, now: number, windowMs: number): Promise<ThrottleRow> {
    const expired = now - windowMs;
    const restarted = await sql`update auth_throttle
      set failures = 1, window_start = ${now}, updated_at = ${now},
          strikes = case when blocked_until < ${expired} then 0 else strikes end
      where kind = ${kind} and key_hash = ${keyHash} and window_start <= ${expired}`.execute(this.db);
    if (Number(restarted.numAffectedRows ?? 0) === 0 && !(await this.increment(kind, keyHash, now))) {
      try {
        await this.db.insertInto('auth_throttle')
          .values({ kind, key_hash: keyHash, failures: 1, window_start: now, blocked_until: 0, strikes: 0, updated_at: now })
          .execute();
      } catch (error) {
        // Another process inserted the same key first: count on its row.
        if (!(await this.increment(kind, keyHash, now))) throw error;
      }
    }
    const row = await this.find(kind, keyHash);
    if (!row) throw new Error('throttle row vanished');
    return row;
  }

  /** Starts a block once the failures reach `limit`; only one of several racing callers applies it. */
  async block(kind: string, keyHash: string, limit: number, until: number, now: number): Promise<boolean> {
    const result = await sql`update auth_throttle
      set blocked_until = ${until}, strikes = strikes + 1, failures = 0, window_start = ${now}, updated_at = ${now}
      where kind = ${kind} and key_hash = ${keyHash} and failures >= ${limit}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  async clear(kind: string, keyHash: string): Promise<void> {
    await this.db.deleteFrom('auth_throttle').where('kind', '=', kind).where('key_hash', '=', keyHash).execute();
  }

  /** Rows neither blocking nor counting any more. */
  async purge(olderThan: number): Promise<void> {
    await this.db.deleteFrom('auth_throttle')
      .where('updated_at', '<', olderThan)
      .where('blocked_until', '<', olderThan)
      .execute();
  }

  private async increment(kind: string, keyHash: string, now: number): Promise<boolean> {
    const result = await sql`update auth_throttle set failures = failures + 1, updated_at = ${now}
      where kind = ${kind} and key_hash = ${keyHash}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) === 1;
  }
}
