import type { Migration } from '../migrator.ts';

/**
 * Device-code authorization (RFC 8628, RomM's `/api/auth/device/*`): pending codes, the devices they sign in, and the
 * binding of a client token to its device. Codes live in the database so every process sharing it sees them.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.createTable('devices')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('client', 'varchar(50)', (c) => c.notNull())
      .addColumn('platform', 'varchar(50)')
      .addColumn('client_version', 'varchar(50)')
      .addColumn('client_device_identifier', 'varchar(255)', (c) => c.notNull())
      .addColumn('sync_mode', 'varchar(20)', (c) => c.notNull())
      .addColumn('last_seen', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_devices_user_identifier').on('devices')
      .columns(['user_id', 'client_device_identifier']).execute();

    await db.schema.alterTable('client_tokens').addColumn('device_id', 'varchar(36)').execute();

    // Only the device code's hash is kept: it is the secret the device polls with.
    await d.createTable('device_codes')
      .addColumn('device_code_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_code', 'varchar(8)', (c) => c.notNull().unique())
      .addColumn('status', 'varchar(10)', (c) => c.notNull())
      .addColumn('client_device_identifier', 'varchar(255)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('client', 'varchar(50)', (c) => c.notNull())
      .addColumn('platform', 'varchar(50)')
      .addColumn('client_version', 'varchar(50)')
      .addColumn('requested_scopes', 'varchar(1000)', (c) => c.notNull())
      .addColumn('client_token_id', 'integer')
      .addColumn('last_poll_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_device_codes_expires').on('device_codes').column('expires_at').execute();
  },
};
