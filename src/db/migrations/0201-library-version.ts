import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * A library version bumped by triggers on every table the ROM list reads. The list caches its id index and
 * sidecars under this number, so any write, by any code path, invalidates them in the same transaction.
 */
export const VERSIONED_TABLES = [
  'roms', 'rom_files', 'rom_facets', 'rom_user', 'collections', 'collections_roms', 'smart_collections', 'platforms',
];

const run = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

export const migration: Migration = {
  async up(db, d) {
    await d.createTable('library_version')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await run(db, 'insert into library_version (id, version) values (1, 0)');
    const bump = 'update library_version set version = version + 1 where id = 1';
    if (d.engine === 'postgres') {
      await run(db, `create or replace function romshelf_bump_library_version() returns trigger language plpgsql as $$
        begin ${bump}; return null; end $$`);
      for (const table of VERSIONED_TABLES) {
        // One bump per statement: bulk scanner inserts cost one update, not one per row.
        await run(db, `create trigger trg_${table}_library_version after insert or update or delete or truncate on ${table}
          for each statement execute function romshelf_bump_library_version()`);
      }
      return;
    }
    for (const table of VERSIONED_TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        const name = `trg_${table}_${event}_library_version`;
        await run(db, d.engine === 'sqlite'
          ? `create trigger ${name} after ${event} on ${table} begin ${bump}; end`
          : `create trigger ${name} after ${event} on ${table} for each row ${bump}`);
      }
    }
  },
};
