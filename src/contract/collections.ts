import { Type, type Static } from 'typebox';
import { Detail, errorResponses, Nullable, ValidationDetail } from './common.ts';
import { MAX_ID, QueryBool, QueryDateTime } from './query.ts';

/** Wire shapes of the collection routes (spec §7), in RomM's field order. */

const baseFields = {
  name: Type.String(),
  description: Type.String(),
  rom_ids: Type.Array(Type.Integer(), { uniqueItems: true }),
  rom_count: Type.Integer(),
  path_cover_small: Nullable(Type.String()),
  path_cover_large: Nullable(Type.String()),
  path_covers_small: Type.Array(Type.String()),
  path_covers_large: Type.Array(Type.String()),
  is_public: Type.Boolean(),
  is_favorite: Type.Boolean(),
  is_virtual: Type.Boolean(),
  is_smart: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

export const CollectionSchema = Type.Object({
  ...baseFields,
  id: Type.Integer(),
  url_cover: Nullable(Type.String()),
  user_id: Type.Integer(),
  owner_username: Type.String(),
});

export const SmartCollectionSchema = Type.Object({
  ...baseFields,
  id: Type.Integer(),
  filter_criteria: Type.Object({}, { additionalProperties: true }),
  filter_summary: Type.String(),
  user_id: Type.Integer(),
  owner_username: Type.String(),
});

export const VirtualCollectionSchema = Type.Object({
  ...baseFields,
  id: Type.String(),
  type: Type.String(),
});

export type CollectionSchema = Static<typeof CollectionSchema>;
export type SmartCollectionSchema = Static<typeof SmartCollectionSchema>;
export type VirtualCollectionSchema = Static<typeof VirtualCollectionSchema>;

export const CollectionIdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_ID }) });
export const VirtualIdParam = Type.Object({ id: Type.String({ maxLength: 2000 }) });

export const UpdatedAfterQuery = Type.Object({
  updated_after: Type.Optional(QueryDateTime('Only collections updated after this datetime (ISO 8601 with timezone).')),
});

export const CreateCollectionQuery = Type.Object({
  is_public: Type.Optional(QueryBool()),
  is_favorite: Type.Optional(QueryBool()),
});

export const UpdateCollectionQuery = Type.Object({
  is_public: Type.Optional(QueryBool()),
  remove_cover: Type.Optional(QueryBool()),
});

export const PublicQuery = Type.Object({ is_public: Type.Optional(QueryBool()) });

export const CollectionRomsBody = Type.Object({
  rom_ids: Type.Array(Type.Integer({ minimum: -MAX_ID, maximum: MAX_ID }), { maxItems: 100_000 }),
});

export const VirtualListQuery = Type.Object({
  type: Type.String({ maxLength: 50, description: 'genre, franchise, collection, mode, company or all' }),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID })),
});

/** Form fields of the collection writes, for the OpenAPI document (bodies are read by readCollectionForm). */
export const CollectionForm = Type.Object({
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  url_cover: Type.Optional(Type.String()),
  artwork: Type.Optional(Type.String({ format: 'binary' })),
});

/** Error bodies of the collection routes: 409 for duplicate names, and 422 either FastAPI's list or RomM's string. */
export const collectionErrors = {
  ...errorResponses,
  409: Detail,
  422: Type.Union([ValidationDetail, Detail]),
};
