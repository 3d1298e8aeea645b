import type { Migration } from '../migrator.ts';

/**
 * A per-user counter stamped into every access token, refresh token and session; bumping it (password change,
 * disable) makes every one issued before unusable at once, without a list of revoked tokens. Sessions carry it too so
 * a login that raced the change cannot leave a session behind.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable('users')
      .addColumn('token_generation', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('sessions')
      .addColumn('token_generation', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
