import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Db, EngineCapabilities } from '../engine.ts';
import type { Database, FacetKind, RomFilesTable, RomsTable } from '../schema.ts';

export type EditableRom = Selectable<RomsTable>;
export type EditableFile = Pick<Selectable<RomFilesTable>, 'id' | 'file_name' | 'file_path'>;
export type RomSet = Updateable<RomsTable>;
export interface FacetRow {
  rom_id: number;
  kind: FacetKind;
  value: string;
}

const FACET_CHUNK = 500;

/** Writes of one ROM edit, all inside the caller's transaction. */
export class RomEditWriter {
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly caps: EngineCapabilities,
  ) {}

  /** The ROM's current fs_name, row-locked until commit (SQLite's single writer already serialises). */
  async lockFsName(id: number): Promise<string | undefined> {
    const q = this.trx.selectFrom('roms').select('fs_name').where('id', '=', id);
    const row = await (this.caps.rowLocks ? q.forUpdate() : q).executeTakeFirst();
    return row?.fs_name;
  }

  async updateRom(id: number, set: RomSet): Promise<void> {
    if (Object.keys(set).length > 0) await this.trx.updateTable('roms').set(set).where('id', '=', id).execute();
  }

  /** Replaces the ROM's facets of the given kinds with `rows`. */
  async replaceFacets(romId: number, kinds: readonly FacetKind[], rows: FacetRow[]): Promise<void> {
    await this.trx.deleteFrom('rom_facets').where('rom_id', '=', romId).where('kind', 'in', [...kinds]).execute();
    for (let i = 0; i < rows.length; i += FACET_CHUNK) {
      await this.trx.insertInto('rom_facets').values(rows.slice(i, i + FACET_CHUNK)).execute();
    }
  }

  async updateFile(id: number, set: { file_name: string; file_path: string; updated_at: number }): Promise<void> {
    await this.trx.updateTable('rom_files').set(set).where('id', '=', id).execute();
  }
}

/** The SQL behind PUT /api/roms/{id} and POST /api/roms/delete. */
export class RomEditRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  findRom(id: number): Promise<EditableRom | undefined> {
    return this.db.selectFrom('roms').selectAll().where('id', '=', id).executeTakeFirst();
  }

  files(romId: number): Promise<EditableFile[]> {
    return this.db.selectFrom('rom_files').select(['id', 'file_name', 'file_path']).where('rom_id', '=', romId).orderBy('id').execute();
  }

  async fsNameTaken(platformId: number, fsName: string, exceptId: number): Promise<boolean> {
    const row = await this.db.selectFrom('roms').select('id')
      .where('platform_id', '=', platformId).where('fs_name', '=', fsName).where('id', '<>', exceptId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Runs `fn` in one transaction; it commits only if `fn` resolves. */
  inTransaction<T>(fn: (w: RomEditWriter) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new RomEditWriter(trx, this.caps)));
  }

  /** Deletes one ROM row; files, facets, per-user rows, notes and collection links go with it (FK cascades). */
  async deleteRom(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('roms').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
