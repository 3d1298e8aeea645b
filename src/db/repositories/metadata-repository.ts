import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Database, FacetKind, RomsTable } from '../schema.ts';

/** Provider id columns of `roms`. */
export type RomIdColumn =
  | 'igdb_id' | 'moby_id' | 'ss_id' | 'ra_id' | 'launchbox_id' | 'hasheous_id' | 'tgdb_id' | 'sgdb_id' | 'flashpoint_id'
  | 'hltb_id' | 'gamelist_id' | 'libretro_id';

export const ROM_ID_COLUMNS: readonly RomIdColumn[] = [
  'igdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'sgdb_id', 'flashpoint_id', 'hltb_id',
  'gamelist_id', 'libretro_id',
];

const PASS_COLUMNS = [
  'id', 'platform_id', 'fs_name', 'fs_name_no_tags', 'fs_name_no_ext', 'fs_size_bytes', 'regions', 'crc_hash', 'md5_hash', 'sha1_hash', 'ra_hash',
  ...ROM_ID_COLUMNS, 'name', 'name_sort_key', 'name_sort_key_custom', 'summary', 'field_sources', 'path_cover_s',
  'path_cover_l', 'path_screenshots', 'path_manual', 'url_cover', 'url_screenshots', 'url_manual', 'igdb_metadata',
  'moby_metadata', 'ss_metadata', 'ra_metadata', 'launchbox_metadata', 'hasheous_metadata', 'flashpoint_metadata',
  'hltb_metadata', 'gamelist_metadata', 'manual_metadata', 'first_release_date', 'average_rating', 'player_count',
  'search_text', 'metadata_scanned_at', 'updated_at',
] as const;

export type PassRom = Pick<Selectable<RomsTable>, (typeof PASS_COLUMNS)[number]>;
export type PassRomSet = Updateable<RomsTable>;

export interface PassPlatform {
  id: number;
  slug: string;
  fs_slug: string;
  name: string;
  custom_name: string;
}

export type SearchTarget = Pick<PassRom, 'id' | 'platform_id' | 'fs_name' | 'fs_name_no_tags' | 'name'> & { platform_slug: string; platform_fs_slug: string; platform_name: string; platform_custom_name: string };

/** Which ROMs of a platform a metadata pass visits. */
export interface PassSelection {
  platformId: number;
  /** Only these ROMs. */
  romIds?: number[];
  /** Only ROMs the pass never processed. */
  onlyUnscanned?: boolean;
  /** ROMs with at least one of these ids set (`update`). */
  anyIdSet?: RomIdColumn[];
  /** ROMs missing at least one of these ids (`unmatched`). */
  anyIdMissing?: RomIdColumn[];
}

export interface PassWrite {
  id: number;
  set: PassRomSet;
  /** Metadata facet rows replacing those of `kinds`; null leaves facets alone. */
  facets: { kinds: readonly FacetKind[]; rows: { rom_id: number; kind: FacetKind; value: string }[] } | null;
}

const ID_CHUNK = 500;
const FACET_CHUNK = 500;

/** The SQL of the metadata pass: which ROMs to visit, batched writes, and the fingerprints of applied source files. */
export class MetadataRepository {
  constructor(private readonly db: Kysely<Database>) {}

  platforms(ids?: readonly number[], fsSlugs?: readonly string[]): Promise<PassPlatform[]> {
    let q = this.db.selectFrom('platforms').select(['id', 'slug', 'fs_slug', 'name', 'custom_name']).where('missing_from_fs', '=', 0);
    if (ids && ids.length > 0) q = q.where('id', 'in', [...ids]);
    if (fsSlugs && fsSlugs.length > 0) q = q.where('fs_slug', 'in', [...fsSlugs]);
    return q.orderBy('id').execute();
  }

  /** One ROM with its platform, for a manual-match search (GET /api/search/roms); undefined when unknown. */
  searchTarget(romId: number): Promise<SearchTarget | undefined> {
    return this.db.selectFrom('roms').innerJoin('platforms', 'platforms.id', 'roms.platform_id')
      .select(['roms.id', 'roms.platform_id', 'roms.fs_name', 'roms.fs_name_no_tags', 'roms.name', 'platforms.slug as platform_slug', 'platforms.fs_slug as platform_fs_slug',
        'platforms.name as platform_name', 'platforms.custom_name as platform_custom_name'])
      .where('roms.id', '=', romId).executeTakeFirst();
  }

