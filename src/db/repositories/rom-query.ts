import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { filterCondition, notHidden, scopeConditions } from './rom-query-filters.ts';
import { groupedCondition } from './rom-query-group.ts';
import { orderBySql, resolveOrder } from './rom-query-order.ts';
import { parseSearchTerm } from './rom-query-search.ts';
import { charIndex, filterValues } from './rom-query-sidecars.ts';
import { and, type Cond } from './rom-query-sql.ts';
import type { FilterValues, RomFilter, RomListSpec, RomQueryContext } from './rom-query-types.ts';

/**
 * The ROM list engine: filtered, ordered, optionally de-duplicated id lists and their sidecars, each one SQL
 * statement whatever the page size. Collections (smart and virtual) reuse it through `RomFilter`.
 */
export class RomQueryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private fromWhere(spec: RomListSpec, ctx: RomQueryContext) {
    const filter = filterCondition(spec.filter, ctx);
    const where = spec.groupByMetaId ? groupedCondition(filter, ctx) : filter;
    return this.fromWhereCond(where, ctx);
  }

  private fromWhereCond(where: Cond, ctx: RomQueryContext) {
    return sql`from roms r left join rom_user ru on ru.rom_id = r.id and ru.user_id = ${ctx.userId ?? -1} where ${where}`;
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

  /** Facet values over the scope of `filter` minus the caller's hidden ROMs (spec §3.10). */
  async filterValues(filter: RomFilter, ctx: RomQueryContext): Promise<FilterValues> {
    const scope = scopeConditions(filter, ctx);
    if (scope.length === 0 && !(await this.hasHidden(ctx))) return filterValues(this.db, null);
    const ids = sql`select r.id ${this.fromWhereCond(and([...scope, notHidden]), ctx)}`;
    return filterValues(this.db, ids);
  }

  /** The same values over the whole library, for `GET /api/roms/filters`. */
  allFilterValues(): Promise<FilterValues> {
    return filterValues(this.db, null);
  }

  private async hasHidden(ctx: RomQueryContext): Promise<boolean> {
    if (ctx.userId === null) return false;
    const row = await this.db.selectFrom('rom_user').select('id')
      .where('user_id', '=', ctx.userId).where('hidden', '=', 1).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** A uniformly random id of the filtered set, or null when it is empty. */
  async randomId(filter: RomFilter, ctx: RomQueryContext): Promise<number | null> {
    const fw = this.fromWhereCond(filterCondition(filter, ctx), ctx);
    const n = Number((await sql<{ n: number }>`select count(*) as n ${fw}`.execute(this.db)).rows[0]?.n ?? 0);
    if (n === 0) return null;
    const offset = Math.floor(Math.random() * n);
    const { rows } = await sql<{ id: number }>`select r.id ${fw} order by r.id limit 1 offset ${offset}`.execute(this.db);
    return rows[0] ? Number(rows[0].id) : null;
  }
}
