import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { EngineCapabilities } from '../capabilities.ts';
import type { Db } from '../engine.ts';
import type { Database, SavesTable, SaveVersionsTable } from '../schema.ts';

export type SaveRow = Selectable<SavesTable>;
export type NewSave = Omit<Insertable<SavesTable>, 'id'> & { id?: number };
export type SaveChanges = Omit<Updateable<SavesTable>, 'id' | 'user_id' | 'rom_id' | 'created_at'>;
export type SaveVersionRow = Selectable<SaveVersionsTable>;
export type NewSaveVersion = Omit<Insertable<SaveVersionsTable>, 'id'>;

/** The owner fields DetailedRom's `all_user_*` lists add to each row. */
export interface AssetOwner {
  username: string;
  avatar_path: string;
  user_updated_at: number;
}

/** A device's sync mark of a save, with the device's name. */
export interface SaveSyncRow {
  device_id: string;
  device_name: string | null;
  last_synced_at: number;
  is_untracked: number;
}

/** The ROM fields an upload needs: its platform's folder names. */
export interface AssetRom {
  id: number;
  platform_id: number;
  fs_slug: string;
  slug: string;
}

export interface SaveFilter {
  romId?: number;
  platformId?: number;
  slot?: string;
}

/** MariaDB and PostgreSQL may hand back BIGINT columns as strings. */
function numericSave(r: SaveRow): SaveRow {
  return {
    ...r, id: Number(r.id), rom_id: Number(r.rom_id), user_id: Number(r.user_id), file_size_bytes: Number(r.file_size_bytes),
    missing_from_fs: Number(r.missing_from_fs), is_public: Number(r.is_public),
    created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  };
}

function numericVersion(r: SaveVersionRow): SaveVersionRow {
  return {
    ...r, id: Number(r.id), save_id: Number(r.save_id), user_id: Number(r.user_id), rom_id: Number(r.rom_id),
    file_size_bytes: Number(r.file_size_bytes), content_updated_at: Number(r.content_updated_at), created_at: Number(r.created_at),
  };
}


/**
 * Saves, their device sync marks and previous versions. Reads of a user's rows are scoped by the owner; only `find`
 * (public downloads) reads any row.
 */