  /** Platforms holding any of these ROMs. */
  async platformsOfRoms(romIds: readonly number[]): Promise<number[]> {
    const out = new Set<number>();
    for (let i = 0; i < romIds.length; i += ID_CHUNK) {
      const rows = await this.db.selectFrom('roms').select('platform_id').distinct().where('id', 'in', romIds.slice(i, i + ID_CHUNK)).execute();
      for (const r of rows) out.add(r.platform_id);
    }
    return [...out];
  }

  private where(eb: ExpressionBuilder<Database, 'roms'>, sel: PassSelection): Expression<SqlBool> {
    const parts: Expression<SqlBool>[] = [eb('platform_id', '=', sel.platformId), eb('missing_from_fs', '=', 0)];
    if (sel.romIds) parts.push(sel.romIds.length > 0 ? eb('id', 'in', sel.romIds) : sql<SqlBool>`1 = 0`);
    if (sel.onlyUnscanned) parts.push(eb('metadata_scanned_at', 'is', null));
    if (sel.anyIdSet?.length) parts.push(eb.or(sel.anyIdSet.map((c) => eb(c, 'is not', null))));
    if (sel.anyIdMissing?.length) parts.push(eb.or(sel.anyIdMissing.map((c) => eb(c, 'is', null))));
    return eb.and(parts);
  }

  async count(sel: PassSelection): Promise<number> {
    const row = await this.db.selectFrom('roms').select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where((eb) => this.where(eb, sel)).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** One keyset page (ids above `afterId`), in id order. */
  page(sel: PassSelection, afterId: number, limit: number): Promise<PassRom[]> {
    return this.db.selectFrom('roms').select([...PASS_COLUMNS])
      .where((eb) => this.where(eb, sel)).where('id', '>', afterId)
      .orderBy('id').limit(limit).execute();
  }

  /** Applies a batch in one transaction. */
  async apply(writes: readonly PassWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const w of writes) {
        if (Object.keys(w.set).length > 0) await trx.updateTable('roms').set(w.set).where('id', '=', w.id).execute();
        if (w.facets) {
          await trx.deleteFrom('rom_facets').where('rom_id', '=', w.id).where('kind', 'in', [...w.facets.kinds]).execute();
          for (let i = 0; i < w.facets.rows.length; i += FACET_CHUNK) {
            await trx.insertInto('rom_facets').values(w.facets.rows.slice(i, i + FACET_CHUNK)).execute();
          }
        }
      }
    });
  }

  /** Marks ROMs processed without changing anything else. */
  async markScanned(ids: readonly number[], at: number): Promise<void> {
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      await this.db.updateTable('roms').set({ metadata_scanned_at: at }).where('id', 'in', ids.slice(i, i + ID_CHUNK)).execute();
    }
  }

  async fingerprint(source: string, key: string): Promise<string | null> {
    const row = await this.db.selectFrom('metadata_source_files').select('fingerprint')
      .where('source', '=', source).where('file_key', '=', key).executeTakeFirst();
    return row?.fingerprint ?? null;
  }

  /** Upsert of one applied fingerprint. */
  async setFingerprint(source: string, key: string, path: string, fingerprint: string, at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('metadata_source_files').where('source', '=', source).where('file_key', '=', key).execute();
      await trx.insertInto('metadata_source_files').values({ source, file_key: key, path: path.slice(0, 2000), fingerprint: fingerprint.slice(0, 400), applied_at: at }).execute();
    });
  }

  /** Field sources and blobs of one ROM (the per-field "source" the UI shows). */
  sourcesOf(romId: number): Promise<Pick<PassRom, 'field_sources' | 'igdb_metadata' | 'moby_metadata' | 'ss_metadata' | 'ra_metadata' | 'launchbox_metadata' | 'hasheous_metadata' | 'flashpoint_metadata' | 'hltb_metadata' | 'gamelist_metadata' | 'manual_metadata'> | undefined> {
    return this.db.selectFrom('roms').select([
      'field_sources', 'igdb_metadata', 'moby_metadata', 'ss_metadata', 'ra_metadata', 'launchbox_metadata', 'hasheous_metadata',
      'flashpoint_metadata', 'hltb_metadata', 'gamelist_metadata', 'manual_metadata',
    ]).where('id', '=', romId).executeTakeFirst();
  }
}
