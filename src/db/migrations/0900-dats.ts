import type { Migration } from '../migrator.ts';

/**
 * DAT files (No-Intro, Redump, TOSEC, MAME, clrmamepro) for offline verification: `dats` holds each imported file
 * with what detects a change (size, mtime, SHA-1) and its platform (mapped from the header name, or set by an
 * admin), `dat_games` its games with their parents, `dat_roms` the files a game lists with their hashes. Lookups
 * go by SHA-1, MD5, CRC+size and name. A re-import replaces a DAT's games and ROMs in one transaction.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.id(d.createTable('dats'))
      .addColumn('source_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('source', 'varchar(10)', (c) => c.notNull())
      .addColumn('source_path', 'varchar(2000)', (c) => c.notNull())
      .addColumn('format', 'varchar(20)', (c) => c.notNull())
      .addColumn('name', 'varchar(500)', (c) => c.notNull())
      .addColumn('description', 'varchar(1000)')
      .addColumn('version', 'varchar(200)')
      .addColumn('author', 'varchar(1000)')
      .addColumn('homepage', 'varchar(500)')
      .addColumn('skipper', 'varchar(200)')
      .addColumn('file_size', 'bigint', (c) => c.notNull())
      .addColumn('file_mtime', 'bigint')
      .addColumn('file_sha1', 'varchar(40)', (c) => c.notNull())
      .addColumn('platform_slug', 'varchar(100)')
      .addColumn('platform_id', 'integer', (c) => c.references('platforms.id').onDelete('set null'))
      .addColumn('platform_override', 'smallint', d.bool)
      .addColumn('game_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rom_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('imported_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_dats_source_key').on('dats').column('source_key').unique().execute();
    await db.schema.createIndex('idx_dats_platform').on('dats').column('platform_id').execute();

    await d.id(d.createTable('dat_games'))
      .addColumn('dat_id', 'integer', (c) => c.notNull().references('dats.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('name', 'varchar(500)', (c) => c.notNull())
      .addColumn('description', 'varchar(1000)')
      .addColumn('parent_name', 'varchar(500)')
      // No foreign key: a DAT's games are replaced as a whole, and a self-reference would order every delete.
      .addColumn('parent_id', 'integer')
      .addColumn('rom_of', 'varchar(500)')
      .addColumn('category', 'varchar(200)')
      .addColumn('region', 'varchar(200)')
      .addColumn('languages', 'varchar(200)')
      .execute();
    await db.schema.createIndex('idx_dat_games_dat_seq').on('dat_games').columns(['dat_id', 'seq']).unique().execute();
    await db.schema.createIndex('idx_dat_games_dat_name').on('dat_games').columns(['dat_id', 'name']).execute();

    await d.id(d.createTable('dat_roms'))
      .addColumn('dat_id', 'integer', (c) => c.notNull().references('dats.id').onDelete('cascade'))
      .addColumn('game_id', 'integer', (c) => c.notNull().references('dat_games.id').onDelete('cascade'))
      .addColumn('name', 'varchar(500)', (c) => c.notNull())
      .addColumn('size', 'bigint')
      .addColumn('crc', 'varchar(8)')
      .addColumn('md5', 'varchar(32)')
      .addColumn('sha1', 'varchar(40)')
      .addColumn('sha256', 'varchar(64)')
      .addColumn('status', 'varchar(10)', (c) => c.notNull().defaultTo('good'))
      .addColumn('serial', 'varchar(200)')
      .addColumn('is_disk', 'smallint', d.bool)
      .execute();
    await db.schema.createIndex('idx_dat_roms_sha1').on('dat_roms').column('sha1').execute();
    await db.schema.createIndex('idx_dat_roms_md5').on('dat_roms').column('md5').execute();
    await db.schema.createIndex('idx_dat_roms_crc_size').on('dat_roms').columns(['crc', 'size']).execute();
    await db.schema.createIndex('idx_dat_roms_name').on('dat_roms').column('name').execute();
    await db.schema.createIndex('idx_dat_roms_game').on('dat_roms').column('game_id').execute();
    await db.schema.createIndex('idx_dat_roms_dat').on('dat_roms').column('dat_id').execute();
  },
};
