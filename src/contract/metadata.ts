import { Type } from 'typebox';

/** `GET /api/metadata/sources`: the metadata sources romshelf has and whether each is configured. */
export const MetadataSourcesSchema = Type.Object({
  sources: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), available: Type.Boolean(), local: Type.Boolean(),
  })),
});

/** `GET /api/roms/{id}/metadata/sources`: which source filled each field (`manual`: a user's edit). */
export const RomMetadataSourcesSchema = Type.Object({
  fields: Type.Record(Type.String(), Type.String()),
});
