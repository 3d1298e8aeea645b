import type { Migration } from '../migrator.ts';

/**
 * Metadata from local sources. On `roms`: when the metadata pass last processed the ROM (null: never, so the next
 * quick scan picks it up) and, per field, which source filled it (`manual` marks a user's edit that no scan may
 * overwrite) plus the origin of each stored media file, so an unchanged cover is never re-encoded.
 * `metadata_source_files` remembers the fingerprint of every source file applied (a gamelist.xml, a LaunchBox
 * platform XML, Metadata.xml), so a rescan skips what did not change. The `launchbox_*` tables hold LaunchBox's
 * public Metadata.xml, imported as a stream.
 */
export const migration: Migration = {
  async up(db, d) {
    await db.schema.alterTable('roms').addColumn('metadata_scanned_at', 'bigint').execute();
    await db.schema.alterTable('roms').addColumn('field_sources', 'varchar(4000)', (c) => c.notNull().defaultTo('{}')).execute();
    await db.schema.createIndex('idx_roms_platform_metadata_scanned').on('roms').columns(['platform_id', 'metadata_scanned_at']).execute();

    await d
      .createTable('metadata_source_files')
      .addColumn('source', 'varchar(20)', (c) => c.notNull())
      .addColumn('file_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('path', 'varchar(2000)', (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(400)', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_metadata_source_files', ['source', 'file_key'])
      .execute();

    await d
      .createTable('launchbox_games')
      .addColumn('database_id', 'integer', (c) => c.primaryKey())
      .addColumn('platform', 'varchar(200)', (c) => c.notNull())
      .addColumn('name', 'varchar(500)', (c) => c.notNull())
      .addColumn('name_key', 'varchar(500)', (c) => c.notNull())
      .addColumn('folded_key', 'varchar(500)', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_launchbox_games_name').on('launchbox_games').columns(['platform', 'name_key']).execute();
    await db.schema.createIndex('idx_launchbox_games_folded').on('launchbox_games').columns(['platform', 'folded_key']).execute();

    await d
      .createTable('launchbox_alternate_names')
      .addColumn('database_id', 'integer', (c) => c.notNull())
      .addColumn('name_key', 'varchar(500)', (c) => c.notNull())
      .addColumn('region', 'varchar(200)')
      .execute();
    await db.schema.createIndex('idx_launchbox_alt_name').on('launchbox_alternate_names').columns(['name_key']).execute();
    await db.schema.createIndex('idx_launchbox_alt_game').on('launchbox_alternate_names').columns(['database_id']).execute();

    await d
      .createTable('launchbox_images')
      .addColumn('database_id', 'integer', (c) => c.notNull())
      .addColumn('file_name', 'varchar(500)', (c) => c.notNull())
      .addColumn('type', 'varchar(200)', (c) => c.notNull())
      .addColumn('region', 'varchar(200)')
      .execute();
    await db.schema.createIndex('idx_launchbox_images_game').on('launchbox_images').columns(['database_id']).execute();
  },
};
