import type { Migration } from '../migrator.ts';

/**
 * Change time and inode of each file as recorded with its hashes, and of each cached raw CRC. Size and mtime alone
 * let a same-size rewrite with its mtime set back pass as unchanged; rows from before this migration have none and
 * are re-verified by reading the file.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable('rom_files').addColumn('file_ctime_ms', 'bigint').execute();
    await db.schema.alterTable('rom_files').addColumn('file_ino', 'bigint').execute();
    await db.schema.alterTable('rom_file_raw_crcs').addColumn('ctime_ms', 'bigint').execute();
    await db.schema.alterTable('rom_file_raw_crcs').addColumn('ino', 'bigint').execute();
  },
};