export class SavesRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  async rom(romId: number): Promise<AssetRom | undefined> {
    const row = await this.db.selectFrom('roms').innerJoin('platforms', 'platforms.id', 'roms.platform_id')
      .select(['roms.id as id', 'roms.platform_id as platform_id', 'platforms.fs_slug as fs_slug', 'platforms.slug as slug'])
      .where('roms.id', '=', romId).executeTakeFirst();
    return row ? { ...row, id: Number(row.id), platform_id: Number(row.platform_id) } : undefined;
  }

  /** The user's saves, ordered by id. */
  async list(userId: number, f: SaveFilter = {}): Promise<SaveRow[]> {
    let q = this.db.selectFrom('saves').selectAll('saves').where('saves.user_id', '=', userId);
    if (f.romId) q = q.where('saves.rom_id', '=', f.romId);
    if (f.slot !== undefined) q = q.where('saves.slot', '=', f.slot);
    if (f.platformId) {
      q = q.innerJoin('roms', 'roms.id', 'saves.rom_id').where('roms.platform_id', '=', f.platformId);
    }
    return (await q.orderBy('saves.id').execute()).map(numericSave);
  }

  /** The user's saves of a ROM, newest first (`updated_at` desc, then id desc). */
  async forRom(userId: number, romId: number): Promise<SaveRow[]> {
    const rows = await this.db.selectFrom('saves').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(numericSave);
  }

  /** The ROM's saves the user may see: their own and other users' public ones, newest first, with their owners. */
  async sharedForRom(userId: number, romId: number): Promise<(SaveRow & AssetOwner)[]> {
    const rows = await this.db.selectFrom('saves').innerJoin('users', 'users.id', 'saves.user_id')
      .selectAll('saves').select(['users.username as username', 'users.avatar_path as avatar_path', 'users.updated_at as user_updated_at'])
      .where('saves.rom_id', '=', romId)
      .where((eb) => eb.or([eb('saves.user_id', '=', userId), eb('saves.is_public', '=', 1)]))
      .orderBy('saves.updated_at', 'desc').orderBy('saves.id', 'desc').execute();
    return rows.map((r) => ({ ...numericSave(r), username: r.username, avatar_path: r.avatar_path, user_updated_at: Number(r.user_updated_at) }));
  }

  async ids(userId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('saves').select('id').where('user_id', '=', userId).orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  /** Any user's save (the content route serves others' public saves). */
  async find(id: number): Promise<SaveRow | undefined> {
    const row = await this.db.selectFrom('saves').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? numericSave(row) : undefined;
  }

  /** Every save's id, owner and update time, for the start-up file check (one pass per start). */
  async stamps(): Promise<{ id: number; user_id: number; updated_at: number }[]> {
    const rows = await this.db.selectFrom('saves').select(['id', 'user_id', 'updated_at']).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), user_id: Number(r.user_id), updated_at: Number(r.updated_at) }));
  }

  async findOwned(userId: number, id: number): Promise<SaveRow | undefined> {
    const row = await this.db.selectFrom('saves').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row ? numericSave(row) : undefined;
  }

  async findByName(userId: number, romId: number, fileName: string, slot: string | null): Promise<SaveRow | undefined> {
    let q = this.db.selectFrom('saves').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .where('file_name', '=', fileName);
    q = slot === null ? q.where('slot', 'is', null) : q.where('slot', '=', slot);
    const row = await q.orderBy('id').executeTakeFirst();
    return row ? numericSave(row) : undefined;
  }

  async findByPath(userId: number, romId: number, filePath: string, fileName: string): Promise<SaveRow | undefined> {
    const row = await this.db.selectFrom('saves').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .where('file_path', '=', filePath).where('file_name', '=', fileName).orderBy('id').executeTakeFirst();
    return row ? numericSave(row) : undefined;
  }

  /** The user's saves of one slot of a ROM, newest first. */
  async inSlot(userId: number, romId: number, slot: string): Promise<SaveRow[]> {
    const rows = await this.db.selectFrom('saves').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .where('slot', '=', slot).orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(numericSave);
  }

  /** How many of the user's saves other than `exceptId` use this file. */
  async fileUsers(filePath: string, fileName: string, exceptId: number): Promise<number> {
    const row = await this.db.selectFrom('saves').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('file_path', '=', filePath).where('file_name', '=', fileName).where('id', '<>', exceptId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insert(row: NewSave): Promise<number> {
    const insert = this.db.insertInto('saves').values(row);
    if (!this.caps.insertReturning) return Number((await insert.executeTakeFirstOrThrow()).insertId ?? row.id ?? 0);
    return Number((await insert.returning('id').executeTakeFirstOrThrow()).id);
  }

  /**
   * Cached ROM lists (`has_saves`, `has_states`) follow asset changes: the owner's per-user version moves, and the
   * library version too when the asset is (or was) public, since other users see public ones.
   */
  async assetsChanged(userId: number, wasOrIsPublic: boolean): Promise<void> {
    if (wasOrIsPublic) {
      await sql`update library_version set version = version + 1 where id = 1`.execute(this.db);
      return;
    }
    const res = await sql`update rom_user_version set version = version + 1 where user_id = ${userId}`.execute(this.db);
    if (Number(res.numAffectedRows ?? 0) > 0) return;
    await sql`insert into rom_user_version (user_id, version) values (${userId}, 1)`.execute(this.db).catch(async () => {
      await sql`update rom_user_version set version = version + 1 where user_id = ${userId}`.execute(this.db);
    });
  }

  async update(id: number, set: SaveChanges): Promise<void> {
    await this.db.updateTable('saves').set(set).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('saves').where('id', '=', id).execute();
  }

  /** Bytes of the user's live saves, states and screenshots (versions are not counted). */
  async usage(userId: number): Promise<number> {
    const sum = async (table: 'saves' | 'states' | 'screenshots') => {
      const row = await this.db.selectFrom(table).select(sql<string | number | null>`sum(file_size_bytes)`.as('n'))
        .where('user_id', '=', userId).executeTakeFirst();
      return Number(row?.n ?? 0);
    };
    return (await sum('saves')) + (await sum('states')) + (await sum('screenshots'));
  }

  // Device sync marks

  async syncs(saveId: number): Promise<SaveSyncRow[]> {
    const rows = await this.db.selectFrom('device_save_sync').innerJoin('devices', 'devices.id', 'device_save_sync.device_id')
      .select(['device_save_sync.device_id as device_id', 'devices.name as device_name',
        'device_save_sync.last_synced_at as last_synced_at', 'device_save_sync.is_untracked as is_untracked'])
      .where('device_save_sync.save_id', '=', saveId)
      .orderBy('device_save_sync.last_synced_at', 'desc').orderBy('device_save_sync.device_id').execute();
    return rows.map((r) => ({ ...r, last_synced_at: Number(r.last_synced_at), is_untracked: Number(r.is_untracked) }));
  }

  async sync(deviceId: string, saveId: number): Promise<{ last_synced_at: number; is_untracked: number } | undefined> {
    const row = await this.db.selectFrom('device_save_sync').select(['last_synced_at', 'is_untracked'])
      .where('device_id', '=', deviceId).where('save_id', '=', saveId).executeTakeFirst();
    return row ? { last_synced_at: Number(row.last_synced_at), is_untracked: Number(row.is_untracked) } : undefined;
  }

  /** Writes the mark of (device, save): `lastSyncedAt` and `isUntracked` when given, creating the row when missing. */
  async upsertSync(deviceId: string, saveId: number, set: { lastSyncedAt?: number; isUntracked?: boolean }, now: number): Promise<void> {
    const changes = {
      ...(set.lastSyncedAt !== undefined ? { last_synced_at: set.lastSyncedAt } : {}),
      ...(set.isUntracked !== undefined ? { is_untracked: set.isUntracked ? 1 : 0 } : {}),
      updated_at: now,
    };
    const res = await this.db.updateTable('device_save_sync').set(changes)
      .where('device_id', '=', deviceId).where('save_id', '=', saveId).executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0 || (await this.sync(deviceId, saveId))) return;
    try {
      await this.db.insertInto('device_save_sync').values({
        device_id: deviceId, save_id: saveId, last_synced_at: set.lastSyncedAt ?? now,
        is_untracked: set.isUntracked ? 1 : 0, created_at: now, updated_at: now,
      }).execute();
    } catch (err) {
      // A concurrent writer created it: apply ours on top.
      if (!(await this.sync(deviceId, saveId))) throw err;
      await this.db.updateTable('device_save_sync').set(changes).where('device_id', '=', deviceId).where('save_id', '=', saveId).execute();
    }
  }

  async setUntracked(deviceId: string, saveId: number, untracked: boolean, now: number): Promise<boolean> {
    const res = await this.db.updateTable('device_save_sync').set({ is_untracked: untracked ? 1 : 0, updated_at: now })
      .where('device_id', '=', deviceId).where('save_id', '=', saveId).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** The user's device (id and name), or undefined. */
  async device(userId: number, id: string): Promise<{ id: string; name: string | null } | undefined> {
    return this.db.selectFrom('devices').select(['id', 'name']).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  }

  async touchDevice(userId: number, deviceId: string, now: number): Promise<void> {
    await this.db.updateTable('devices').set({ last_seen: now }).where('id', '=', deviceId).where('user_id', '=', userId).execute();
  }

  // Versions

  /** The user's versions of a save (the save may be gone), newest first. */
  async versions(userId: number, saveId: number): Promise<SaveVersionRow[]> {
    const rows = await this.db.selectFrom('save_versions').selectAll().where('user_id', '=', userId).where('save_id', '=', saveId)
      .orderBy('id', 'desc').execute();
    return rows.map(numericVersion);
  }

  /** The user's versions of saves that no longer exist (optionally of one ROM), by save id then newest first. */
  async deletedVersions(userId: number, romId?: number): Promise<SaveVersionRow[]> {
    let q = this.db.selectFrom('save_versions').selectAll('save_versions').where('save_versions.user_id', '=', userId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('saves').select('saves.id').whereRef('saves.id', '=', 'save_versions.save_id'))));
    if (romId) q = q.where('save_versions.rom_id', '=', romId);
    const rows = await q.orderBy('save_versions.save_id', 'desc').orderBy('save_versions.id', 'desc').execute();
    return rows.map(numericVersion);
  }

  async version(userId: number, saveId: number, versionId: number): Promise<SaveVersionRow | undefined> {
    const row = await this.db.selectFrom('save_versions').selectAll().where('user_id', '=', userId).where('save_id', '=', saveId)
      .where('id', '=', versionId).executeTakeFirst();
    return row ? numericVersion(row) : undefined;
  }

  async insertVersion(row: NewSaveVersion): Promise<void> {
    await this.db.insertInto('save_versions').values(row).execute();
  }

  async deleteVersion(id: number): Promise<void> {
    await this.db.deleteFrom('save_versions').where('id', '=', id).execute();
  }
}
