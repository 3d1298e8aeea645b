import type { CreateTableBuilder } from 'kysely';
import type { Migration } from '../migrator.ts';
import type { Ddl } from '../ddl.ts';

/** The file columns every asset row shares (RomM's `BaseAsset`); `file_path` is relative to `DATA_PATH/assets`. */
function assetColumns<T extends string>(d: Ddl, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, never> {
  return d.id(t)
    .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('file_name', 'varchar(450)', (c) => c.notNull())
    .addColumn('file_name_no_tags', 'varchar(450)', (c) => c.notNull())
    .addColumn('file_name_no_ext', 'varchar(450)', (c) => c.notNull())
    .addColumn('file_extension', 'varchar(100)', (c) => c.notNull())
    .addColumn('file_path', 'varchar(1000)', (c) => c.notNull())
    .addColumn('file_size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('missing_from_fs', 'smallint', d.bool);
}

/** A previous content of a save or state, kept after an overwrite or delete; `save_id`/`state_id` outlive their row. */
function versionColumns<T extends string>(d: Ddl, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, never> {
  return d.id(t)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
    .addColumn('file_name', 'varchar(450)', (c) => c.notNull())
    .addColumn('file_path', 'varchar(1000)', (c) => c.notNull())
    .addColumn('emulator', 'varchar(50)')
    .addColumn('storage_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('file_size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'varchar(32)')
    .addColumn('reason', 'varchar(20)', (c) => c.notNull())
    .addColumn('content_updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull());
}

/**
 * RomM's per-user assets: saves, states and screenshots of a ROM, the device sync marks of saves, and romshelf's
 * previous versions of saves and states (kept on overwrite and delete, pruned by count and age).
 */
export const migration: Migration = {
  async up(db, d) {
    await assetColumns(d, d.createTable('saves'))
      .addColumn('emulator', 'varchar(50)')
      .addColumn('slot', 'varchar(255)')
      .addColumn('content_hash', 'varchar(32)')
      .addColumn('origin_device_id', 'varchar(36)', (c) => c.references('devices.id').onDelete('set null'))
      .addColumn('is_public', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_saves_user_rom').on('saves').columns(['user_id', 'rom_id']).execute();
    await db.schema.createIndex('idx_saves_rom').on('saves').columns(['rom_id']).execute();

    await assetColumns(d, d.createTable('states'))
      .addColumn('emulator', 'varchar(50)')
      .addColumn('content_hash', 'varchar(32)')
      .addColumn('is_public', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_states_user_rom').on('states').columns(['user_id', 'rom_id']).execute();
    await db.schema.createIndex('idx_states_rom').on('states').columns(['rom_id']).execute();

    await assetColumns(d, d.createTable('screenshots'))
      .addColumn('is_gallery', 'smallint', d.bool)
      .addColumn('is_public', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_screenshots_user_rom').on('screenshots').columns(['user_id', 'rom_id']).execute();
    await db.schema.createIndex('idx_screenshots_rom').on('screenshots').columns(['rom_id']).execute();

    await d.createTable('device_save_sync')
      .addColumn('device_id', 'varchar(36)', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('save_id', 'integer', (c) => c.notNull().references('saves.id').onDelete('cascade'))
      .addColumn('last_synced_at', 'bigint', (c) => c.notNull())
      .addColumn('is_untracked', 'smallint', d.bool)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_device_save_sync', ['device_id', 'save_id'])
      .execute();
    await db.schema.createIndex('idx_device_save_sync_save').on('device_save_sync').columns(['save_id']).execute();

    await versionColumns(d, d.createTable('save_versions'))
      .addColumn('save_id', 'integer', (c) => c.notNull())
      .addColumn('slot', 'varchar(255)')
      .execute();
    await db.schema.createIndex('idx_save_versions_save').on('save_versions').columns(['save_id', 'id']).execute();
    await db.schema.createIndex('idx_save_versions_user').on('save_versions').columns(['user_id']).execute();

    await versionColumns(d, d.createTable('state_versions'))
      .addColumn('state_id', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_state_versions_state').on('state_versions').columns(['state_id', 'id']).execute();
    await db.schema.createIndex('idx_state_versions_user').on('state_versions').columns(['user_id']).execute();
  },
};
