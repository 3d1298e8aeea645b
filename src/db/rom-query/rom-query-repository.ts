import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { filterCondition, filterUsesUserRow, notHidden, permissionHides, scopeConditions } from './filters.ts';
import { datParentCondition, groupedCondition } from './group.ts';
import { orderBySql, resolveOrder } from './order.ts';
import { parseSearchTerm } from './search.ts';
import { charIndex, facetCounts, subtractCounts, type FacetCounts } from './sidecars.ts';
import { and, type Cond } from './sql.ts';
import type { RomFilter, RomListSpec, RomQueryContext } from '../../contract/rom-filter.ts';

/**
 * The ROM list engine: filtered, ordered, optionally de-duplicated id lists and their sidecars, each one SQL
 * statement whatever the page size. Collections (smart and virtual) reuse it through `RomFilter`.
 */
export class RomQueryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private fromWhere(spec: RomListSpec, ctx: RomQueryContext) {
    const filter = and([filterCondition(spec.filter, ctx), ...permissionHides(ctx)]);
    if (spec.groupByMetaId) return this.fromWhereCond(groupedCondition(filter, ctx), ctx, this.orderFor(spec).usesUserRow);
    if (spec.groupByDatParent) {
      // The filter may read the caller's rom_user row: inside the window it needs its own join.
      const inner = filterUsesUserRow(spec.filter) ? sql`r.id in (select r.id ${this.fromWhereCond(filter, ctx)})` : filter;
      return this.fromWhereCond(datParentCondition(inner, ctx), ctx, this.orderFor(spec).usesUserRow);
    }
    return this.fromWhereCond(filter, ctx, filterUsesUserRow(spec.filter) || this.orderFor(spec).usesUserRow);
  }

  /** The caller's rom_user row is joined only when a condition or the sort reads it. */
  private fromWhereCond(where: Cond, ctx: RomQueryContext, withUserRow = true) {
    const join = withUserRow ? sql`left join rom_user ru on ru.rom_id = r.id and ru.user_id = ${ctx.userId ?? -1}` : sql``;
    return sql`from roms r ${join} where ${where}`;
  }

  private orderFor(spec: RomListSpec) {
    const terms = spec.filter.searchTerm ? parseSearchTerm(spec.filter.searchTerm) : [];
    return resolveOrder(spec.order, terms);
  }

  /** Every matching id in list order (the `rom_id_index`). */
  async ids(spec: RomListSpec, ctx: RomQueryContext): Promise<number[]> {
    const order = this.orderFor(spec);
    const { rows } = await sql<{ id: number }>`select r.id ${this.fromWhere(spec, ctx)} order by ${orderBySql(order.keys)}`.execute(this.db);
    return rows.map((r) => Number(r.id));
  }

  /** One page of ids, ordered and cut by the database. */
  async pageIds(spec: RomListSpec, ctx: RomQueryContext, limit: number, offset: number): Promise<number[]> {
    const order = this.orderFor(spec);
    const { rows } = await sql<{ id: number }>`select r.id ${this.fromWhere(spec, ctx)} order by ${orderBySql(order.keys)}
      limit ${limit} offset ${offset}`.execute(this.db);
    return rows.map((r) => Number(r.id));
  }

  async count(spec: RomListSpec, ctx: RomQueryContext): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*) as n ${this.fromWhere(spec, ctx)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  async charIndex(spec: RomListSpec, ctx: RomQueryContext): Promise<Record<string, number>> {
    const order = this.orderFor(spec);
    return charIndex(this.db, this.fromWhere(spec, ctx), order.charColumn, spec.order.dir);
  }

  /** Facet counts over the whole library (cache it: both queries scan an index end to end). */
  allFacetCounts(): Promise<FacetCounts> {
    return facetCounts(this.db, null);
  }

  /**
   * Facet counts for the `filter_values` sidecar (spec §3.10): the scope of `filter` minus the caller's hidden
   * ROMs. Unscoped, it is the library's counts (`all`) minus those of the hidden ROMs.
   */
  async scopedFacetCounts(filter: RomFilter, ctx: RomQueryContext, all: () => Promise<FacetCounts>): Promise<FacetCounts> {
    const scope = [...scopeConditions(filter, ctx), ...permissionHides(ctx)];
    if (scope.length === 0) {
      const hidden = sql`select hu.rom_id as id from rom_user hu where hu.user_id = ${ctx.userId ?? -1} and hu.hidden = 1`;
      const base = await all();
      if (ctx.userId === null) return base;
      return subtractCounts(base, await facetCounts(this.db, hidden));
    }
    return facetCounts(this.db, sql`select r.id ${this.fromWhereCond(and([...scope, notHidden(ctx)]), ctx, false)}`);
  }

  /** A uniformly random id of the filtered set, or null when it is empty. */
  async randomId(filter: RomFilter, ctx: RomQueryContext): Promise<number | null> {
    const fw = this.fromWhereCond(and([filterCondition(filter, ctx), ...permissionHides(ctx)]), ctx, filterUsesUserRow(filter));
    const n = Number((await sql<{ n: number }>`select count(*) as n ${fw}`.execute(this.db)).rows[0]?.n ?? 0);
    if (n === 0) return null;
    const offset = Math.floor(Math.random() * n);
    const { rows } = await sql<{ id: number }>`select r.id ${fw} order by r.id limit 1 offset ${offset}`.execute(this.db);
    return rows[0] ? Number(rows[0].id) : null;
  }
}
