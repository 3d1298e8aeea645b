import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { MAX_ID } from './query.ts';

/** The wire shapes of the DAT routes (`/api/dats`, a romshelf extension). */

export const DatSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String({ description: 'The header name (e.g. "Nintendo - Nintendo Entertainment System (Headered)")' }),
  description: Nullable(Type.String()),
  version: Nullable(Type.String()),
  author: Nullable(Type.String()),
  homepage: Nullable(Type.String()),
  header_skipper: Nullable(Type.String({ description: 'clrmamepro header skipper: the DAT hashes the file without this header' })),
  format: Type.String({ description: 'logiqx or clrmamepro' }),
  source: Type.Union([Type.Literal('folder'), Type.Literal('upload')]),
  source_path: Type.String({ description: 'Path under DATS_PATH, or the uploaded file name' }),
  file_size_bytes: Type.Integer(),
  file_sha1: Type.String(),
  platform_id: Nullable(Type.Integer()),
  platform_slug: Nullable(Type.String({ description: 'Mapped from the header name, or the overriding platform' })),
  platform_name: Nullable(Type.String()),
  platform_override: Type.Boolean({ description: 'The platform was set by an admin; re-imports keep it' }),
  game_count: Type.Integer(),
  rom_count: Type.Integer(),
  imported_at: Type.String(),
  updated_at: Type.String(),
}, { title: 'DatSchema' });

export type DatSchema = Static<typeof DatSchema>;

export const DatIdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_ID }) });

export const DatUpdateBody = Type.Object({
  platform_id: Nullable(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'The platform; null: none' })),
  platform_override: Type.Optional(Type.Boolean({ description: 'false: map from the header name again (platform_id is ignored)' })),
}, { additionalProperties: false });

export type DatUpdateBody = Static<typeof DatUpdateBody>;

/** The multipart form of POST /api/dats, for the OpenAPI document (the body is read as a stream). */
export const DatUploadFormDoc = {
  type: 'object',
  nullable: true,
  required: ['file'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'A Logiqx XML or clrmamepro DAT, or a zip holding one' },
  },
} as const;
