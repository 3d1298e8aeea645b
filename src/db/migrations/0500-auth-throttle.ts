import type { Migration } from '../migrator.ts';

/**
 * Failed-attempt counters for password logins, pairing codes and any later code-guessing flow, keyed by kind and a
 * hash of the key (account name or client address). Kept in the database so every process on one database sees the
 * same blocks.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.createTable('auth_throttle')
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('key_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('blocked_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('strikes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_auth_throttle', ['kind', 'key_hash'])
      .execute();
    await db.schema.createIndex('idx_auth_throttle_updated').on('auth_throttle').column('updated_at').execute();
  },
};
