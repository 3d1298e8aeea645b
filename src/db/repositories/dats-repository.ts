import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DatGamesTable, DatRomsTable, Database, DatsTable } from '../schema.ts';
import type { DatEvent, DatGame, DatHeader } from '../../dats/types.ts';
import { clip } from './launchbox-repository.ts';

export type DatRow = Selectable<DatsTable>;
export type DatListRow = DatRow & { platform_name: string | null };

/** What a DAT import records about the file (the header fields come from the parse). */
export interface DatFileFacts {
  sourceKey: string;
  source: 'folder' | 'upload';
  sourcePath: string;
  format: string;
  fileSize: number;
  fileMtime: number | null;
  fileSha1: string;
}

export interface DatImportCounts {
  id: number;
  games: number;
  roms: number;
}

/** Column widths of migration 0900; longer values are cut (by code point) so MariaDB's strict mode accepts them. */
const W = { name: 500, description: 1000, version: 200, author: 1000, homepage: 500, skipper: 200, category: 200, serial: 200, path: 2000 } as const;
/**
 * Rows per INSERT, far under the smallest bind-parameter limit (SQLite's 32,766): 9 columns × 1,000 games and
 * 11 × 2,000 ROMs. A batch of games is flushed once it holds this many games or ROMs.
 */
const GAME_BATCH = 1000;
const ROM_BATCH = 2000;
/** Parent links set per UPDATE. */
const PARENT_BATCH = 500;

type Tx = Transaction<Database>;

const opt = (v: string | null, max: number): string | null => (v === null ? null : clip(v, max));

/** Buffers games of a running import and writes them (games, then their ROMs by the new game ids) in batches. */
class DatImportWriter {
  private games: DatGame[] = [];
  private romsBuffered = 0;
  private seq = 0;
  /** Game name → row id; parents are looked up here (a DAT's names are unique in practice: the first one wins). */
  private readonly ids = new Map<string, number>();
  /** Clones whose parent had not been written yet. */
  private readonly orphans: { id: number; parent: string }[] = [];
  gameCount = 0;
  romCount = 0;

  constructor(private readonly trx: Tx, private readonly datId: number) {}

  get full(): boolean {
    return this.games.length >= GAME_BATCH || this.romsBuffered >= ROM_BATCH;
  }

  add(game: DatGame): void {
    this.games.push(game);
    this.romsBuffered += game.roms.length;
  }

  async flush(): Promise<void> {
    if (!this.games.length) return;
    const batch = this.games;
    this.games = [];
    this.romsBuffered = 0;
    const first = this.seq;
    const rows: Omit<DatGamesTable, 'id' | 'region' | 'languages'>[] = batch.map((g) => {
      const name = clip(g.name, W.name);
      const parent = g.cloneOf === null ? null : clip(g.cloneOf, W.name);
      return {
        dat_id: this.datId, seq: this.seq++, name, description: opt(g.description, W.description),
        parent_name: parent, parent_id: parent === null ? null : this.ids.get(parent) ?? null,
        rom_of: opt(g.romOf, W.name), category: opt(g.category, W.category),
      };
    });
    await this.trx.insertInto('dat_games').values(rows).execute();
    // Ids come back by position (dat_id, seq), the same way on every engine, MariaDB's lack of RETURNING included.
    const written = await this.trx.selectFrom('dat_games').select(['id', 'seq'])
      .where('dat_id', '=', this.datId).where('seq', '>=', first).where('seq', '<', this.seq).execute();
    const idBySeq = new Map(written.map((r) => [Number(r.seq), Number(r.id)]));
    const roms: Insertable<DatRomsTable>[] = [];
    rows.forEach((row, i) => {
      const id = idBySeq.get(row.seq) as number;
      if (!this.ids.has(row.name)) this.ids.set(row.name, id);
      if (row.parent_name !== null && row.parent_id === null && row.parent_name !== row.name) this.orphans.push({ id, parent: row.parent_name });
      for (const r of (batch[i] as DatGame).roms) {
        roms.push({
          dat_id: this.datId, game_id: id, name: clip(r.name, W.name), size: r.size, crc: r.crc, md5: r.md5, sha1: r.sha1,
          sha256: r.sha256, status: r.status, serial: opt(r.serial, W.serial), is_disk: r.disk ? 1 : 0,
        });
      }
    });
    for (let i = 0; i < roms.length; i += ROM_BATCH) await this.trx.insertInto('dat_roms').values(roms.slice(i, i + ROM_BATCH)).execute();
    this.gameCount += rows.length;
    this.romCount += roms.length;
  }

