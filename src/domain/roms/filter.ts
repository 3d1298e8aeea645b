import { cleanText } from '../../common/text.ts';
import {
  BOOL_FILTERS, FACET_FILTERS, type BoolFilterName, type FacetFilterName, type Logic, type MultiFilter, type RomFilter,
} from '../../contract/rom-filter.ts';
import { decodeVirtualCollectionId, VIRTUAL_TYPE_FACETS } from '../collections/virtual-id.ts';

/**
 * Turns `GET /api/roms` parameters and smart-collection `filter_criteria` into a `RomFilter`. Both use the same
 * names, so the collections code can evaluate criteria with exactly the list's semantics (spec §7.2).
 */


/** Loose input: query parameters after schema validation, or parsed criteria JSON. */
export type FilterInput = Record<string, unknown>;

export const parseLogic = (v: unknown): Logic => (v === 'all' || v === 'none' ? v : 'any');

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x) => typeof x === 'string' || typeof x === 'number').map((x) => cleanText(String(x), 400));
}

function ints(v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map(Number).filter((n) => Number.isSafeInteger(n));
}

function multi(input: FilterInput, name: string, legacy?: string): MultiFilter | undefined {
  const values = strings(input[name]) ?? (legacy ? strings(input[legacy]) : undefined);
  if (!values || values.length === 0) return undefined;
  return { values, logic: parseLogic(input[`${name}_logic`]) };
}

const LEGACY_KEYS: Record<string, string> = {
  genres: 'selected_genre', franchises: 'selected_franchise', collections: 'selected_collection',
  companies: 'selected_company', age_ratings: 'selected_age_rating', regions: 'selected_region',
  languages: 'selected_language', tags: 'selected_tag', statuses: 'selected_status',
};

/** Everything except the smart collection, which needs a database read (see RomsReadService). */
export function filterFromInput(input: FilterInput, opts: { criteria?: boolean } = {}): RomFilter {
  const f: RomFilter = {};
  const platformIds = ints(input.platform_ids) ?? (opts.criteria ? ints(input.platform_id) : undefined);
  if (platformIds?.length) f.platformIds = platformIds;
  const collectionId = ints(input.collection_id)?.[0];
  if (collectionId !== undefined) f.collectionId = collectionId;
  if (typeof input.virtual_collection_id === 'string' && input.virtual_collection_id !== '') {
    const ref = decodeVirtualCollectionId(input.virtual_collection_id);
    const kind = ref && VIRTUAL_TYPE_FACETS[ref.type];
    f.virtualCollection = ref && kind ? { type: kind, name: cleanText(ref.name, 400) } : null;
  }
  if (typeof input.search_term === 'string' && input.search_term.trim() !== '') f.searchTerm = input.search_term;
  const bools: Partial<Record<BoolFilterName, boolean>> = {};
  for (const name of BOOL_FILTERS) {
    if (opts.criteria && name === 'last_played') continue;
    const v = input[name];
    if (typeof v === 'boolean') bools[name] = v;
  }
  if (Object.keys(bools).length) f.bools = bools;
  if (typeof input.updated_after === 'number') f.updatedAfter = input.updated_after;
  const legacy = opts.criteria ? LEGACY_KEYS : {};
  const facets: Partial<Record<FacetFilterName, MultiFilter>> = {};
  for (const name of Object.keys(FACET_FILTERS) as FacetFilterName[]) {
    const m = multi(input, name, legacy[name]);
    if (m) facets[name] = m;
  }
  if (Object.keys(facets).length) f.facets = facets;
  const players = multi(input, 'player_counts');
  if (players) f.playerCounts = players;
  const providers = multi(input, 'metadata_providers');
  if (providers) f.metadataProviders = providers;
  const statuses = multi(input, 'statuses', legacy.statuses);
  if (statuses) f.statuses = statuses;
  const datStatuses = multi(input, 'dat_statuses');
  if (datStatuses) f.datStatuses = datStatuses;
  return f;
}

/** Parsed `filter_criteria` of a smart collection; `smart_collection_id` inside is ignored (no nesting). */
export function filterFromCriteria(criteria: unknown): RomFilter {
  if (!criteria || typeof criteria !== 'object' || Array.isArray(criteria)) return {};
  return filterFromInput(criteria as FilterInput, { criteria: true });
}
