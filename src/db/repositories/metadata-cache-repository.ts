import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { isUniqueViolation } from '../capabilities.ts';

export interface CachedAnswer {
  status: number;
  body: string;
}

/** The persistent cache of online providers' answers (metadata/online/provider-http.ts). */
export class MetadataCacheRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(provider: string, key: string, now: number): Promise<CachedAnswer | null> {
    const row = await this.db.selectFrom('metadata_http_cache').select(['status', 'body', 'expires_at'])
      .where('provider', '=', provider).where('cache_key', '=', key).executeTakeFirst();
    if (!row || Number(row.expires_at) <= now) return null;
    return { status: row.status, body: row.body };
  }

  /**
   * Upsert without a transaction: delete-then-insert in one InnoDB transaction takes gap locks, and two lookups
   * storing different answers at once deadlocked. A concurrent insert of the same key is answered by updating it.
   */
  async put(provider: string, key: string, answer: CachedAnswer, now: number, ttlMs: number): Promise<void> {
    const values = { status: answer.status, body: answer.body, fetched_at: now, expires_at: now + ttlMs };
    const update = () => this.db.updateTable('metadata_http_cache').set(values)
      .where('provider', '=', provider).where('cache_key', '=', key).executeTakeFirst();
    if (Number((await update()).numUpdatedRows) > 0) return;
    try {
      await this.db.insertInto('metadata_http_cache').values({ provider, cache_key: key, ...values }).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await update();
    }
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom('metadata_http_cache').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async clear(provider: string): Promise<void> {
    await this.db.deleteFrom('metadata_http_cache').where('provider', '=', provider).execute();
  }
}
