import type { RomFiltersDict } from './rom.ts';

/** Kinds of facet a ROM carries (one `rom_facets` row per value). */
export type FacetKind =
  | 'region' | 'language' | 'tag' | 'genre' | 'franchise' | 'collection'
  | 'company' | 'game_mode' | 'age_rating';

/** `*_logic` of a multi-value filter; RomM treats any other string as `any`. */
export type Logic = 'any' | 'all' | 'none';

export interface MultiFilter {
  values: string[];
  logic: Logic;
}

export interface VirtualCollectionRef {
  type: string;
  name: string;
}

/** Facet-backed list filters: query parameter → rom_facets kind. */
export const FACET_FILTERS = {
  genres: 'genre',
  franchises: 'franchise',
  collections: 'collection',
  companies: 'company',
  age_ratings: 'age_rating',
  regions: 'region',
  languages: 'language',
  tags: 'tag',
} as const satisfies Record<string, FacetKind>;

export type FacetFilterName = keyof typeof FACET_FILTERS;

/** Multi-value list filters, each with its `*_logic` companion parameter. */
export const LIST_FILTERS = [...Object.keys(FACET_FILTERS), 'statuses', 'player_counts', 'metadata_providers', 'dat_statuses'] as const;

export const BOOL_FILTERS = [
  'matched', 'favorite', 'duplicate', 'last_played', 'playable', 'missing',
  'has_ra', 'has_saves', 'has_states', 'verified', 'has_soundtrack',
] as const;

export type BoolFilterName = (typeof BOOL_FILTERS)[number];

/**
 * Everything that narrows the ROM set of `GET /api/roms` (spec §3.3). Scope fields come first: they alone
 * define the set the `filter_values` sidecar is computed over.
 */
export interface RomFilter {
  platformIds?: number[];
  collectionId?: number;
  /** `null`: the id could not be decoded, the scope is empty. */
  virtualCollection?: VirtualCollectionRef | null;
  /** Criteria of a smart collection, already resolved; `null`: unknown collection, the scope is empty. */
  smart?: RomFilter | null;
  searchTerm?: string;
  bools?: Partial<Record<BoolFilterName, boolean>>;
  updatedAfter?: number;
  facets?: Partial<Record<FacetFilterName, MultiFilter>>;
  playerCounts?: MultiFilter;
  metadataProviders?: MultiFilter;
  statuses?: MultiFilter;
  /** DAT verification results (`verified`, `renamed`, `bad_dump`, `unknown`: no match or not checked). */
  datStatuses?: MultiFilter;
}

export interface RomOrder {
  /** Lower-cased `order_by` as sent ('' when absent). */
  orderBy: string;
  dir: 'asc' | 'desc';
}

/** Who is asking: per-user filters and sorts read this user's rom_user rows (null: anonymous). */
export interface RomQueryContext {
  userId: number | null;
  /** Region short codes in priority order (`scan.priority.region`). */
  regionPriority: readonly string[];
  /** Platforms and ROMs hidden from the caller (RomM 5 hide lists); absent or empty: nothing hidden. */
  hidden?: { readonly platformIds: readonly number[]; readonly romIds: readonly number[] };
}

export interface RomListSpec {
  filter: RomFilter;
  order: RomOrder;
  groupByMetaId: boolean;
  /** 1G1R: one ROM per DAT parent, the preferred release (domain/dats/one-g-one-r.ts). */
  groupByDatParent?: boolean;
}

/** The `filter_values` sidecar of the ROM list. */
export type FilterValues = RomFiltersDict;

export const emptyFilterValues = (): FilterValues => ({
  genres: [], franchises: [], collections: [], companies: [], game_modes: [], age_ratings: [],
  player_counts: [], regions: [], languages: [], tags: [], platforms: [],
});
