import type { Kysely, Selectable } from 'kysely';
import { isDeadlock, isUniqueViolation, type EngineCapabilities } from '../capabilities.ts';
import type { Db } from '../engine.ts';
import type { ActivityEntriesTable, Database, PlaySessionsTable } from '../schema.ts';
import { insertReturningId, withDeadlockRetry } from './collections-sql.ts';

export type PlaySessionRow = Selectable<PlaySessionsTable>;
export type NewPlaySession = Omit<PlaySessionRow, 'id'>;
export type ActivityRow = Selectable<ActivityEntriesTable>;

/** The ROM fields an activity entry shows. */
export interface ActivityRomInfo {
  id: number;
  name: string | null;
  fs_name: string;
  path_cover_s: string | null;
  platform_slug: string;
  platform_name: string;
  platform_custom_name: string | null;
  /** JSON text. */
  ss_metadata: string;
  gamelist_metadata: string;
  path_screenshots: string;
}

export interface PlaySessionFilter {
  romId?: number | undefined;
  deviceId?: string | undefined;
  startAfter?: number | undefined;
  endBefore?: number | undefined;
  limit: number | null;
  offset: number;
}

/** `play_sessions` and `activity_entries`. Every play-session query is scoped by its owner. */
export class PlaySessionsRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  /** Which of `startTimes` the user already has for this device (null: no device) and ROM (null: none). */
  async existingStarts(userId: number, deviceId: string | null, romId: number | null, startTimes: number[]): Promise<Set<number>> {
    if (startTimes.length === 0) return new Set();
    let q = this.db.selectFrom('play_sessions').select('start_time').where('user_id', '=', userId).where('start_time', 'in', startTimes);
    q = deviceId === null ? q.where('device_id', 'is', null) : q.where('device_id', '=', deviceId);
    q = romId === null ? q.where('rom_id', 'is', null) : q.where('rom_id', '=', romId);
    return new Set((await q.execute()).map((r) => Number(r.start_time)));
  }

  /** The new row's id, or null when the same (user, device, rom, start) was inserted concurrently. */
  async insert(row: NewPlaySession): Promise<number | null> {
    try {
      return await insertReturningId(this.caps, this.db.insertInto('play_sessions').values(row));
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  list(userId: number, f: PlaySessionFilter): Promise<PlaySessionRow[]> {
    let q = this.db.selectFrom('play_sessions').selectAll().where('user_id', '=', userId);
    if (f.romId !== undefined) q = q.where('rom_id', '=', f.romId);
    if (f.deviceId !== undefined) q = q.where('device_id', '=', f.deviceId);
    if (f.startAfter !== undefined) q = q.where('start_time', '>=', f.startAfter);
    if (f.endBefore !== undefined) q = q.where('start_time', '<=', f.endBefore);
    q = q.orderBy('start_time', 'desc').orderBy('id', 'desc');
    // Every engine accepts OFFSET only after a LIMIT; "no limit" is the largest safe one.
    q = q.limit(f.limit ?? Number.MAX_SAFE_INTEGER).offset(f.offset);
    return q.execute();
  }

  async delete(userId: number, id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('play_sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Sum of `duration_ms` of the user's sessions of one ROM. */
  async totalPlayTime(userId: number, romId: number): Promise<number> {
    const row = await this.db.selectFrom('play_sessions').select((eb) => eb.fn.sum<string | number | null>('duration_ms').as('total'))
      .where('user_id', '=', userId).where('rom_id', '=', romId).executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /** Ids among `ids` that name existing ROMs. */
  async existingRomIds(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('roms').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => Number(r.id)));
  }

  async romInfo(romId: number): Promise<ActivityRomInfo | undefined> {
    const row = await this.db.selectFrom('roms as r').innerJoin('platforms as p', 'p.id', 'r.platform_id')
      .select(['r.id', 'r.name', 'r.fs_name', 'r.path_cover_s', 'p.slug as platform_slug', 'p.name as platform_name', 'p.custom_name as platform_custom_name',
        'r.ss_metadata', 'r.gamelist_metadata', 'r.path_screenshots'])
      .where('r.id', '=', romId).executeTakeFirst();
    return row ? { ...row, id: Number(row.id) } : undefined;
  }

  // --- activity ("now playing") ---

  async findActivity(userId: number, deviceId: string, now: number): Promise<ActivityRow | undefined> {
    return this.db.selectFrom('activity_entries').selectAll()
      .where('user_id', '=', userId).where('device_id', '=', deviceId).where('expires_at', '>', now).executeTakeFirst();
  }

  /**
   * Stores or refreshes the (user, device) entry; expired rows of everyone are purged on the way. Single statements,
   * no transaction: concurrent heartbeats must not lock ranges of the table against each other.
   */
  async putActivity(row: ActivityRow, now: number): Promise<void> {
    // The purge is housekeeping: losing a deadlock to a concurrent beat (InnoDB gap locks) only delays it.
    await this.db.deleteFrom('activity_entries').where('expires_at', '<=', now).execute()
      .catch((err: unknown) => { if (!isDeadlock(this.caps, err)) throw err; });
    const update = () => this.db.updateTable('activity_entries')
      .set({ rom_id: row.rom_id, device_type: row.device_type, started_at: row.started_at, expires_at: row.expires_at })
      .where('user_id', '=', row.user_id).where('device_id', '=', row.device_id).executeTakeFirst();
    // A deadlock victim's statement was rolled back whole: running the upsert again is safe.
    await withDeadlockRetry(this.caps, async () => {
      if (Number((await update()).numUpdatedRows) > 0) return;
      try {
        await this.db.insertInto('activity_entries').values(row).execute();
      } catch (err) {
        // The same (user, device) was inserted meanwhile: this beat is the newer one.
        if (!isUniqueViolation(err)) throw err;
        await update();
      }
    });
  }

  /** Removes the live (user, device) entry; answers the ROM it was for, or null when none was live. */
  async clearActivity(userId: number, deviceId: string, now: number): Promise<number | null> {
    const live = await this.findActivity(userId, deviceId, now);
    await this.db.deleteFrom('activity_entries').where('user_id', '=', userId).where('device_id', '=', deviceId).execute();
    return live ? Number(live.rom_id) : null;
  }

  /** Live entries (of one ROM when given), with the user's name and avatar, oldest start first. */
  listActivity(now: number, romId?: number) {
    let q = this.db.selectFrom('activity_entries as a').innerJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.user_id', 'a.device_id', 'a.rom_id', 'a.device_type', 'a.started_at', 'u.username', 'u.avatar_path'])
      .where('a.expires_at', '>', now);
    if (romId !== undefined) q = q.where('a.rom_id', '=', romId);
    return q.orderBy('a.started_at').orderBy('a.user_id').orderBy('a.device_id').execute();
  }
}
