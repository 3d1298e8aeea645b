import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * Per-user props (`rom_user`) bump a per-user version instead of the library version: one user marking a ROM played
 * or hidden must not empty every other user's cached gallery index. Cached list results are keyed by both numbers.
 */
const run = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

export const migration: Migration = {
  async up(db, d) {
    await d.createTable('rom_user_version')
      .addColumn('user_id', 'integer', (c) => c.primaryKey())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();

    if (d.engine === 'postgres') {
      await run(db, 'drop trigger if exists trg_rom_user_library_version on rom_user');
      await run(db, `create or replace function romshelf_bump_user_version() returns trigger language plpgsql as $$
        declare uid integer;
        begin
          if tg_op = 'DELETE' then uid := old.user_id; else uid := new.user_id; end if;
          insert into rom_user_version (user_id, version) values (uid, 1)
            on conflict (user_id) do update set version = rom_user_version.version + 1;
          return null;
        end $$`);
      await run(db, `create trigger trg_rom_user_user_version after insert or update or delete on rom_user
        for each row execute function romshelf_bump_user_version()`);
      // TRUNCATE has no rows to name: fall back to the library version, which empties every cache.
      await run(db, `create trigger trg_rom_user_truncate_library_version after truncate on rom_user
        for each statement execute function romshelf_bump_library_version()`);
      return;
    }

    for (const event of ['insert', 'update', 'delete'] as const) {
      await run(db, d.engine === 'sqlite'
        ? `drop trigger if exists trg_rom_user_${event}_library_version`
        : `drop trigger if exists trg_rom_user_${event}_library_version`);
      const row = event === 'delete' ? 'OLD' : 'NEW';
      const upsert = d.engine === 'sqlite'
        ? `insert into rom_user_version (user_id, version) values (${row}.user_id, 1)
             on conflict (user_id) do update set version = version + 1`
        : `insert into rom_user_version (user_id, version) values (${row}.user_id, 1)
             on duplicate key update version = version + 1`;
      const name = `trg_rom_user_${event}_user_version`;
      await run(db, d.engine === 'sqlite'
        ? `create trigger ${name} after ${event} on rom_user begin ${upsert}; end`
        : `create trigger ${name} after ${event} on rom_user for each row ${upsert}`);
    }
  },
};
