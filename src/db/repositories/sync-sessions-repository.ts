import type { Kysely, Selectable } from 'kysely';
import type { EngineCapabilities } from '../capabilities.ts';
import type { Db } from '../engine.ts';
import type { Database, DevicesTable, SyncSessionsTable } from '../schema.ts';
import { insertReturningId } from './collections-sql.ts';

export type SyncSessionRow = Selectable<SyncSessionsTable>;
export type SyncStatus = SyncSessionsTable['status'];

const ACTIVE: SyncStatus[] = ['PENDING', 'IN_PROGRESS'];

/** MariaDB and PostgreSQL may hand back BIGINT columns as strings. */
function numeric(r: SyncSessionRow): SyncSessionRow {
  return {
    ...r, id: Number(r.id), user_id: Number(r.user_id), initiated_at: Number(r.initiated_at),
    completed_at: r.completed_at === null ? null : Number(r.completed_at),
    operations_planned: Number(r.operations_planned), operations_completed: Number(r.operations_completed),
    operations_failed: Number(r.operations_failed), created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  };
}

/** A device's save sync sessions and the device sync marks negotiation reads. Every query is scoped by the owner. */
export class SyncSessionsRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  /** Ends the device's pending and running sessions as CANCELLED; how many. */
  async cancelActive(userId: number, deviceId: string, now: number): Promise<number> {
    const res = await this.db.updateTable('sync_sessions').set({ status: 'CANCELLED', completed_at: now, updated_at: now })
      .where('user_id', '=', userId).where('device_id', '=', deviceId).where('status', 'in', ACTIVE).executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async create(userId: number, deviceId: string, now: number): Promise<SyncSessionRow> {
    const id = await insertReturningId(this.caps, this.db.insertInto('sync_sessions').values({
      device_id: deviceId, user_id: userId, status: 'PENDING', initiated_at: now, completed_at: null,
      operations_planned: 0, operations_completed: 0, operations_failed: 0, error_message: null, created_at: now, updated_at: now,
    }));
    return (await this.find(userId, id))!;
  }

  async find(userId: number, id: number): Promise<SyncSessionRow | undefined> {
    const row = await this.db.selectFrom('sync_sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row ? numeric(row) : undefined;
  }

  /** Newest first (`initiated_at` desc, then id desc). */
  async list(userId: number, deviceId: string | undefined, limit: number): Promise<SyncSessionRow[]> {
    let q = this.db.selectFrom('sync_sessions').selectAll().where('user_id', '=', userId);
    if (deviceId !== undefined) q = q.where('device_id', '=', deviceId);
    const rows = await q.orderBy('initiated_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(numeric);
  }

  /** Running, with its planned operation count; a session already ended (e.g. cancelled meanwhile) stays ended. */
  async start(userId: number, id: number, planned: number, now: number): Promise<void> {
    await this.db.updateTable('sync_sessions').set({ status: 'IN_PROGRESS', operations_planned: planned, updated_at: now })
      .where('id', '=', id).where('user_id', '=', userId).where('status', 'in', ACTIVE).execute();
  }

  /**
   * Completes the session if it is still pending or running, overwriting its counters; false when it was not (a
   * concurrent negotiate cancelled it, or a concurrent complete won).
   */
  async complete(userId: number, id: number, completed: number, failed: number, now: number, errorMessage?: string): Promise<boolean> {
    const res = await this.db.updateTable('sync_sessions')
      .set({
        status: 'COMPLETED', completed_at: now, operations_completed: completed, operations_failed: failed, updated_at: now,
        ...(errorMessage === undefined ? {} : { error_message: errorMessage.slice(0, 2000) }),
      })
      .where('id', '=', id).where('user_id', '=', userId).where('status', 'in', ACTIVE).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Ends a session as FAILED with its error; its counters are kept as they are. */
  async fail(userId: number, id: number, message: string, now: number): Promise<void> {
    await this.db.updateTable('sync_sessions')
      .set({ status: 'FAILED', completed_at: now, error_message: message.slice(0, 2000), updated_at: now })
      .where('id', '=', id).where('user_id', '=', userId).where('status', 'in', ACTIVE).execute();
  }

  /** One more operation done through the session (an upload or download naming it); the owner's sessions only. */
  async incrementCompleted(userId: number, id: number, now: number): Promise<void> {
    await this.db.updateTable('sync_sessions')
      .set((eb) => ({ operations_completed: eb('operations_completed', '+', 1), updated_at: now }))
      .where('id', '=', id).where('user_id', '=', userId).execute();
  }

  /** The user's saves that have a slot: negotiation's server side. */
  async slottedSaves(userId: number): Promise<SlottedSave[]> {
    const rows = await this.db.selectFrom('saves')
      .select(['id', 'rom_id', 'file_name', 'slot', 'emulator', 'content_hash', 'updated_at'])
      .where('user_id', '=', userId).where('slot', 'is not', null).orderBy('id').execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), rom_id: Number(r.rom_id), slot: r.slot!, updated_at: Number(r.updated_at) }));
  }

  /**
   * A device by id, whoever owns it: the sync transports find a device from its folder name (file transfer) or from
   * the list of push-pull devices, and act as its owner.
   */
  async transportDevice(id: string): Promise<TransportDevice | undefined> {
    const row = await this.db.selectFrom('devices').select(['id', 'user_id', 'sync_mode', 'sync_enabled', 'sync_config'])
      .where('id', '=', id).executeTakeFirst();
    return row ? transportDevice(row) : undefined;
  }

  async transportDevicesByMode(mode: string): Promise<TransportDevice[]> {
    const rows = await this.db.selectFrom('devices').select(['id', 'user_id', 'sync_mode', 'sync_enabled', 'sync_config'])
      .where('sync_mode', '=', mode).orderBy('created_at').orderBy('id').execute();
    return rows.map(transportDevice);
  }

  async platformIdByFsSlug(fsSlug: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('platforms').select('id').where('fs_slug', '=', fsSlug).orderBy('id').executeTakeFirst();
    return row ? Number(row.id) : undefined;
  }

  /** The user's saves with a slot of ROMs of a platform: what a sync transport pairs device files with by name. */
  async slottedSavesOfPlatform(userId: number, platformId: number): Promise<SlottedSave[]> {
    const rows = await this.db.selectFrom('saves').innerJoin('roms', 'roms.id', 'saves.rom_id')
      .select(['saves.id as id', 'saves.rom_id as rom_id', 'saves.file_name as file_name', 'saves.slot as slot', 'saves.emulator as emulator',
        'saves.content_hash as content_hash', 'saves.updated_at as updated_at'])
      .where('saves.user_id', '=', userId).where('roms.platform_id', '=', platformId).where('saves.slot', 'is not', null)
      .orderBy('saves.id').execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), rom_id: Number(r.rom_id), slot: r.slot!, updated_at: Number(r.updated_at) }));
  }

  /** The device's sync marks of the user's saves, by save id. */
  async syncMarks(userId: number, deviceId: string): Promise<Map<number, { last_synced_at: number; is_untracked: boolean }>> {
    const rows = await this.db.selectFrom('device_save_sync').innerJoin('saves', 'saves.id', 'device_save_sync.save_id')
      .select(['device_save_sync.save_id as save_id', 'device_save_sync.last_synced_at as last_synced_at', 'device_save_sync.is_untracked as is_untracked'])
      .where('device_save_sync.device_id', '=', deviceId).where('saves.user_id', '=', userId).execute();
    return new Map(rows.map((r) => [Number(r.save_id), { last_synced_at: Number(r.last_synced_at), is_untracked: Number(r.is_untracked) === 1 }]));
  }
}

export interface SlottedSave {
  id: number;
  rom_id: number;
  file_name: string;
  slot: string;
  emulator: string | null;
  content_hash: string | null;
  updated_at: number;
}

/** What the sync transports read of a device. */
export interface TransportDevice {
  id: string;
  user_id: number;
  sync_mode: string;
  sync_enabled: boolean;
  /** The parsed `sync_config` object; {} when absent or not an object. */
  sync_config: Record<string, unknown>;
}

function transportDevice(r: Pick<Selectable<DevicesTable>, 'id' | 'user_id' | 'sync_mode' | 'sync_enabled' | 'sync_config'>): TransportDevice {
  let config: unknown = null;
  try {
    config = r.sync_config ? JSON.parse(r.sync_config) : null;
  } catch {
    config = null;
  }
  return {
    id: r.id, user_id: Number(r.user_id), sync_mode: r.sync_mode, sync_enabled: !!Number(r.sync_enabled),
    sync_config: config && typeof config === 'object' && !Array.isArray(config) ? config as Record<string, unknown> : {},
  };
}
