import type { Migration } from '../migrator.ts';

/**
 * Hashes DATs and RetroAchievements match that RomM's columns do not hold: the size of a copier or emulator header
 * found at the start of a file (0: checked, none; null: never checked) and the CRC-32, MD5 and SHA-1 of the bytes
 * after it (null when there is no header). `chd_sha1_hash` and `ra_hash` already exist with RomM's meaning.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable('rom_files').addColumn('header_skipped', 'integer').execute();
    await db.schema.alterTable('rom_files').addColumn('headerless_crc_hash', 'varchar(100)').execute();
    await db.schema.alterTable('rom_files').addColumn('headerless_md5_hash', 'varchar(100)').execute();
    await db.schema.alterTable('rom_files').addColumn('headerless_sha1_hash', 'varchar(100)').execute();
    // DAT matching looks files up by these as it does by RomM's hash columns (which have the same indexes).
    for (const col of ['headerless_crc_hash', 'headerless_md5_hash', 'headerless_sha1_hash'] as const) {
      await db.schema.createIndex(`idx_rom_files_${col}`).on('rom_files').column(col).execute();
    }
  },
};
