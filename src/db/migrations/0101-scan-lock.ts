import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/** One row naming the process that is scanning, so a CLI scan and the server's scan never run at once. */
export const migration: Migration = {
  async up(db, d) {
    await d.createTable('scan_lock')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('owner', 'varchar(200)')
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`insert into scan_lock (id, owner, heartbeat_at) values (1, null, 0)`.execute(db);
  },
};
