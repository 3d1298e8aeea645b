import type { Kysely } from 'kysely';
import type { Db, EngineCapabilities } from '../engine.ts';
import { idListAggregate, parseIdList } from './collections-sql.ts';
import type { Database } from '../schema.ts';

export interface VirtualGroup {
  kind: string;
  value: string;
  romIds: number[];
}

export interface CoverRow {
  id: number;
  path_cover_s: string;
  path_cover_l: string;
}

/** A virtual collection exists once it has more than two ROMs (spec §7.3). */
export const VIRTUAL_MIN_ROMS = 3;
const CHUNK = 1000;

/**
 * Virtual collections read straight from `rom_facets`: its (kind, value, rom_id) primary key is the membership,
 * kept current by whoever writes facets, so listing is one ordered index scan grouped by (kind, value) and a single
 * collection is one index range. Nothing is recomputed from ROM metadata per request.
 */
export class VirtualCollectionsRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  /** Bumped by triggers whenever facets, ROM covers or ROM rows change (migration 0401). */
  async facetsVersion(): Promise<number> {
    const row = await this.db.selectFrom('collections_state').select('facets_version').where('id', '=', 1).executeTakeFirst();
    return Number(row?.facets_version ?? 0);
  }

  /** `(kind, value)` groups with at least three ROMs, ordered by value, at most `limit`. */
  async names(kinds: readonly string[], limit?: number): Promise<{ kind: string; value: string }[]> {
    if (kinds.length === 0) return [];
    let q = this.db.selectFrom('rom_facets').select(['kind', 'value'])
      .where('kind', 'in', kinds as never[]).groupBy(['kind', 'value'])
      .having((eb) => eb.fn.countAll(), '>=', VIRTUAL_MIN_ROMS)
      .orderBy('value').orderBy('kind');
    if (limit !== undefined) q = q.limit(limit);
    return (await q.execute()).map((r) => ({ kind: r.kind, value: r.value }));
  }

  /** The groups with their member ids (ascending), in the same order as `names`. */
  async groups(kinds: readonly string[], limit?: number): Promise<VirtualGroup[]> {
    if (kinds.length === 0) return [];
    const agg = idListAggregate(this.caps, 'rom_id');
    if (!agg) return this.groupsFromRows(kinds, limit);
    let q = this.db.selectFrom('rom_facets').select(['kind', 'value', agg.as('ids')])
      .where('kind', 'in', kinds as never[]).groupBy(['kind', 'value'])
      .having((eb) => eb.fn.countAll(), '>=', VIRTUAL_MIN_ROMS)
      .orderBy('value').orderBy('kind');
    if (limit !== undefined) q = q.limit(limit);
    const rows = await q.execute();
    return rows.map((r) => ({ kind: r.kind, value: r.value, romIds: parseIdList(r.ids) }));
  }

  /** Fallback without a string aggregate whose length is unbounded: names first, then the member rows. */
  private async groupsFromRows(kinds: readonly string[], limit?: number): Promise<VirtualGroup[]> {
    const names = await this.names(kinds, limit);
    const byKey = new Map(names.map((n) => [`${n.kind}\u0000${n.value}`, { ...n, romIds: [] as number[] }]));
    const rows = await this.db.selectFrom('rom_facets').select(['kind', 'value', 'rom_id'])
      .where('kind', 'in', kinds as never[]).orderBy('kind').orderBy('value').orderBy('rom_id').execute();
    for (const r of rows) byKey.get(`${r.kind}\u0000${r.value}`)?.romIds.push(Number(r.rom_id));
    return [...byKey.values()];
  }

  /** Member ids of one group, ascending (possibly fewer than three). */
  async members(kind: string, value: string): Promise<number[]> {
    const rows = await this.db.selectFrom('rom_facets').select('rom_id')
      .where('kind', '=', kind as never).where('value', '=', value).orderBy('rom_id').execute();
    return rows.map((r) => Number(r.rom_id));
  }

  /** Cover paths of the given ROMs that have one. */
  async covers(romIds: readonly number[]): Promise<CoverRow[]> {
    const out: CoverRow[] = [];
    for (let i = 0; i < romIds.length; i += CHUNK) {
      const ids = romIds.slice(i, i + CHUNK);
      const rows = await this.db.selectFrom('roms').select(['id', 'path_cover_s', 'path_cover_l'])
        .where('id', 'in', ids)
        .where((eb) => eb.or([eb('path_cover_s', '<>', ''), eb('path_cover_l', '<>', '')])).execute();
      for (const r of rows) out.push({ ...r, id: Number(r.id) });
    }
    return out;
  }
}
