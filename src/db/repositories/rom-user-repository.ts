import type { Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../engine.ts';
import type { Database, RomUserTable } from '../schema.ts';

export type RomUserRecord = Selectable<RomUserTable>;
export type RomUserSet = Updateable<RomUserTable>;

/** Provider ids that make two ROMs of one platform siblings (spec §8.7). */
const SIBLING_ID_COLUMNS = ['igdb_id', 'moby_id', 'ss_id', 'launchbox_id', 'ra_id', 'hasheous_id', 'tgdb_id'] as const;

/** Per-user ROM rows (`rom_user`): always addressed by (rom_id, user_id), never by a client-supplied row id. */
export class RomUserRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Db) {
    this.db = db.kysely;
  }

  find(romId: number, userId: number): Promise<RomUserRecord | undefined> {
    return this.db.selectFrom('rom_user').selectAll().where('rom_id', '=', romId).where('user_id', '=', userId).executeTakeFirst();
  }

  /** The caller's row, created with defaults when missing (a concurrent insert of the same row is tolerated). */
  async findOrCreate(romId: number, userId: number, now: number): Promise<RomUserRecord> {
    const existing = await this.find(romId, userId);
    if (existing) return existing;
    try {
      await this.db.insertInto('rom_user').values({
        rom_id: romId, user_id: userId, is_main_sibling: 0, last_played: null, backlogged: 0, now_playing: 0,
        hidden: 0, rating: 0, difficulty: 0, completion: 0, status: null, created_at: now, updated_at: now,
      }).execute();
    } catch (err) {
      // Unique (rom_id, user_id): someone else created it first; use theirs.
      const raced = await this.find(romId, userId);
      if (raced) return raced;
      throw err;
    }
    const created = await this.find(romId, userId);
    if (!created) throw new Error(`rom_user row for rom ${romId} vanished`);
    return created;
  }

  async update(romId: number, userId: number, set: RomUserSet): Promise<void> {
    await this.db.updateTable('rom_user').set(set).where('rom_id', '=', romId).where('user_id', '=', userId).execute();
  }

  /** Ids of the ROM's siblings: same platform, any shared non-null provider id. */
  async siblingIds(romId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('roms as r1')
      .innerJoin('roms as r2', (j) => j.onRef('r2.platform_id', '=', 'r1.platform_id').onRef('r2.id', '<>', 'r1.id'))
      .select('r2.id as id')
      .where('r1.id', '=', romId)
      .where(sql<boolean>`(${sql.join(SIBLING_ID_COLUMNS.map((c) => sql`r1.${sql.ref(c)} = r2.${sql.ref(c)}`), sql` or `)})`)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  async clearMainSibling(userId: number, romIds: number[], now: number): Promise<void> {
    if (romIds.length === 0) return;
    await this.db.updateTable('rom_user').set({ is_main_sibling: 0, updated_at: now })
      .where('user_id', '=', userId).where('rom_id', 'in', romIds).where('is_main_sibling', '=', 1)
      .execute();
  }
}
