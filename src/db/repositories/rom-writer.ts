import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, FacetKind, RomFilesTable, RomsTable } from '../schema.ts';

export type NewRomRow = Insertable<RomsTable>;
export type RomUpdate = Updateable<RomsTable>;
export type NewFileRow = Omit<Insertable<RomFilesTable>, 'rom_id'>;

export interface FacetValues {
  region: string[];
  language: string[];
  tag: string[];
}

/** A ROM to insert with its files and filename facets. */
export interface RomInsert {
  row: NewRomRow;
  files: NewFileRow[];
  facets: FacetValues;
}

/** A file of a changed ROM; with `id` the existing row is updated in place (its id stays stable). */
export type FileWrite = NewFileRow & { id?: number };

/** An existing ROM to change; `files`/`facets` replace the current ones when given. */
export interface RomChange {
  id: number;
  set: RomUpdate;
  files?: FileWrite[];
  facets?: FacetValues;
}

export interface WriteBatch {
  inserts: RomInsert[];
  changes: RomChange[];
}

const ROW_CHUNK = 100;
const FILE_CHUNK = 300;
const FACET_CHUNK = 500;
const FILENAME_FACETS: FacetKind[] = ['region', 'language', 'tag'];

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function facetRows(romId: number, f: FacetValues): { rom_id: number; kind: FacetKind; value: string }[] {
  const rows: { rom_id: number; kind: FacetKind; value: string }[] = [];
  for (const kind of FILENAME_FACETS) for (const value of new Set(f[kind as keyof FacetValues])) rows.push({ rom_id: romId, kind, value });
  return rows;
}

/**
 * The scanner's writes. Each batch is one transaction: a ROM, its files and its facets appear together or not at
 * all, so a scan killed at any moment leaves no half-written ROM, and the unique (platform_id, fs_name) index makes
 * a rerun unable to duplicate one.
 */
export class RomWriter {
  constructor(private readonly db: Kysely<Database>) {}

  async apply(batch: WriteBatch): Promise<void> {
    if (batch.inserts.length === 0 && batch.changes.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await this.insertRoms(trx, batch.inserts);
      for (const change of batch.changes) await this.changeRom(trx, change);
    });
  }

  private async insertRoms(trx: Transaction<Database>, inserts: RomInsert[]): Promise<void> {
    for (const group of chunks(inserts, ROW_CHUNK)) {
      await trx.insertInto('roms').values(group.map((g) => g.row)).execute();
      // Ids by the unique key, the same way on all three engines (no RETURNING on MariaDB's dialect).
      const byPlatform = new Map<number, RomInsert[]>();
      for (const g of group) {
        const list = byPlatform.get(g.row.platform_id) ?? [];
        list.push(g);
        byPlatform.set(g.row.platform_id, list);
      }
      const files: Insertable<RomFilesTable>[] = [];
      const facets: { rom_id: number; kind: FacetKind; value: string }[] = [];
      for (const [platformId, list] of byPlatform) {
        const ids = await trx.selectFrom('roms').select(['id', 'fs_name'])
          .where('platform_id', '=', platformId)
          .where('fs_name', 'in', list.map((g) => g.row.fs_name))
          .execute();
        const idByName = new Map(ids.map((r) => [r.fs_name, r.id]));
        for (const g of list) {
          const id = idByName.get(g.row.fs_name);
          if (id === undefined) throw new Error(`inserted ROM ${g.row.fs_name} not found`);
          for (const f of g.files) files.push({ ...f, rom_id: id });
          facets.push(...facetRows(id, g.facets));
        }
      }
      for (const part of chunks(files, FILE_CHUNK)) await trx.insertInto('rom_files').values(part).execute();
      for (const part of chunks(facets, FACET_CHUNK)) await trx.insertInto('rom_facets').values(part).execute();
    }
  }

  private async changeRom(trx: Transaction<Database>, change: RomChange): Promise<void> {
    if (Object.keys(change.set).length > 0) {
      await trx.updateTable('roms').set(change.set).where('id', '=', change.id).execute();
    }
    if (change.files) {
      const kept = change.files.flatMap((f) => (f.id === undefined ? [] : [f.id]));
      let stale = trx.deleteFrom('rom_files').where('rom_id', '=', change.id);
      if (kept.length > 0) stale = stale.where('id', 'not in', kept);
      await stale.execute();
      const fresh: Insertable<RomFilesTable>[] = [];
      for (const { id, ...f } of change.files) {
        if (id === undefined) fresh.push({ ...f, rom_id: change.id });
        else await trx.updateTable('rom_files').set({ ...f, rom_id: change.id }).where('id', '=', id).execute();
      }
      for (const part of chunks(fresh, FILE_CHUNK)) await trx.insertInto('rom_files').values(part).execute();
    }
    if (change.facets) {
      await trx.deleteFrom('rom_facets').where('rom_id', '=', change.id).where('kind', 'in', FILENAME_FACETS).execute();
      const rows = facetRows(change.id, change.facets);
      for (const part of chunks(rows, FACET_CHUNK)) await trx.insertInto('rom_facets').values(part).execute();
    }
  }

  /** Missing flags, written only where they flip. */
  async setRomsMissing(ids: number[], missing: boolean, now: number): Promise<void> {
    for (const part of chunks(ids, 500)) {
      await this.db.updateTable('roms').set({ missing_from_fs: missing ? 1 : 0, updated_at: now })
        .where('id', 'in', part).execute();
    }
  }

  async setPlatformRomsMissing(platformId: number, now: number): Promise<void> {
    await this.db.updateTable('roms').set({ missing_from_fs: 1, updated_at: now })
      .where('platform_id', '=', platformId).where('missing_from_fs', '=', 0).execute();
  }
}
