import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, RomFilesTable, RomsTable, RomUserTable } from '../schema.ts';
import { SIBLING_IDS } from '../rom-query/filters.ts';
import { visibleTo } from './visibility.ts';
import { hidesNothing, NOTHING_HIDDEN, romNotHidden, type HiddenSets } from './hidden.ts';
import { HASH_PARAMS, PROVIDER_ID_PARAMS, type ProviderIdLookup } from '../../contract/rom-queries.ts';

export type RomRow = Selectable<RomsTable> & {
  platform_slug: string;
  platform_fs_slug: string;
  platform_name: string;
  platform_custom_name: string;
};
export type RomFileRow = Selectable<RomFilesTable>;
export type RomUserRow = Selectable<RomUserTable>;

export interface SiblingRow {
  rom_id: number;
  id: number;
  name: string | null;
  fs_name_no_tags: string;
  fs_name_no_ext: string;
  is_main_sibling: number | null;
}

export interface FacetRow {
  rom_id: number;
  kind: string;
  value: string;
}

/** Everything a page of ROM schemas needs, loaded with one statement per table whatever the page size. */
export interface RomBundle {
  roms: RomRow[];
  files: RomFileRow[];
  userRows: RomUserRow[];
  facets: FacetRow[];
  siblings: SiblingRow[];
  noteRomIds: Set<number>;
}

const METADATA_KINDS = ['genre', 'franchise', 'collection', 'company', 'game_mode', 'age_rating'] as const;

export interface HashQuery {
  crc_hash?: string;
  md5_hash?: string;
  sha1_hash?: string;
  ra_hash?: string;
}

