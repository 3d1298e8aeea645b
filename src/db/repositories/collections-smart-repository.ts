import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Db, EngineCapabilities } from '../engine.ts';
import type { Database, SmartCollectionsTable } from '../schema.ts';
import { insertReturningId } from './collections-sql.ts';
import { visibleTo } from './visibility.ts';

export type SmartCollectionRow = Selectable<SmartCollectionsTable> & { owner_username: string };
export type NewSmartCollection = Omit<Insertable<SmartCollectionsTable>, 'id'>;
export type SmartCollectionUpdate = Updateable<Omit<SmartCollectionsTable, 'id' | 'user_id' | 'created_at'>>;

export interface CoverRow {
  id: number;
  path_cover_s: string;
  path_cover_l: string;
}

/** Smart collections: saved criteria plus cached membership columns (JSON text). */
export class SmartCollectionsRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  private base() {
    return this.db.selectFrom('smart_collections as s').innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('s').select('u.username as owner_username');
  }

  find(id: number): Promise<SmartCollectionRow | undefined> {
    return this.base().where('s.id', '=', id).executeTakeFirst();
  }

  listVisible(userId: number, updatedAfter?: number): Promise<SmartCollectionRow[]> {
    let q = this.base().where(visibleTo(userId, 's.user_id', 's.is_public'));
    if (updatedAfter !== undefined) q = q.where('s.updated_at', '>', updatedAfter);
    return q.orderBy('s.name').orderBy('s.id').execute();
  }

  async visibleIds(userId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('smart_collections').select('id')
      .where(visibleTo(userId, 'user_id', 'is_public')).orderBy('name').orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  async allIds(): Promise<number[]> {
    const rows = await this.db.selectFrom('smart_collections').select('id').orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  /** Ids and criteria of every smart collection, for targeted refreshes. */
  async allCriteria(): Promise<{ id: number; user_id: number; filter_criteria: string }[]> {
    const rows = await this.db.selectFrom('smart_collections').select(['id', 'user_id', 'filter_criteria']).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), user_id: Number(r.user_id), filter_criteria: r.filter_criteria }));
  }

  async nameTaken(userId: number, name: string, exceptId?: number): Promise<boolean> {
    let q = this.db.selectFrom('smart_collections').select('id').where('user_id', '=', userId).where('name', '=', name);
    if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  }

  insert(row: NewSmartCollection): Promise<number> {
    return insertReturningId(this.caps, this.db.insertInto('smart_collections').values(row));
  }

  async update(id: number, set: SmartCollectionUpdate): Promise<void> {
    await this.db.updateTable('smart_collections').set(set).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('smart_collections').where('id', '=', id).execute();
  }

  /** Cover paths of the given ROMs (those with at least one cover). */
  async covers(romIds: readonly number[]): Promise<CoverRow[]> {
    if (romIds.length === 0) return [];
    const rows = await this.db.selectFrom('roms').select(['id', 'path_cover_s', 'path_cover_l'])
      .where('id', 'in', [...romIds])
      .where((eb) => eb.or([eb('path_cover_s', '<>', ''), eb('path_cover_l', '<>', '')])).execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
