import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PlatformsTable } from '../schema.ts';
import { NOTHING_HIDDEN, platformNotHidden, type HiddenSets } from './hidden.ts';

export type PlatformRow = Selectable<PlatformsTable>;

/** A platform row with RomM's computed `rom_count` and `fs_size_bytes`. */
export interface PlatformWithStats extends PlatformRow {
  rom_count: number;
  fs_size_bytes: number;
}

export type NewPlatform = Omit<PlatformRow, 'id'>;

export class PlatformsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private withStats() {
    // One grouped pass over roms instead of a count per platform.
    const stats = this.db.selectFrom('roms')
      .select(['platform_id', (eb) => eb.fn.countAll<number>().as('rom_count'),
        (eb) => eb.fn.coalesce(eb.fn.sum<number>('fs_size_bytes'), sql<number>`0`).as('fs_size_bytes')])
      .groupBy('platform_id')
      .as('s');
    return this.db.selectFrom('platforms')
      .leftJoin(stats, 's.platform_id', 'platforms.id')
      .selectAll('platforms')
      .select([
        (eb) => eb.fn.coalesce('s.rom_count', sql<number>`0`).as('rom_count'),
        (eb) => eb.fn.coalesce('s.fs_size_bytes', sql<number>`0`).as('fs_size_bytes'),
      ]);
  }

  /** `hidden`: platforms hidden from the caller are left out (RomM 5); nothing is added without hides. */
  async list(updatedAfter?: number, hidden: HiddenSets = NOTHING_HIDDEN): Promise<PlatformWithStats[]> {
    let q = this.withStats();
    if (updatedAfter !== undefined) q = q.where('platforms.updated_at', '>', updatedAfter);
    if (hidden.platformIds.length > 0) q = q.where(platformNotHidden(hidden, 'platforms.id'));
    const rows = await q.orderBy('platforms.name').orderBy('platforms.id').execute();
    return rows.map(numeric);
  }

  async get(id: number): Promise<PlatformWithStats | undefined> {
    const row = await this.withStats().where('platforms.id', '=', id).executeTakeFirst();
    return row ? numeric(row) : undefined;
  }

  async identifiers(hidden: HiddenSets = NOTHING_HIDDEN): Promise<number[]> {
    let q = this.db.selectFrom('platforms').select('id');
    if (hidden.platformIds.length > 0) q = q.where(platformNotHidden(hidden, 'id'));
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  findByFsSlug(fsSlug: string): Promise<PlatformRow | undefined> {
    return this.db.selectFrom('platforms').selectAll().where('fs_slug', '=', fsSlug).executeTakeFirst();
  }

  /** Inserts the platform unless a row with its fs_slug exists; returns the row's id either way. */
  async ensure(platform: NewPlatform): Promise<{ id: number; created: boolean }> {
    const existing = await this.findByFsSlug(platform.fs_slug);
    if (existing) return { id: existing.id, created: false };
    await this.db.insertInto('platforms').values(platform).execute();
    const row = await this.findByFsSlug(platform.fs_slug);
    if (!row) throw new Error(`platform ${platform.fs_slug} was not inserted`);
    return { id: row.id, created: true };
  }

  /** RomM's `PUT /api/platforms/{id}`: only the given fields change. */
  async update(id: number, fields: { custom_name?: string; description?: string }, now: number): Promise<void> {
    await this.db.updateTable('platforms').set({ ...fields, updated_at: now }).where('id', '=', id).execute();
  }

  /**
   * Deletes the platform's ROM rows, then the platform row, in one transaction (RomM's order). ROM files, facets,
   * per-user rows and collection links go with the ROMs by FK cascade. Returns whether the platform existed.
   */
  async delete(id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('roms').where('platform_id', '=', id).execute();
      await trx.deleteFrom('firmware').where('platform_id', '=', id).execute();
      const result = await trx.deleteFrom('platforms').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async setMissing(id: number, missing: boolean, now: number): Promise<void> {
    await this.db.updateTable('platforms').set({ missing_from_fs: missing ? 1 : 0, updated_at: now })
      .where('id', '=', id).execute();
  }
}

/** PostgreSQL's SUM is NUMERIC and MariaDB's DECIMAL: every engine answers numbers. */
function numeric<T extends { rom_count: unknown; fs_size_bytes: unknown }>(row: T): T & { rom_count: number; fs_size_bytes: number } {
  return { ...row, rom_count: Number(row.rom_count), fs_size_bytes: Number(row.fs_size_bytes) };
}
