import type { Migration } from '../migrator.ts';

/**
 * CRC-32 of each file's raw bytes, for zip downloads. `rom_files.crc_hash` is not always that value: archives
 * are hashed by their content (spec §10.5), so a STORE zip built from it would be corrupt. Rows are keyed by the
 * size and mtime they were computed for and ignored once the file changes.
 */
export const migration: Migration = {
  async up(db, d) {
    await d
      .createTable('rom_file_raw_crcs')
      .addColumn('rom_file_id', 'integer', (c) => c.primaryKey().references('rom_files.id').onDelete('cascade'))
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('mtime_ms', 'double precision', (c) => c.notNull())
      .addColumn('crc', 'varchar(8)', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    void db;
  },
};