  /** Links clones listed before their parents: one UPDATE per parent (such clones are few). */
  async linkParents(): Promise<void> {
    const byParent = new Map<number, number[]>();
    for (const o of this.orphans) {
      const parentId = this.ids.get(o.parent);
      if (parentId === undefined) continue;
      const list = byParent.get(parentId) ?? [];
      list.push(o.id);
      byParent.set(parentId, list);
    }
    for (const [parentId, ids] of byParent) {
      for (let i = 0; i < ids.length; i += PARENT_BATCH) {
        await this.trx.updateTable('dat_games').set({ parent_id: parentId }).where('id', 'in', ids.slice(i, i + PARENT_BATCH)).execute();
      }
    }
  }
}

/** DAT files, their games and ROMs. */
export class DatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private listQuery() {
    return this.db.selectFrom('dats').leftJoin('platforms', 'platforms.id', 'dats.platform_id')
      .selectAll('dats').select(sql<string | null>`platforms.name`.as('platform_name'));
  }

  async list(): Promise<DatListRow[]> {
    const rows = await this.listQuery().orderBy('dats.id').execute();
    return rows.map(numeric);
  }

  async get(id: number): Promise<DatListRow | undefined> {
    const row = await this.listQuery().where('dats.id', '=', id).executeTakeFirst();
    return row ? numeric(row) : undefined;
  }

  async bySourceKey(key: string): Promise<DatRow | undefined> {
    const row = await this.db.selectFrom('dats').selectAll().where('source_key', '=', key).executeTakeFirst();
    return row ? numeric({ ...row, platform_name: null }) : undefined;
  }

  async bySource(source: 'folder' | 'upload'): Promise<DatRow[]> {
    const rows = await this.db.selectFrom('dats').selectAll().where('source', '=', source).execute();
    return rows.map((r) => numeric({ ...r, platform_name: null }));
  }

  /**
   * Imports a parsed DAT in one transaction: the row of `facts.sourceKey` is created, or its games and ROMs are
   * replaced (its id and a platform override are kept). `slugFor` maps the header to a catalogue slug for DATs without
   * an override (the library's platform of that slug is looked up in the same transaction). When the parse throws, nothing changes.
   */
  async importDat(
    facts: DatFileFacts, events: AsyncIterable<DatEvent>, now: number,
    slugFor: (header: DatHeader) => string | null,
  ): Promise<DatImportCounts> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('dats').select(['id', 'platform_override'])
        .where('source_key', '=', facts.sourceKey).executeTakeFirst();
      const fileColumns = {
        source: facts.source, source_path: clip(facts.sourcePath, W.path), format: facts.format, file_size: facts.fileSize,
        file_mtime: facts.fileMtime, file_sha1: facts.fileSha1, updated_at: now,
      };
      let id: number;
      if (existing) {
        id = Number(existing.id);
        await trx.deleteFrom('dat_roms').where('dat_id', '=', id).execute();
        await trx.deleteFrom('dat_games').where('dat_id', '=', id).execute();
      } else {
        await trx.insertInto('dats').values({
          ...fileColumns, source_key: facts.sourceKey, name: clip(facts.sourcePath, W.name), imported_at: now,
          game_count: 0, rom_count: 0, platform_override: 0,
        }).execute();
        // The unique source key finds the new row on every engine (MariaDB has no RETURNING).
        const row = await trx.selectFrom('dats').select('id').where('source_key', '=', facts.sourceKey).executeTakeFirstOrThrow();
        id = Number(row.id);
      }
      const writer = new DatImportWriter(trx, id);
      let header: DatHeader | null = null;
      for await (const ev of events) {
        if (ev.kind === 'header') header ??= ev.header;
        else writer.add(ev.game);
        if (writer.full) await writer.flush();
      }
      await writer.flush();
      await writer.linkParents();
      const h = header;
      const name = h?.name || facts.sourcePath.replace(/^.*\//, '').replace(/\.(zip|dat|xml)$/i, '');
      let mapped: { slug: string | null; id: number | null } | null = null;
      if (!existing || Number(existing.platform_override) !== 1) {
        // A header without a name is mapped by the file's name instead.
        const slug = slugFor({ ...(h ?? { description: null, version: null, author: null, homepage: null, skipper: null }), name });
        mapped = { slug, id: slug ? await this.platformIdForSlug(slug, trx) : null };
      }
      await trx.updateTable('dats').set({
        ...fileColumns,
        name: clip(name, W.name),
        description: opt(h?.description ?? null, W.description),
        version: opt(h?.version ?? null, W.version),
        author: opt(h?.author ?? null, W.author),
        homepage: opt(h?.homepage ?? null, W.homepage),
        skipper: opt(h?.skipper ?? null, W.skipper),
        game_count: writer.gameCount,
        rom_count: writer.romCount,
        imported_at: now,
        ...(mapped ? { platform_slug: mapped.slug, platform_id: mapped.id } : {}),
      }).where('id', '=', id).execute();
      return { id, games: writer.gameCount, roms: writer.romCount };
    });
  }

  /** Records a file's new mtime when its content (SHA-1) did not change, so it is not hashed again. */
  async touch(id: number, fileMtime: number | null, now: number): Promise<void> {
    await this.db.updateTable('dats').set({ file_mtime: fileMtime, updated_at: now }).where('id', '=', id).execute();
  }

  async setPlatform(id: number, set: { platform_id: number | null; platform_slug: string | null; platform_override: 0 | 1 }, now: number): Promise<void> {
    await this.db.updateTable('dats').set({ ...set, updated_at: now }).where('id', '=', id).execute();
  }

  /** Resolves the platform of DATs mapped to a slug whose platform row did not exist at import time. */
  async resolveMappedPlatforms(): Promise<void> {
    const open = await this.db.selectFrom('dats').select(['id', 'platform_slug'])
      .where('platform_id', 'is', null).where('platform_slug', 'is not', null).where('platform_override', '=', 0).execute();
    for (const row of open) {
      const platformId = await this.platformIdForSlug(row.platform_slug as string);
      if (platformId !== null) await this.db.updateTable('dats').set({ platform_id: platformId }).where('id', '=', row.id).execute();
    }
  }

  /** Deletes a DAT with its games and ROMs in one transaction. */
  async delete(id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('dat_roms').where('dat_id', '=', id).execute();
      await trx.deleteFrom('dat_games').where('dat_id', '=', id).execute();
      const res = await trx.deleteFrom('dats').where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    });
  }

  /** The library's platform for a catalogue slug (its `slug`, else a folder of that name), lowest id first. */
  async platformIdForSlug(slug: string, db: Kysely<Database> = this.db): Promise<number | null> {
    const row = await db.selectFrom('platforms').select('id')
      .where((eb) => eb.or([eb('slug', '=', slug), eb('fs_slug', '=', slug)]))
      .orderBy(sql`case when slug = ${slug} then 0 else 1 end`).orderBy('id').executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  async platform(id: number): Promise<{ id: number; slug: string } | undefined> {
    const row = await this.db.selectFrom('platforms').select(['id', 'slug']).where('id', '=', id).executeTakeFirst();
    return row ? { id: Number(row.id), slug: row.slug } : undefined;
  }

  /** A DAT's games in file order with their ROMs (tests and the verification join read the same tables). */
  async games(datId: number): Promise<(Selectable<DatGamesTable> & { roms: Selectable<DatRomsTable>[] })[]> {
    const games = await this.db.selectFrom('dat_games').selectAll().where('dat_id', '=', datId).orderBy('seq').execute();
    const roms = await this.db.selectFrom('dat_roms').selectAll().where('dat_id', '=', datId).orderBy('id').execute();
    const byGame = new Map<number, Selectable<DatRomsTable>[]>();
    for (const r of roms) {
      const rom = { ...r, id: Number(r.id), dat_id: Number(r.dat_id), game_id: Number(r.game_id), size: r.size === null ? null : Number(r.size), is_disk: Number(r.is_disk) };
      const list = byGame.get(rom.game_id) ?? [];
      list.push(rom);
      byGame.set(rom.game_id, list);
    }
    return games.map((g) => ({
      ...g, id: Number(g.id), dat_id: Number(g.dat_id), seq: Number(g.seq), parent_id: g.parent_id === null ? null : Number(g.parent_id),
      roms: byGame.get(Number(g.id)) ?? [],
    }));
  }
}

/** MariaDB and PostgreSQL may hand back BIGINT columns as strings. */
function numeric<T extends DatRow & { platform_name: string | null }>(row: T): T {
  return {
    ...row,
    id: Number(row.id),
    file_size: Number(row.file_size),
    file_mtime: row.file_mtime === null ? null : Number(row.file_mtime),
    platform_id: row.platform_id === null ? null : Number(row.platform_id),
    platform_override: Number(row.platform_override),
    game_count: Number(row.game_count),
    rom_count: Number(row.rom_count),
    imported_at: Number(row.imported_at),
    updated_at: Number(row.updated_at),
  };
}
