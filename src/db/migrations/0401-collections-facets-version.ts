import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * A counter bumped by triggers whenever `rom_facets` changes, or a ROM's cover or existence does. Virtual collection
 * listings are cached per counter value: a request reads one row to know whether the cached listing still holds, and
 * no writer of facets (scanner, ROM edits) has to know the cache exists.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.createTable('collections_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('facets_version', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`insert into collections_state (id, facets_version) values (1, 0)`.execute(db);
    const bump = 'update collections_state set facets_version = facets_version + 1 where id = 1';

    if (d.engine === 'sqlite') {
      for (const event of ['insert', 'delete', 'update']) {
        await sql.raw(`create trigger trg_rom_facets_${event}_version after ${event} on rom_facets begin ${bump}; end`).execute(db);
      }
      await sql.raw(`create trigger trg_roms_cover_version after update of path_cover_s, path_cover_l on roms begin ${bump}; end`).execute(db);
      await sql.raw(`create trigger trg_roms_delete_version after delete on roms begin ${bump}; end`).execute(db);
      return;
    }

    if (d.engine === 'postgres') {
      await sql.raw(`create function romshelf_bump_facets_version() returns trigger language plpgsql as $$ begin ${bump}; return null; end $$`).execute(db);
      // Statement-level: one bump per statement, however many rows a scan batch writes.
      await sql.raw('create trigger trg_rom_facets_version after insert or update or delete on rom_facets for each statement execute function romshelf_bump_facets_version()').execute(db);
      await sql.raw('create trigger trg_roms_cover_version after update of path_cover_s, path_cover_l or delete on roms for each statement execute function romshelf_bump_facets_version()').execute(db);
      return;
    }

    // MySQL/MariaDB: row-level only, and cascaded deletes fire no triggers, hence the one on roms.
    for (const event of ['insert', 'delete', 'update']) {
      await sql.raw(`create trigger trg_rom_facets_${event}_version after ${event} on rom_facets for each row ${bump}`).execute(db);
    }
    await sql.raw(`create trigger trg_roms_cover_version after update on roms for each row begin
      if not (new.path_cover_s <=> old.path_cover_s) or not (new.path_cover_l <=> old.path_cover_l) then ${bump}; end if; end`).execute(db);
    await sql.raw(`create trigger trg_roms_delete_version after delete on roms for each row ${bump}`).execute(db);
  },
};
