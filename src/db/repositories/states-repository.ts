import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { EngineCapabilities } from '../capabilities.ts';
import type { Db } from '../engine.ts';
import type { Database, StatesTable, StateVersionsTable } from '../schema.ts';
import type { AssetOwner } from './saves-repository.ts';

export type StateRow = Selectable<StatesTable>;
export type NewState = Omit<Insertable<StatesTable>, 'id'> & { id?: number };
export type StateChanges = Omit<Updateable<StatesTable>, 'id' | 'user_id' | 'rom_id' | 'created_at'>;
export type StateVersionRow = Selectable<StateVersionsTable>;
export type NewStateVersion = Omit<Insertable<StateVersionsTable>, 'id'>;

function numericState(r: StateRow): StateRow {
  return {
    ...r, id: Number(r.id), rom_id: Number(r.rom_id), user_id: Number(r.user_id), file_size_bytes: Number(r.file_size_bytes),
    missing_from_fs: Number(r.missing_from_fs), is_public: Number(r.is_public),
    created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  };
}

function numericVersion(r: StateVersionRow): StateVersionRow {
  return {
    ...r, id: Number(r.id), state_id: Number(r.state_id), user_id: Number(r.user_id), rom_id: Number(r.rom_id),
    file_size_bytes: Number(r.file_size_bytes), content_updated_at: Number(r.content_updated_at), created_at: Number(r.created_at),
  };
}

/** States and their previous versions. Scoped by owner. */
export class StatesRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  async list(userId: number, f: { romId?: number; platformId?: number } = {}): Promise<StateRow[]> {
    let q = this.db.selectFrom('states').selectAll('states').where('states.user_id', '=', userId);
    if (f.romId) q = q.where('states.rom_id', '=', f.romId);
    if (f.platformId) q = q.innerJoin('roms', 'roms.id', 'states.rom_id').where('roms.platform_id', '=', f.platformId);
    return (await q.orderBy('states.id').execute()).map(numericState);
  }

  async forRom(userId: number, romId: number): Promise<StateRow[]> {
    const rows = await this.db.selectFrom('states').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(numericState);
  }

  /** The ROM's states the user may see: their own and other users' public ones, newest first, with their owners. */
  async sharedForRom(userId: number, romId: number): Promise<(StateRow & AssetOwner)[]> {
    const rows = await this.db.selectFrom('states').innerJoin('users', 'users.id', 'states.user_id')
      .selectAll('states').select(['users.username as username', 'users.avatar_path as avatar_path', 'users.updated_at as user_updated_at'])
      .where('states.rom_id', '=', romId)
      .where((eb) => eb.or([eb('states.user_id', '=', userId), eb('states.is_public', '=', 1)]))
      .orderBy('states.updated_at', 'desc').orderBy('states.id', 'desc').execute();
    return rows.map((r) => ({ ...numericState(r), username: r.username, avatar_path: r.avatar_path, user_updated_at: Number(r.user_updated_at) }));
  }

  async find(id: number): Promise<StateRow | undefined> {
    const row = await this.db.selectFrom('states').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? numericState(row) : undefined;
  }

  /** Every state's id, owner and update time, for the start-up file check (one pass per start). */
  async stamps(): Promise<{ id: number; user_id: number; updated_at: number }[]> {
    const rows = await this.db.selectFrom('states').select(['id', 'user_id', 'updated_at']).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), user_id: Number(r.user_id), updated_at: Number(r.updated_at) }));
  }

  async findOwned(userId: number, id: number): Promise<StateRow | undefined> {
    const row = await this.db.selectFrom('states').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row ? numericState(row) : undefined;
  }

  async findByName(userId: number, romId: number, fileName: string): Promise<StateRow | undefined> {
    const row = await this.db.selectFrom('states').selectAll().where('user_id', '=', userId).where('rom_id', '=', romId)
      .where('file_name', '=', fileName).orderBy('id').executeTakeFirst();
    return row ? numericState(row) : undefined;
  }

  async fileUsers(filePath: string, fileName: string, exceptId: number): Promise<number> {
    const row = await this.db.selectFrom('states').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('file_path', '=', filePath).where('file_name', '=', fileName).where('id', '<>', exceptId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insert(row: NewState): Promise<number> {
    const insert = this.db.insertInto('states').values(row);
    if (!this.caps.insertReturning) return Number((await insert.executeTakeFirstOrThrow()).insertId ?? row.id ?? 0);
    return Number((await insert.returning('id').executeTakeFirstOrThrow()).id);
  }

  async update(id: number, set: StateChanges): Promise<void> {
    await this.db.updateTable('states').set(set).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('states').where('id', '=', id).execute();
  }

  async versions(userId: number, stateId: number): Promise<StateVersionRow[]> {
    const rows = await this.db.selectFrom('state_versions').selectAll().where('user_id', '=', userId).where('state_id', '=', stateId)
      .orderBy('id', 'desc').execute();
    return rows.map(numericVersion);
  }

  /** The user's versions of states that no longer exist (optionally of one ROM), by state id then newest first. */
  async deletedVersions(userId: number, romId?: number): Promise<StateVersionRow[]> {
    let q = this.db.selectFrom('state_versions').selectAll('state_versions').where('state_versions.user_id', '=', userId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('states').select('states.id').whereRef('states.id', '=', 'state_versions.state_id'))));
    if (romId) q = q.where('state_versions.rom_id', '=', romId);
    const rows = await q.orderBy('state_versions.state_id', 'desc').orderBy('state_versions.id', 'desc').execute();
    return rows.map(numericVersion);
  }

  async version(userId: number, stateId: number, versionId: number): Promise<StateVersionRow | undefined> {
    const row = await this.db.selectFrom('state_versions').selectAll().where('user_id', '=', userId).where('state_id', '=', stateId)
      .where('id', '=', versionId).executeTakeFirst();
    return row ? numericVersion(row) : undefined;
  }

  async insertVersion(row: NewStateVersion): Promise<void> {
    await this.db.insertInto('state_versions').values(row).execute();
  }

  async deleteVersion(id: number): Promise<void> {
    await this.db.deleteFrom('state_versions').where('id', '=', id).execute();
  }
}
