import type { Migration } from '../migrator.ts';

/**
 * One name per owner for regular and smart collections. RomM only checks on create (a race makes duplicates);
 * a unique index makes the 409 hold under concurrent creates and renames too.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.createIndex('uq_collections_user_name').on('collections').columns(['user_id', 'name']).unique().execute();
    await db.schema.createIndex('uq_smart_collections_user_name').on('smart_collections').columns(['user_id', 'name']).unique().execute();
  },
};
