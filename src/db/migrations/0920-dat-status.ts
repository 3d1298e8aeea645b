import type { Migration } from '../migrator.ts';

/**
 * What the DAT verification decided, per file and per ROM. Null status: not checked yet (no DAT for the platform).
 * `dat_parent` is the 1G1R group (the DAT parent's name, or the game's own), `dat_quality` and `dat_order` the
 * region-independent parts of the preference (domain/dats/one-g-one-r.ts); the region order is applied per query.
 */
export const migration: Migration = {
  async up(db) {
    for (const [name, type] of [
      ['dat_status', 'varchar(16)'], ['dat_game', 'text'], ['dat_parent', 'text'], ['dat_quality', 'integer'],
      ['dat_order', 'integer'], ['dat_complete', 'smallint'],
    ] as const) {
      await db.schema.alterTable('roms').addColumn(name, type).execute();
    }
    for (const [name, type] of [['dat_status', 'varchar(16)'], ['dat_game', 'text'], ['dat_id', 'integer']] as const) {
      await db.schema.alterTable('rom_files').addColumn(name, type).execute();
    }
    await db.schema.createIndex('ix_roms_platform_dat_status').on('roms').columns(['platform_id', 'dat_status']).execute();
  },
};
