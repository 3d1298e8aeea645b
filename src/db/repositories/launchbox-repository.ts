import type { Kysely, Transaction } from 'kysely';
import { createHash } from 'node:crypto';
import type { Database, LaunchboxAlternateNamesTable, LaunchboxGamesTable, LaunchboxImagesTable } from '../schema.ts';

/**
 * LaunchBox's public Metadata.xml as tables: the import replaces everything in one transaction (a failed or
 * cancelled import leaves the previous content), and the lookups the LaunchBox provider makes by id, by name key,
 * by alternate name and by folded name.
 */

/** `metadata_source_files.source` of the imported Metadata.xml. */
export const LAUNCHBOX_METADATA_SOURCE = 'launchbox-metadata';

export interface LaunchboxGame {
  databaseId: number;
  platform: string;
  name: string;
  /** Every field of the `<Game>` element, by element name. */
  fields: Record<string, string>;
}

export interface LaunchboxImage {
  fileName: string;
  type: string;
  region: string | null;
}

export interface LaunchboxImportCounts {
  games: number;
  alternateNames: number;
  images: number;
}

export interface ImportedFile {
  path: string;
  fingerprint: string;
  appliedAt: number;
}

/** Column widths of migration 0600; longer values are cut (by code point) so MariaDB's strict mode accepts them. */
const WIDTH = { platform: 200, name: 500, key: 500, fileName: 500, type: 200, region: 200 } as const;

export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  return Array.from(s).slice(0, max).join('');
}

/**
 * Rows per INSERT, kept far under the smallest bind-parameter limit (SQLite's 32,766; PostgreSQL and MariaDB
 * 65,535) and, for games, under a byte budget so one statement stays well within MariaDB's max_allowed_packet.
 */
const BATCH = { games: 1000, alternateNames: 4000, images: 4000 } as const;
const GAME_BATCH_BYTES = 4 * 1024 * 1024;

type Db = Kysely<Database> | Transaction<Database>;

/** Buffers rows of a running import and inserts them in batches, inside the import's transaction. */
export class LaunchboxImportWriter {
  private games: LaunchboxGamesTable[] = [];
  private gameBytes = 0;
  private alternates: LaunchboxAlternateNamesTable[] = [];
  private images: LaunchboxImagesTable[] = [];
  private imageSeq = 0;
  readonly counts: LaunchboxImportCounts = { games: 0, alternateNames: 0, images: 0 };

  constructor(private readonly trx: Db) {}

  addGame(g: { databaseId: number; platform: string; name: string; nameKey: string; foldedKey: string; fields: Record<string, string> }): void {
    const data = JSON.stringify(g.fields);
    this.games.push({
      database_id: g.databaseId,
      platform: clip(g.platform, WIDTH.platform),
      name: clip(g.name, WIDTH.name),
      name_key: clip(g.nameKey, WIDTH.key),
      folded_key: clip(g.foldedKey, WIDTH.key),
      data,
    });
    this.gameBytes += data.length + 200;
  }

  addAlternateName(a: { databaseId: number; nameKey: string; region: string | null }): void {
    this.alternates.push({ database_id: a.databaseId, name_key: clip(a.nameKey, WIDTH.key), region: a.region === null ? null : clip(a.region, WIDTH.region) });
  }

  addImage(i: { databaseId: number; fileName: string; type: string; region: string | null }): void {
    this.images.push({
      seq: this.imageSeq++,
      database_id: i.databaseId,
      file_name: clip(i.fileName, WIDTH.fileName),
      type: clip(i.type, WIDTH.type),
      region: i.region === null ? null : clip(i.region, WIDTH.region),
    });
  }

  /** True when a buffer holds a full batch: the caller awaits `flush()` before reading on (backpressure). */
  get full(): boolean {
    return this.games.length >= BATCH.games || this.gameBytes >= GAME_BATCH_BYTES
      || this.alternates.length >= BATCH.alternateNames || this.images.length >= BATCH.images;
  }

  async flush(): Promise<void> {
    while (this.games.length) {
      const rows = this.games.splice(0, BATCH.games);
      await this.trx.insertInto('launchbox_games').values(rows).execute();
      this.counts.games += rows.length;
    }
    this.gameBytes = 0;
    while (this.alternates.length) {
      const rows = this.alternates.splice(0, BATCH.alternateNames);
      await this.trx.insertInto('launchbox_alternate_names').values(rows).execute();
      this.counts.alternateNames += rows.length;
    }
    while (this.images.length) {
      const rows = this.images.splice(0, BATCH.images);
      await this.trx.insertInto('launchbox_images').values(rows).execute();
      this.counts.images += rows.length;
    }
  }
}

const fileKey = (p: string): string => createHash('sha1').update(p).digest('hex');

