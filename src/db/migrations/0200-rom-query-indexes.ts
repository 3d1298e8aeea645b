import type { Migration } from '../migrator.ts';

/** Indexes behind the ROM list's filters, sorts and sidecars (GET /api/roms at 100k ROMs). */
export const migration: Migration = {
  async up(db) {
    // filter_values: distinct (platform, player count) pairs read from the index alone.
    await db.schema.createIndex('idx_roms_platform_players').on('roms').columns(['platform_id', 'player_count']).execute();
    await db.schema.createIndex('idx_roms_player_count').on('roms').column('player_count').execute();
    for (const col of ['fs_size_bytes', 'created_at', 'hltb_id', 'flashpoint_id']) {
      await db.schema.createIndex(`idx_roms_${col}`).on('roms').column(col).execute();
    }
    // has_soundtrack and category filters.
    await db.schema.createIndex('idx_rom_files_category').on('rom_files').columns(['category', 'rom_id']).execute();
    await db.schema.createIndex('idx_rom_files_ra_hash').on('rom_files').column('ra_hash').execute();
    // Hydration of a page's metadata facets without visiting the table.
    await db.schema.createIndex('idx_rom_facets_rom_kind_value').on('rom_facets').columns(['rom_id', 'kind', 'value']).execute();
    await db.schema.createIndex('idx_rom_notes_rom').on('rom_notes').columns(['rom_id', 'is_public']).execute();
  },
};
