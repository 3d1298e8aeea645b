import type { Migration } from '../migrator.ts';

/**
 * RomM 5's play sessions (one finished stretch of play, reported by a device or the web player) and the "now
 * playing" entries RomM keeps in Redis with a 90 s TTL. Here they are rows with `expires_at`, so every process
 * sharing the database sees them; expired rows are ignored by reads and purged lazily by writes.
 */
export const migration: Migration = {
  async up(db, d) {
    await d.id(d.createTable('play_sessions'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // No foreign key: with users → devices and users → play_sessions both cascading, InnoDB refuses a user delete
      // that would also set this column null. DevicesRepository.delete unlinks the sessions instead.
      .addColumn('device_id', 'varchar(36)')
      .addColumn('rom_id', 'integer', (c) => c.references('roms.id').onDelete('set null'))
      .addColumn('sync_session_id', 'integer')
      .addColumn('save_slot', 'varchar(255)')
      .addColumn('start_time', 'bigint', (c) => c.notNull())
      .addColumn('end_time', 'bigint', (c) => c.notNull())
      .addColumn('duration_ms', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // RomM's identity; NULL device or rom ids never collide, so the service also checks before inserting.
    await db.schema.createIndex('uq_play_session_identity').on('play_sessions')
      .columns(['user_id', 'device_id', 'rom_id', 'start_time']).unique().execute();
    await db.schema.createIndex('ix_play_sessions_user_rom').on('play_sessions').columns(['user_id', 'rom_id']).execute();
    await db.schema.createIndex('ix_play_sessions_user_time').on('play_sessions').columns(['user_id', 'start_time']).execute();

    await d.createTable('activity_entries')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('rom_id', 'integer', (c) => c.notNull().references('roms.id').onDelete('cascade'))
      .addColumn('device_type', 'varchar(50)', (c) => c.notNull())
      .addColumn('started_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_activity_entries', ['user_id', 'device_id'])
      .execute();
    await db.schema.createIndex('ix_activity_entries_rom').on('activity_entries').columns(['rom_id', 'expires_at']).execute();
    await db.schema.createIndex('ix_activity_entries_expires').on('activity_entries').column('expires_at').execute();
  },
};
