import type { Migration } from '../migrator.ts';

/**
 * Indexes for the scanner's reads: a platform's missing ROMs without touching the others' rows, and the
 * per-platform ROM count and size of `/api/platforms` answered from an index instead of the (wide) rows.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.createIndex('idx_roms_platform_missing').on('roms').columns(['platform_id', 'missing_from_fs']).execute();
    await db.schema.createIndex('idx_roms_platform_size').on('roms').columns(['platform_id', 'fs_size_bytes']).execute();
  },
};
