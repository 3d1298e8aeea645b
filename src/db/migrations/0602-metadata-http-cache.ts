import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * Answers of online metadata providers, kept so a rescan, a resumed pass or a crash costs no repeated call. Keyed by
 * provider and a SHA-256 of the request; not-found answers are kept too (for less time), failures never.
 */
export const migration: Migration = {
  async up(db, d) {
    // MariaDB's TEXT holds 64 KiB; a provider's answer may be larger.
    const bodyType = d.engine === 'mysql' ? sql`mediumtext` : sql`text`;
    await d
      .createTable('metadata_http_cache')
      .addColumn('provider', 'varchar(30)', (c) => c.notNull())
      .addColumn('cache_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('body', bodyType, (c) => c.notNull())
      .addColumn('fetched_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_metadata_http_cache', ['provider', 'cache_key'])
      .execute();
    await db.schema.createIndex('idx_metadata_http_cache_expires').on('metadata_http_cache').column('expires_at').execute();
  },
};
