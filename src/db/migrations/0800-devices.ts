import { sql } from 'kysely';
import type { Migration } from '../migrator.ts';

/**
 * RomM's full `devices` row: network fingerprint (IP, MAC, hostname), sync switch and settings, and every
 * descriptive column nullable, as apps register devices with only some of them. The table is rebuilt (SQLite cannot
 * relax NOT NULL in place); nothing references it by foreign key.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.createTable('devices_next')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)')
      .addColumn('platform', 'varchar(50)')
      .addColumn('client', 'varchar(50)')
      .addColumn('client_version', 'varchar(50)')
      .addColumn('ip_address', 'varchar(45)')
      .addColumn('mac_address', 'varchar(17)')
      .addColumn('hostname', 'varchar(255)')
      .addColumn('client_device_identifier', 'varchar(255)')
      .addColumn('sync_mode', 'varchar(20)', (c) => c.notNull().defaultTo('api'))
      .addColumn('sync_enabled', 'smallint', (c) => c.notNull().defaultTo(1))
      .addColumn('sync_config', 'text')
      .addColumn('last_seen', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into devices_next (id, user_id, name, platform, client, client_version, client_device_identifier,
      sync_mode, sync_enabled, last_seen, created_at, updated_at)
      select id, user_id, name, platform, client, client_version, client_device_identifier, sync_mode, 1, last_seen,
      created_at, updated_at from devices`.execute(db);
    await db.schema.dropTable('devices').execute();
    await db.schema.alterTable('devices_next').renameTo('devices').execute();
    // Unique per user; NULL identifiers may repeat on every engine.
    await db.schema.createIndex('uq_devices_user_identifier').on('devices').columns(['user_id', 'client_device_identifier']).unique().execute();
    await db.schema.createIndex('idx_devices_user_mac').on('devices').columns(['user_id', 'mac_address']).execute();
    await db.schema.createIndex('idx_devices_user_host').on('devices').columns(['user_id', 'hostname', 'platform']).execute();
  },
};
