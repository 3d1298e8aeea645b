/**
 * The gallery's whole view state, kept in the URL so reload, back and shared links restore it.
 * Pure functions: URL query ⇄ GalleryView ⇄ /api/roms parameters.
 */

export const MULTI_FILTERS = [
  'platforms', 'genres', 'franchises', 'collections', 'companies', 'age_ratings', 'regions', 'languages',
  'tags', 'player_counts', 'statuses', 'dat_statuses',
] as const;
export type MultiFilter = (typeof MULTI_FILTERS)[number];

export const BOOL_FILTERS = ['favorite', 'matched', 'duplicate', 'missing', 'verified', 'playable', 'has_ra'] as const;
export type BoolFilter = (typeof BOOL_FILTERS)[number];

export const SORTS = ['name', 'fs_size_bytes', 'created_at', 'first_release_date'] as const;
export type Sort = (typeof SORTS)[number];
export type Logic = 'any' | 'all' | 'none';
export type Layout = 'grid' | 'list';

export interface GalleryView {
  search: string;
  sort: Sort;
  dir: 'asc' | 'desc';
  layout: Layout;
  /** Selected values per multi-value filter, with its any/all/none logic. */
  filters: Partial<Record<MultiFilter, { values: string[]; logic: Logic }>>;
  /** Tri-state booleans: absent = no filter, false = negated. */
  bools: Partial<Record<BoolFilter, boolean>>;
  /** Index of the first visible ROM, so a reload returns to the same place. */
  at: number;
  /** One ROM per DAT parent game (1G1R); absent = every ROM. */
  oneGame?: boolean;
}

/** Which ROMs the gallery shows before filters: everything, a platform or a collection. */
export type Scope =
  | { kind: 'all' }
  | { kind: 'platform'; id: number }
  | { kind: 'collection'; id: number }
  | { kind: 'smart'; id: number }
  | { kind: 'virtual'; id: string };

export const DEFAULT_VIEW: GalleryView = { search: '', sort: 'name', dir: 'asc', layout: 'grid', filters: {}, bools: {}, at: 0 };

const LOGICS: Logic[] = ['any', 'all', 'none'];

function parseBool(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return undefined;
}

/** The view a URL query describes; unknown or malformed values fall back to the defaults. */
export function viewFromQuery(query: string | URLSearchParams): GalleryView {
  const q = typeof query === 'string' ? new URLSearchParams(query) : query;
  const sort = q.get('sort');
  const view: GalleryView = {
    search: q.get('q') ?? '',
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : 'name',
    dir: q.get('dir') === 'desc' ? 'desc' : 'asc',
    layout: q.get('view') === 'list' ? 'list' : 'grid',
    filters: {},
    bools: {},
    at: Math.max(0, Math.floor(Number(q.get('at')) || 0)),
  };
  for (const name of MULTI_FILTERS) {
    const values = q.getAll(name).filter((v) => v !== '');
    if (values.length === 0) continue;
    const logic = q.get(`${name}_logic`) as Logic | null;
    view.filters[name] = { values, logic: logic && LOGICS.includes(logic) ? logic : 'any' };
  }
  for (const name of BOOL_FILTERS) {
    const value = parseBool(q.get(name));
    if (value !== undefined) view.bools[name] = value;
  }
  if (parseBool(q.get('1g1r')) === true) view.oneGame = true;
  return view;
}

/** The shortest URL query for a view (defaults omitted), in a stable key order. */
export function viewToQuery(view: GalleryView): string {
  const q = new URLSearchParams();
  if (view.search.trim()) q.set('q', view.search.trim());
  if (view.sort !== 'name') q.set('sort', view.sort);
  if (view.dir !== 'asc') q.set('dir', view.dir);
  if (view.layout !== 'grid') q.set('view', view.layout);
  for (const name of MULTI_FILTERS) {
    const f = view.filters[name];
    if (!f || f.values.length === 0) continue;
    for (const v of f.values) q.append(name, v);
    if (f.logic !== 'any') q.set(`${name}_logic`, f.logic);
  }
  for (const name of BOOL_FILTERS) {
    const b = view.bools[name];
    if (b !== undefined) q.set(name, String(b));
  }
  if (view.oneGame) q.set('1g1r', 'true');
  if (view.at > 0) q.set('at', String(view.at));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export type ApiParams = Record<string, string | number | boolean | Array<string | number>>;

/** `/api/roms` parameters for a view within a scope (paging and sidecar flags are added by the caller). */
export function viewToApiParams(view: GalleryView, scope: Scope): ApiParams {
  const p: ApiParams = { order_by: view.sort, order_dir: view.dir };
  if (view.search.trim()) p.search_term = view.search.trim();
  if (scope.kind === 'platform') p.platform_ids = [scope.id];
  if (scope.kind === 'collection') p.collection_id = scope.id;
  if (scope.kind === 'smart') p.smart_collection_id = scope.id;
  if (scope.kind === 'virtual') p.virtual_collection_id = scope.id;
  for (const name of MULTI_FILTERS) {
    const f = view.filters[name];
    if (!f || f.values.length === 0) continue;
    if (name === 'platforms') {
      // Platforms are an OR list without logic; a platform scope already narrows to one.
      const ids = f.values.map(Number).filter((n) => Number.isInteger(n) && n > 0);
      if (scope.kind !== 'platform' && ids.length > 0) p.platform_ids = ids;
      continue;
    }
    p[name] = f.values;
    if (f.logic !== 'any') p[`${name}_logic`] = f.logic;
  }
  for (const name of BOOL_FILTERS) {
    const b = view.bools[name];
    if (b !== undefined) p[name] = b;
  }
  if (view.oneGame) p.group_by_dat_parent = true;
  return p;
}

/** RomM's smart-collection `filter_criteria` for the gallery's current filters. */
export function viewToFilterCriteria(view: GalleryView, scope: Scope): Record<string, unknown> {
  const c: Record<string, unknown> = { order_by: view.sort, order_dir: view.dir };
  if (view.search.trim()) c.search_term = view.search.trim();
  const platformIds = scope.kind === 'platform' ? [scope.id] : (view.filters.platforms?.values ?? []).map(Number).filter((n) => n > 0);
  if (platformIds.length > 0) c.platform_ids = platformIds;
  if (scope.kind === 'collection') c.collection_id = scope.id;
  if (scope.kind === 'virtual') c.virtual_collection_id = scope.id;
  for (const name of MULTI_FILTERS) {
    const f = view.filters[name];
    if (name === 'platforms' || !f || f.values.length === 0) continue;
    c[name] = f.values;
    c[`${name}_logic`] = f.logic;
  }
  for (const name of BOOL_FILTERS) {
    const b = view.bools[name];
    if (b !== undefined) c[name] = b;
  }
  return c;
}

/** Number of active filters (for the filter button's badge). */
export function activeFilterCount(view: GalleryView): number {
  return Object.values(view.filters).filter((f) => f && f.values.length > 0).length + Object.keys(view.bools).length
    + (view.oneGame ? 1 : 0);
}
