import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

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

  /** Upsert; two processes storing the same answer at once is harmless (the later one wins). */
  async put(provider: string, key: string, answer: CachedAnswer, now: number, ttlMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('metadata_http_cache').where('provider', '=', provider).where('cache_key', '=', key).execute();
      await trx.insertInto('metadata_http_cache').values({
        provider, cache_key: key, status: answer.status, body: answer.body, fetched_at: now, expires_at: now + ttlMs,
      }).execute();
    });
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom('metadata_http_cache').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async clear(provider: string): Promise<void> {
    await this.db.deleteFrom('metadata_http_cache').where('provider', '=', provider).execute();
  }
}
