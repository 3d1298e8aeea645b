import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Db } from '../engine.ts';
import type { Database, ScreenshotsTable } from '../schema.ts';
import type { AssetOwner } from './saves-repository.ts';

export type ScreenshotRow = Selectable<ScreenshotsTable>;
export type NewScreenshot = Omit<Insertable<ScreenshotsTable>, 'id'>;

/** MariaDB and PostgreSQL may hand back BIGINT columns as strings. */
function numericScreenshot(r: ScreenshotRow): ScreenshotRow {
  return {
    ...r, id: Number(r.id), rom_id: Number(r.rom_id), user_id: Number(r.user_id), file_size_bytes: Number(r.file_size_bytes),
    missing_from_fs: Number(r.missing_from_fs), is_gallery: Number(r.is_gallery), is_public: Number(r.is_public),
    created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  };
}

/**
 * Screenshot rows: the gallery and the thumbnails paired with saves and states (by file name), one place for the
 * saves, states and screenshots services. Reads of a user's rows are scoped by the owner; `screenshot` (public
 * content) reads any row.
 */
export class ScreenshotsRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Db) {
    this.db = db.kysely;
  }

  async screenshot(id: number): Promise<ScreenshotRow | undefined> {
    const row = await this.db.selectFrom('screenshots').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? numericScreenshot(row) : undefined;
  }

  /** The user's screenshots of a ROM, newest first (`created_at` desc, id desc). */
  async screenshotsForRom(userId: number, romId: number): Promise<ScreenshotRow[]> {
    const rows = await this.db.selectFrom('screenshots').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(numericScreenshot);
  }

  /** Gallery screenshots of the ROM the user may see: own and others' public, newest first, with their owners. */
  async sharedGallery(userId: number, romId: number): Promise<(ScreenshotRow & AssetOwner)[]> {
    const rows = await this.db.selectFrom('screenshots').innerJoin('users', 'users.id', 'screenshots.user_id')
      .selectAll('screenshots').select(['users.username as username', 'users.avatar_path as avatar_path', 'users.updated_at as user_updated_at'])
      .where('screenshots.rom_id', '=', romId).where('screenshots.is_gallery', '=', 1)
      .where((eb) => eb.or([eb('screenshots.user_id', '=', userId), eb('screenshots.is_public', '=', 1)]))
      .orderBy('screenshots.created_at', 'desc').orderBy('screenshots.id', 'desc').execute();
    return rows.map((r) => ({ ...numericScreenshot(r), username: r.username, avatar_path: r.avatar_path, user_updated_at: Number(r.user_updated_at) }));
  }

  /** The owner's screenshots of a ROM whose name matches one of `names` (file name or name without extension). */
  async screenshotsNamed(userId: number, romId: number, names: readonly string[]): Promise<ScreenshotRow[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom('screenshots').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .where((eb) => eb.or([eb('file_name', 'in', [...names]), eb('file_name_no_ext', 'in', [...names])]))
      .orderBy('id', 'desc').execute();
    return rows.map(numericScreenshot);
  }

  async screenshotByName(userId: number, romId: number, fileName: string): Promise<ScreenshotRow | undefined> {
    const row = await this.db.selectFrom('screenshots').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .where('file_name', '=', fileName).orderBy('id').executeTakeFirst();
    return row ? numericScreenshot(row) : undefined;
  }

  async insertScreenshot(row: NewScreenshot): Promise<void> {
    await this.db.insertInto('screenshots').values(row).execute();
  }

  async updateScreenshot(id: number, set: Updateable<ScreenshotsTable>): Promise<void> {
    await this.db.updateTable('screenshots').set(set).where('id', '=', id).execute();
  }

  async deleteScreenshot(id: number): Promise<void> {
    await this.db.deleteFrom('screenshots').where('id', '=', id).execute();
  }
}