/** Reads behind the ROM routes: hydration of pages and single ROMs, and the lookups by hash or provider id. */
export class RomsReadRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private romsQuery() {
    return this.db
      .selectFrom('roms as r')
      .innerJoin('platforms as p', 'p.id', 'r.platform_id')
      .selectAll('r')
      .select(['p.slug as platform_slug', 'p.fs_slug as platform_fs_slug', 'p.name as platform_name', 'p.custom_name as platform_custom_name']);
  }

  /** ROMs hidden from the caller (`hidden`) are left out, and so are hidden siblings of the others. */
  async hydrate(ids: number[], userId: number | null, hidden: HiddenSets = NOTHING_HIDDEN): Promise<RomBundle> {
    if (ids.length === 0) return { roms: [], files: [], userRows: [], facets: [], siblings: [], noteRomIds: new Set() };
    const uid = userId ?? -1;
    let romsQuery = this.romsQuery().where('r.id', 'in', ids);
    if (!hidesNothing(hidden)) romsQuery = romsQuery.where(romNotHidden(hidden, 'r.id', 'r.platform_id'));
    const [roms, files, userRows, facets, siblings, notes] = await Promise.all([
      romsQuery.execute(),
      this.db.selectFrom('rom_files').selectAll().where('rom_id', 'in', ids).execute(),
      this.db.selectFrom('rom_user').selectAll().where('user_id', '=', uid).where('rom_id', 'in', ids).execute(),
      this.db.selectFrom('rom_facets').select(['rom_id', 'kind', 'value'])
        .where('rom_id', 'in', ids).where('kind', 'in', [...METADATA_KINDS]).execute(),
      this.siblings(ids, uid, hidden),
      this.db.selectFrom('rom_notes').select('rom_id').distinct()
        .where('rom_id', 'in', ids).where(visibleTo(userId, 'user_id', 'is_public')).execute(),
    ]);
    return { roms, files, userRows, facets, siblings, noteRomIds: new Set(notes.map((n) => Number(n.rom_id))) };
  }

  /**
   * Same-platform ROMs sharing any provider id (spec §3.8), with the caller's main-sibling flag. One indexed
   * join per id column, unioned: an OR over seven columns would make planners scan the platform.
   */
  private async siblings(ids: number[], userId: number, hidden: HiddenSets): Promise<SiblingRow[]> {
    const idList = sql.join(ids);
    const pairs = SIBLING_IDS.map((c) => sql`select r.id as rom_id, s.id as sibling_id from roms r
      join roms s on ${sql.ref(`s.${c}`)} = ${sql.ref(`r.${c}`)} and s.platform_id = r.platform_id and s.id <> r.id
      where r.id in (${idList}) and ${sql.ref(`r.${c}`)} is not null`);
    const { rows } = await sql<SiblingRow>`
      select p.rom_id, s.id, s.name, s.fs_name_no_tags, s.fs_name_no_ext, su.is_main_sibling
      from (${sql.join(pairs, sql` union `)}) p
      join roms s on s.id = p.sibling_id
      left join rom_user su on su.rom_id = s.id and su.user_id = ${userId}
      ${hidesNothing(hidden) ? sql`` : sql`where ${romNotHidden(hidden, 's.id', 's.platform_id')}`}`.execute(this.db);
    return rows;
  }

  async exists(id: number): Promise<boolean> {
    return (await this.db.selectFrom('roms').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  findFile(fileId: number): Promise<RomFileRow | undefined> {
    return this.db.selectFrom('rom_files').selectAll().where('id', '=', fileId).executeTakeFirst();
  }

  /** Path parts of a ROM that is not hidden from the caller. */
  fullPathOf(romId: number, hidden: HiddenSets = NOTHING_HIDDEN): Promise<{ fs_path: string; fs_name: string } | undefined> {
    let q = this.db.selectFrom('roms').select(['fs_path', 'fs_name']).where('id', '=', romId);
    if (!hidesNothing(hidden)) q = q.where(romNotHidden(hidden, 'id', 'platform_id'));
    return q.executeTakeFirst();
  }

  /** First ROM (lowest id) where any given provider id matches. */
  async findByProviderIds(ids: ProviderIdLookup): Promise<number | null> {
    // Column names come from the fixed list, never from the caller's keys.
    const entries = PROVIDER_ID_PARAMS.flatMap((col) => (ids[col] === undefined ? [] : [[col, ids[col]] as const]));
    if (entries.length === 0) return null;
    const row = await this.db.selectFrom('roms as r').select('r.id')
      .where((eb) => eb.or(entries.map(([col, v]) => eb(sql.ref(`r.${col}`), '=', v))))
      .orderBy('r.id').limit(1).executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  /** First ROM whose own hashes or any of whose files' hashes match one of the given values. */
  async findByHash(q: HashQuery): Promise<number | null> {
    const entries = HASH_PARAMS.flatMap((col) => (typeof q[col] === 'string' ? [[col, q[col]] as const] : []));
    if (entries.length === 0) return null;
    const row = await this.db.selectFrom('roms as r').select('r.id')
      .where((eb) => eb.or([
        ...entries.map(([col, v]) => eb(sql.ref(`r.${col}`), '=', v)),
        eb('r.id', 'in', eb.selectFrom('rom_files as f').select('f.rom_id')
          .where((fb) => fb.or(entries.map(([col, v]) => fb(sql.ref(`f.${col}`), '=', v))))),
      ]))
      .orderBy('r.id').limit(1).executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  /** Caller's notes plus others' public notes, newest first, with author identity. */
  notes(romId: number, userId: number | null) {
    return this.db.selectFrom('rom_notes as n').innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['n.id', 'n.title', 'n.content', 'n.is_public', 'n.tags', 'n.created_at', 'n.updated_at', 'n.user_id',
        'u.username', 'u.avatar_path', 'u.updated_at as user_updated_at'])
      .where('n.rom_id', '=', romId)
      .where(visibleTo(userId, 'n.user_id', 'n.is_public'))
      .orderBy('n.updated_at', 'desc').orderBy('n.id', 'desc')
      .execute();
  }

  /**
   * Regular collections holding the ROM that the caller owns or that are public, then visible smart ones whose
   * cached membership holds it (with owner and criteria: whether the caller may see that membership is decided above).
   */
  async userCollections(romId: number, userId: number | null) {
    const regular = await this.db.selectFrom('collections as c').innerJoin('collections_roms as cr', 'cr.collection_id', 'c.id')
      .select(['c.id', 'c.name']).where('cr.rom_id', '=', romId)
      .where(visibleTo(userId, 'c.user_id', 'c.is_public'))
      .orderBy('c.id').execute();
    const smart = await this.db.selectFrom('smart_collections').select(['id', 'name', 'rom_ids', 'user_id', 'filter_criteria'])
      .where(visibleTo(userId, 'user_id', 'is_public')).orderBy('id').execute();
    return {
      regular: regular.map((c) => ({ id: Number(c.id), name: c.name })),
      smart: smart.filter((s) => parseIds(s.rom_ids).includes(romId))
        .map((s) => ({ id: Number(s.id), name: s.name, user_id: Number(s.user_id), filter_criteria: s.filter_criteria })),
    };
  }

  /** Owner and visibility of a regular collection, for the access check on `collection_id` selectors. */
  findSmartCollection(id: number) {
    return this.db.selectFrom('smart_collections').select(['id', 'user_id', 'is_public', 'filter_criteria'])
      .where('id', '=', id).executeTakeFirst();
  }
}

function parseIds(text: string): number[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}
