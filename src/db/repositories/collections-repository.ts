import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Db, EngineCapabilities } from '../engine.ts';
import type { CollectionsTable, Database } from '../schema.ts';
import { idListAggregate, insertReturningId, parseIdList, withDeadlockRetry } from './collections-sql.ts';
import { visibleTo } from './visibility.ts';

export type CollectionRow = Selectable<CollectionsTable> & { owner_username: string };
export type NewCollection = Omit<Insertable<CollectionsTable>, 'id'>;
export type CollectionUpdate = Updateable<Omit<CollectionsTable, 'id' | 'user_id' | 'created_at'>>;

/** Who owns a collection and whether it is public: all a smart collection over it needs to know. */
export interface CollectionAccessRow {
  id: number;
  user_id: number;
  is_public: number;
  is_favorite: number;
}

export interface CoverRow {
  id: number;
  path_cover_s: string;
  path_cover_l: string;
}

/** Ids per statement: well under every engine's bound-parameter limit. */
const CHUNK = 1000;

function chunks(ids: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
  return out;
}

/**
 * Regular collections and their membership. Adds and removes are single statements on the (collection, rom) pair
 * (insert-or-ignore, delete by pair), never a read-modify-write of a list, so concurrent callers cannot lose each
 * other's updates.
 */
export class CollectionsRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  private base() {
    return this.db.selectFrom('collections as c').innerJoin('users as u', 'u.id', 'c.user_id')
      .selectAll('c').select('u.username as owner_username');
  }

  find(id: number): Promise<CollectionRow | undefined> {
    return this.base().where('c.id', '=', id).executeTakeFirst();
  }

  /** The caller's collections and everyone's public ones, by name (spec §7.1). */
  listVisible(userId: number, updatedAfter?: number): Promise<CollectionRow[]> {
    let q = this.base().where(visibleTo(userId, 'c.user_id', 'c.is_public'));
    if (updatedAfter !== undefined) q = q.where('c.updated_at', '>', updatedAfter);
    return q.orderBy('c.name').orderBy('c.id').execute();
  }

  async visibleIds(userId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('collections').select('id')
      .where(visibleTo(userId, 'user_id', 'is_public')).orderBy('name').orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  /** Owner and visibility of the given collections and of the given users' favourites collections. */
  async sourceAccess(ids: readonly number[], favouritesOf: readonly number[]): Promise<CollectionAccessRow[]> {
    const byId = [...new Set(ids)];
    const owners = [...new Set(favouritesOf)];
    if (byId.length === 0 && owners.length === 0) return [];
    const rows = await this.db.selectFrom('collections').select(['id', 'user_id', 'is_public', 'is_favorite'])
      .where((eb) => eb.or([
        ...(byId.length ? [eb('id', 'in', byId)] : []),
        ...(owners.length ? [eb.and([eb('is_favorite', '=', 1), eb('user_id', 'in', owners)])] : []),
      ])).execute();
    return rows.map((r) => ({ id: Number(r.id), user_id: Number(r.user_id), is_public: Number(r.is_public), is_favorite: Number(r.is_favorite) }));
  }

  async nameTaken(userId: number, name: string, exceptId?: number): Promise<boolean> {
    let q = this.db.selectFrom('collections').select('id').where('user_id', '=', userId).where('name', '=', name);
    if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  }

  /**
   * Member ids per collection, ascending, read from the (collection_id, rom_id) key alone: one aggregated row per
   * collection, or member rows where the engine's string aggregate is length-capped.
   */
  async memberIds(collectionIds: readonly number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>(collectionIds.map((id) => [id, []]));
    const agg = idListAggregate(this.caps, 'rom_id');
    for (const ids of chunks(collectionIds)) {
      if (ids.length === 0) continue;
      if (!agg) {
        const rows = await this.db.selectFrom('collections_roms').select(['collection_id', 'rom_id'])
          .where('collection_id', 'in', ids).orderBy('collection_id').orderBy('rom_id').execute();
        for (const r of rows) out.get(Number(r.collection_id))?.push(Number(r.rom_id));
        continue;
      }
      const rows = await this.db.selectFrom('collections_roms').select(['collection_id', agg.as('ids')])
        .where('collection_id', 'in', ids).groupBy('collection_id').execute();
      for (const r of rows) out.set(Number(r.collection_id), parseIdList(r.ids));
    }
    return out;
  }

  /** Cover paths of the given ROMs that have one. */
  async covers(romIds: readonly number[]): Promise<CoverRow[]> {
    const out: CoverRow[] = [];
    for (const ids of chunks(romIds)) {
      if (ids.length === 0) continue;
      const rows = await this.db.selectFrom('roms').select(['id', 'path_cover_s', 'path_cover_l']).where('id', 'in', ids)
        .where((eb) => eb.or([eb('path_cover_s', '<>', ''), eb('path_cover_l', '<>', '')])).execute();
      for (const r of rows) out.push({ ...r, id: Number(r.id) });
    }
    return out;
  }

  insert(row: NewCollection): Promise<number> {
    return insertReturningId(this.caps, this.db.insertInto('collections').values(row));
  }

  async update(id: number, set: CollectionUpdate): Promise<void> {
    await this.db.updateTable('collections').set(set).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('collections').where('id', '=', id).execute();
  }

  /** Replaces the membership with the given ids (unknown ROM ids dropped) in one transaction. */
  async replaceMembers(id: number, romIds: readonly number[], now: number): Promise<void> {
    await withDeadlockRetry(this.caps, () => this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('collections_roms').where('collection_id', '=', id).execute();
      for (const ids of chunks([...new Set(romIds)])) {
        await trx.insertInto('collections_roms').columns(['collection_id', 'rom_id', 'created_at'])
          .expression(trx.selectFrom('roms').select([sql.val(id).as('collection_id'), 'id', sql.val(now).as('created_at')]).where('id', 'in', ids))
          .execute();
      }
    }));
  }

  /** Adds ROMs that exist and are not members yet; the number actually added. */
  async addMembers(id: number, romIds: readonly number[], now: number): Promise<number> {
    let added = 0;
    for (const ids of chunks([...new Set(romIds)])) {
      added += await withDeadlockRetry(this.caps, async () => {
        const source = this.db.selectFrom('roms').select([sql.val(id).as('collection_id'), 'id', sql.val(now).as('created_at')]).where('id', 'in', ids);
        let q = this.db.insertInto('collections_roms').columns(['collection_id', 'rom_id', 'created_at']).expression(source);
        q = this.caps.insertOrIgnore === 'insert-ignore' ? q.ignore() : q.onConflict((oc) => oc.columns(['collection_id', 'rom_id']).doNothing());
        const result = await q.executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0);
      });
    }
    return added;
  }

  /** Removes the given ROMs; the number actually removed. */
  async removeMembers(id: number, romIds: readonly number[]): Promise<number> {
    let removed = 0;
    for (const ids of chunks([...new Set(romIds)])) {
      removed += await withDeadlockRetry(this.caps, async () => {
        const result = await this.db.deleteFrom('collections_roms').where('collection_id', '=', id).where('rom_id', 'in', ids).executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    }
    return removed;
  }

  async touch(id: number, now: number): Promise<void> {
    // Never move updated_at backwards when concurrent writers race.
    await withDeadlockRetry(this.caps, () => this.db.updateTable('collections').set({ updated_at: now }).where('id', '=', id).where('updated_at', '<', now).execute());
  }
}
