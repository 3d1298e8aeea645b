import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The few lookups behind "is this ROM hidden from the caller?" (RomM 5 hide lists). */
export class RomVisibilityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The ROM's platform id, or null when there is no such ROM. */
  async platformOfRom(romId: number): Promise<number | null> {
    const row = await this.db.selectFrom('roms').select('platform_id').where('id', '=', romId).executeTakeFirst();
    return row ? Number(row.platform_id) : null;
  }

  /** The ROM (and its platform) a RomFile belongs to, or null when there is no such file. */
  async romOfFile(fileId: number): Promise<{ romId: number; platformId: number } | null> {
    const row = await this.db.selectFrom('rom_files as f').innerJoin('roms as r', 'r.id', 'f.rom_id')
      .select(['r.id', 'r.platform_id']).where('f.id', '=', fileId).executeTakeFirst();
    return row ? { romId: Number(row.id), platformId: Number(row.platform_id) } : null;
  }

  /** Ids of every ROM on the given platforms (the ROMs a platform hide takes along). */
  async romIdsOnPlatforms(platformIds: readonly number[]): Promise<number[]> {
    if (platformIds.length === 0) return [];
    const rows = await this.db.selectFrom('roms').select('id').where('platform_id', 'in', [...platformIds]).execute();
    return rows.map((r) => Number(r.id));
  }
}
