import { Type, type TSchema } from 'typebox';
import { BOOL_FILTERS, LIST_FILTERS } from './rom-filter.ts';
import { MAX_ID, QueryBool, QueryDateTime, QueryId, QueryList } from './query.ts';

/** Query strings of the ROM read routes (spec §3.1, §4). */

const Text = (maxLength = 10_000) => Type.String({ maxLength });

const boolFilters = Object.fromEntries(BOOL_FILTERS.map((n) => [n, Type.Optional(QueryBool())]));
const listFilters = Object.fromEntries(LIST_FILTERS.flatMap((n): [string, TSchema][] => [
  [n, Type.Optional(QueryList(Text(1000)))],
  [`${n}_logic`, Type.Optional(Text(100))],
]));

/** Scope shared by the list, `/random` and the sidecars. */
const scope = {
  platform_ids: Type.Optional(QueryList(QueryId({ minimum: 0 }))),
  collection_id: Type.Optional(QueryId()),
  virtual_collection_id: Type.Optional(Text(2000)),
  smart_collection_id: Type.Optional(QueryId()),
};

export const RomListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
  with_char_index: Type.Optional(QueryBool()),
  with_filter_values: Type.Optional(QueryBool()),
  with_rom_id_index: Type.Optional(QueryBool()),
  with_total: Type.Optional(QueryBool()),
  search_term: Type.Optional(Text()),
  ...scope,
  ...boolFilters,
  group_by_meta_id: Type.Optional(QueryBool()),
  group_by_dat_parent: Type.Optional(QueryBool('One ROM per DAT parent game: the preferred release (1G1R)')),
  ...listFilters,
  order_by: Type.Optional(Text(200)),
  order_dir: Type.Optional(Text(20)),
  updated_after: Type.Optional(QueryDateTime('ISO 8601 datetime with timezone information')),
  with_files: Type.Optional(QueryBool()),
});

export const RomRandomQuery = Type.Object(scope);

const ProviderId = Type.Optional(Type.Integer({ minimum: -MAX_ID, maximum: MAX_ID }));

/**
 * The provider ids RomM's lookup takes (spec §4.3). Other query keys are ignored like FastAPI ignores them; they
 * must never reach the database as column names.
 */
export const PROVIDER_ID_PARAMS = [
  'igdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'hltb_id', 'flashpoint_id',
] as const;
export type ProviderIdParam = (typeof PROVIDER_ID_PARAMS)[number];
export type ProviderIdLookup = Partial<Record<ProviderIdParam, number | string>>;

/** The rom-level hash columns RomM's hash lookup takes (spec §4.4). */
export const HASH_PARAMS = ['crc_hash', 'md5_hash', 'sha1_hash', 'ra_hash'] as const;

export const ByMetadataProviderQuery = Type.Object({
  igdb_id: ProviderId, moby_id: ProviderId, ss_id: ProviderId, ra_id: ProviderId, launchbox_id: ProviderId,
  hasheous_id: ProviderId, tgdb_id: ProviderId, hltb_id: ProviderId,
  flashpoint_id: Type.Optional(Text(100)),
});

export const ByHashQuery = Type.Object({
  crc_hash: Type.Optional(Text(200)),
  md5_hash: Type.Optional(Text(200)),
  sha1_hash: Type.Optional(Text(200)),
  ra_hash: Type.Optional(Text(200)),
});

export const RomIdParam = Type.Object({ id: QueryId() });
