import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Memo of list results (id index, counts, sidecars) under the trigger-maintained library version (migration
 * 0201): a hit is exactly what the SQL would return now. RomM keeps the same results in Redis (spec §3.11).
 */
export class RomQueryCache {
  private version = -1;
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly db: Kysely<Database>, private readonly maxEntries = 64) {}

  /** The current library version; entries of an older version are dropped. */
  async currentVersion(): Promise<number> {
    const { rows } = await sql<{ version: number | string }>`select version from library_version where id = 1`.execute(this.db);
    const v = Number(rows[0]?.version ?? 0);
    if (v !== this.version) {
      this.entries.clear();
      this.version = v;
    }
    return v;
  }

  /** The caller's per-user version (migration 0202): bumped by writes to their own `rom_user` rows only. */
  async userVersion(userId: number | null): Promise<number> {
    if (userId === null) return 0;
    const { rows } = await sql<{ version: number | string }>`select version from rom_user_version where user_id = ${userId}`.execute(this.db);
    return Number(rows[0]?.version ?? 0);
  }

  /** `compute()`'s result for `key`, computed at most once per library version. */
  async get<T>(version: number, key: string, compute: () => Promise<T>): Promise<T> {
    const k = `${version}\u0000${key}`;
    if (this.entries.has(k)) {
      const hit = this.entries.get(k) as T;
      // Refresh recency: Map keeps insertion order, the oldest entry is evicted first.
      this.entries.delete(k);
      this.entries.set(k, hit);
      return hit;
    }
    const value = await compute();
    if (version === this.version) {
      this.entries.set(k, value);
      while (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
