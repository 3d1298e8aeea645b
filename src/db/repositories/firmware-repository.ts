import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, FirmwareTable } from '../schema.ts';

export type FirmwareRow = Selectable<FirmwareTable>;
export type NewFirmware = Omit<Insertable<FirmwareTable>, 'id'>;
export type FirmwareUpdate = Omit<Updateable<FirmwareTable>, 'id' | 'platform_id' | 'file_name' | 'created_at'>;

/** The platform fields firmware needs: its folder (`fs_slug`) and the slug known-BIOS lists are keyed by. */
export interface FirmwarePlatform {
  id: number;
  slug: string;
  fs_slug: string;
}

/** Binary order of file names, the same on every engine (their collations differ). */
export const byFileName = (a: FirmwareRow, b: FirmwareRow): number =>
  a.file_name < b.file_name ? -1 : a.file_name > b.file_name ? 1 : a.id - b.id;

/** Firmware rows. Lists are small (hundreds), so they are ordered here rather than by each engine's collation. */
export class FirmwareRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every row, or one platform's rows, without the platforms in `hiddenPlatformIds`; ordered by file name. */
  async list(platformId?: number, hiddenPlatformIds: readonly number[] = []): Promise<FirmwareRow[]> {
    let q = this.db.selectFrom('firmware').selectAll();
    if (platformId !== undefined) q = q.where('platform_id', '=', platformId);
    if (hiddenPlatformIds.length > 0) q = q.where('platform_id', 'not in', [...hiddenPlatformIds]);
    return (await q.execute()).map(numeric).sort(byFileName);
  }

  /** The rows of these platforms, grouped by platform and ordered by file name within each. */
  async byPlatforms(platformIds: readonly number[]): Promise<Map<number, FirmwareRow[]>> {
    const out = new Map<number, FirmwareRow[]>();
    if (platformIds.length === 0) return out;
    const rows = await this.db.selectFrom('firmware').selectAll().where('platform_id', 'in', [...platformIds]).execute();
    for (const row of rows.map(numeric).sort(byFileName)) {
      const list = out.get(row.platform_id) ?? [];
      list.push(row);
      out.set(row.platform_id, list);
    }
    return out;
  }

  async get(id: number): Promise<FirmwareRow | undefined> {
    const row = await this.db.selectFrom('firmware').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? numeric(row) : undefined;
  }

  async findByName(platformId: number, fileName: string): Promise<FirmwareRow | undefined> {
    const row = await this.db.selectFrom('firmware').selectAll()
      .where('platform_id', '=', platformId).where('file_name', '=', fileName).executeTakeFirst();
    return row ? numeric(row) : undefined;
  }

  /**
   * Writes the row of `(platform_id, file_name)`: updates the existing one (its id and `created_at` are kept) or
   * inserts it. An insert that loses a race with another writer of the same name becomes an update.
   */
  async save(row: NewFirmware): Promise<{ id: number; created: boolean }> {
    const { platform_id, file_name, created_at: _created, ...set } = row;
    const update = async () => {
      const res = await this.db.updateTable('firmware').set(set)
        .where('platform_id', '=', platform_id).where('file_name', '=', file_name).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    };
    if (!(await update())) {
      try {
        await this.db.insertInto('firmware').values(row).execute();
        const inserted = await this.findByName(platform_id, file_name);
        if (inserted) return { id: inserted.id, created: true };
      } catch (err) {
        if (!(await update())) throw err;
      }
    }
    const existing = await this.findByName(platform_id, file_name);
    if (!existing) throw new Error(`firmware ${file_name} was not written`);
    return { id: existing.id, created: false };
  }

  async update(id: number, set: FirmwareUpdate): Promise<void> {
    await this.db.updateTable('firmware').set(set).where('id', '=', id).execute();
  }

  /** Flags the platform's rows whose file name is not in `present`; returns the names newly flagged. */
  async markMissing(platformId: number, present: ReadonlySet<string>, now: number): Promise<string[]> {
    const rows = await this.db.selectFrom('firmware').select(['id', 'file_name'])
      .where('platform_id', '=', platformId).where('missing_from_fs', '=', 0).execute();
    const gone = rows.filter((r) => !present.has(r.file_name));
    for (let i = 0; i < gone.length; i += 500) {
      await this.db.updateTable('firmware').set({ missing_from_fs: 1, updated_at: now })
        .where('id', 'in', gone.slice(i, i + 500).map((r) => r.id)).execute();
    }
    return gone.map((r) => r.file_name);
  }

  async delete(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('firmware').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async platform(id: number): Promise<FirmwarePlatform | undefined> {
    return this.db.selectFrom('platforms').select(['id', 'slug', 'fs_slug']).where('id', '=', id).executeTakeFirst();
  }
}

/** MariaDB and PostgreSQL may hand back BIGINT columns as strings. */
function numeric(row: FirmwareRow): FirmwareRow {
  return {
    ...row,
    file_size_bytes: Number(row.file_size_bytes),
    is_verified: Number(row.is_verified),
    missing_from_fs: Number(row.missing_from_fs),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}
