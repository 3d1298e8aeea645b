import type { Migration } from '../migrator.ts';

/**
 * RomM 5's sync sessions: one per save negotiation (or push-pull run) of a device, with its status and operation
 * counts. A session goes with its device and with its user.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.id(d.createTable('sync_sessions'))
      .addColumn('device_id', 'varchar(36)', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('PENDING'))
      .addColumn('initiated_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .addColumn('operations_planned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('operations_completed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('operations_failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error_message', 'varchar(1000)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ix_sync_sessions_user_initiated').on('sync_sessions').columns(['user_id', 'initiated_at']).execute();
    await db.schema.createIndex('ix_sync_sessions_device_status').on('sync_sessions').columns(['device_id', 'status']).execute();
  },
};