const toGame = (r: Pick<LaunchboxGamesTable, 'database_id' | 'platform' | 'name' | 'data'>): LaunchboxGame => {
  let fields: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(r.data);
    if (parsed && typeof parsed === 'object') fields = parsed as Record<string, string>;
  } catch {
    // A row this repository wrote is always JSON; an unreadable one still answers with its columns.
  }
  return { databaseId: Number(r.database_id), platform: r.platform, name: r.name, fields };
};

export class LaunchboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Replaces every LaunchBox table and the imported file's fingerprint in one transaction. `fill` adds rows through
   * the writer (flushing it as it goes); when it throws, nothing changes.
   */
  async replaceAll(file: { path: string; fingerprint: string }, now: number, fill: (writer: LaunchboxImportWriter) => Promise<void>): Promise<LaunchboxImportCounts> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('launchbox_images').execute();
      await trx.deleteFrom('launchbox_alternate_names').execute();
      await trx.deleteFrom('launchbox_games').execute();
      const writer = new LaunchboxImportWriter(trx);
      await fill(writer);
      await writer.flush();
      await trx.deleteFrom('metadata_source_files').where('source', '=', LAUNCHBOX_METADATA_SOURCE).execute();
      await trx.insertInto('metadata_source_files').values({
        source: LAUNCHBOX_METADATA_SOURCE,
        file_key: fileKey(file.path),
        path: clip(file.path, 2000),
        fingerprint: clip(file.fingerprint, 400),
        applied_at: now,
      }).execute();
      return writer.counts;
    });
  }

  /** The Metadata.xml the tables hold, or null before the first import. */
  async importedFile(): Promise<ImportedFile | null> {
    const row = await this.db.selectFrom('metadata_source_files').select(['path', 'fingerprint', 'applied_at'])
      .where('source', '=', LAUNCHBOX_METADATA_SOURCE).executeTakeFirst();
    return row ? { path: row.path, fingerprint: row.fingerprint, appliedAt: Number(row.applied_at) } : null;
  }

  async hasGames(): Promise<boolean> {
    const row = await this.db.selectFrom('launchbox_games').select('database_id').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async gameById(databaseId: number): Promise<LaunchboxGame | null> {
    if (!Number.isSafeInteger(databaseId)) return null;
    const row = await this.db.selectFrom('launchbox_games').select(['database_id', 'platform', 'name', 'data'])
      .where('database_id', '=', databaseId).executeTakeFirst();
    return row ? toGame(row) : null;
  }

  /** Games of the platform whose name key is one of `keys`, lowest id first (the caller picks by key order). */
  async gamesByNameKeys(platform: string, keys: readonly string[]): Promise<(LaunchboxGame & { key: string })[]> {
    const list = uniqueKeys(keys);
    if (!list.length) return [];
    const rows = await this.db.selectFrom('launchbox_games').select(['database_id', 'platform', 'name', 'data', 'name_key'])
      .where('platform', '=', platform).where('name_key', 'in', list).orderBy('database_id').execute();
    return rows.map((r) => ({ ...toGame(r), key: r.name_key }));
  }

  /** Games of the platform one of whose alternate names has a key in `keys` (alternate names carry no platform). */
  async gamesByAlternateKeys(platform: string, keys: readonly string[]): Promise<(LaunchboxGame & { key: string })[]> {
    const list = uniqueKeys(keys);
    if (!list.length) return [];
    const rows = await this.db.selectFrom('launchbox_alternate_names as a')
      .innerJoin('launchbox_games as g', 'g.database_id', 'a.database_id')
      .select(['g.database_id', 'g.platform', 'g.name', 'g.data', 'a.name_key'])
      .where('a.name_key', 'in', list).where('g.platform', '=', platform).orderBy('g.database_id').execute();
    return rows.map((r) => ({ ...toGame(r), key: r.name_key }));
  }

  async gamesByFoldedKeys(platform: string, keys: readonly string[]): Promise<(LaunchboxGame & { key: string })[]> {
    const list = uniqueKeys(keys);
    if (!list.length) return [];
    const rows = await this.db.selectFrom('launchbox_games').select(['database_id', 'platform', 'name', 'data', 'folded_key'])
      .where('platform', '=', platform).where('folded_key', 'in', list).orderBy('database_id').execute();
    return rows.map((r) => ({ ...toGame(r), key: r.folded_key }));
  }

  /** A game's images in file order. */
  async imagesOf(databaseId: number): Promise<LaunchboxImage[]> {
    if (!Number.isSafeInteger(databaseId)) return [];
    const rows = await this.db.selectFrom('launchbox_images').select(['file_name', 'type', 'region'])
      .where('database_id', '=', databaseId).orderBy('seq').execute();
    return rows.map((r) => ({ fileName: r.file_name, type: r.type, region: r.region }));
  }
}

const uniqueKeys = (keys: readonly string[]): string[] =>
  [...new Set(keys.map((k) => clip(k, WIDTH.key)).filter(Boolean))].slice(0, 50);
