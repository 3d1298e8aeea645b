import type { Migration } from '../migrator.ts';

/**
 * The position of each `<GameImage>` in Metadata.xml: when two covers tie (same type, no preferred region), the one
 * listed first wins, as in RomM, and SQL returns rows in no particular order without a column to sort on.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable('launchbox_images').addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
