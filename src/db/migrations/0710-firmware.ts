import type { Migration } from '../migrator.ts';

/**
 * Firmware (BIOS) files of a platform (RomM's `firmware` table): found by scans in `bios/<fs_slug>` or
 * `<fs_slug>/bios`, or uploaded. One row per (platform, file name); rows are flagged missing, never deleted by scans.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.id(d.createTable('firmware'))
      .addColumn('platform_id', 'integer', (c) => c.notNull().references('platforms.id').onDelete('cascade'))
      .addColumn('file_name', 'varchar(450)', (c) => c.notNull())
      .addColumn('file_name_no_tags', 'varchar(450)', (c) => c.notNull())
      .addColumn('file_name_no_ext', 'varchar(450)', (c) => c.notNull())
      .addColumn('file_extension', 'varchar(100)', (c) => c.notNull())
      .addColumn('file_path', 'varchar(1000)', (c) => c.notNull())
      .addColumn('file_size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('crc_hash', 'varchar(100)', (c) => c.notNull().defaultTo(''))
      .addColumn('md5_hash', 'varchar(100)', (c) => c.notNull().defaultTo(''))
      .addColumn('sha1_hash', 'varchar(100)', (c) => c.notNull().defaultTo(''))
      .addColumn('is_verified', 'smallint', d.bool)
      .addColumn('missing_from_fs', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_firmware_platform_name').on('firmware').columns(['platform_id', 'file_name']).unique().execute();
  },
};
