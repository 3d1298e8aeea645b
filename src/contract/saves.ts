import { Type, type Static } from 'typebox';
import { MAX_ID } from './query.ts';

/** The wire shapes of the saves, states and screenshots routes (romm-api-clients.md §6.3), in RomM's field order. */

const Id = () => Type.Integer({ minimum: -MAX_ID, maximum: MAX_ID });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const baseAssetFields = {
  id: Type.Integer(),
  rom_id: Type.Integer(),
  user_id: Type.Integer(),
  file_name: Type.String(),
  file_name_no_tags: Type.String(),
  file_name_no_ext: Type.String(),
  file_extension: Type.String(),
  file_path: Type.String({ description: 'Folder relative to the assets root' }),
  file_size_bytes: Type.Integer(),
  full_path: Type.String(),
  download_path: Type.String({ description: 'Content URL with an ignored, unencoded `timestamp` cache-buster' }),
  missing_from_fs: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
};

export const ScreenshotSchema = Type.Object({
  ...baseAssetFields,
  is_gallery: Type.Boolean(),
  is_public: Type.Boolean(),
}, { title: 'ScreenshotSchema' });
export type ScreenshotSchema = Static<typeof ScreenshotSchema>;

export const DeviceSyncSchema = Type.Object({
  device_id: Type.String(),
  device_name: Nullable(Type.String()),
  last_synced_at: Type.String(),
  is_untracked: Type.Boolean(),
  is_current: Type.Boolean(),
}, { title: 'DeviceSyncSchema' });
export type DeviceSyncSchema = Static<typeof DeviceSyncSchema>;

export const SaveSchema = Type.Object({
  ...baseAssetFields,
  emulator: Nullable(Type.String()),
  slot: Nullable(Type.String()),
  content_hash: Nullable(Type.String()),
  is_public: Type.Boolean(),
  screenshot: Type.Union([ScreenshotSchema, Type.Null()]),
  origin_device_id: Nullable(Type.String()),
  device_syncs: Type.Array(DeviceSyncSchema),
}, { title: 'SaveSchema' });
export type SaveSchema = Static<typeof SaveSchema>;

export const StateSchema = Type.Object({
  ...baseAssetFields,
  emulator: Nullable(Type.String()),
  is_public: Type.Boolean(),
  screenshot: Type.Union([ScreenshotSchema, Type.Null()]),
}, { title: 'StateSchema' });
export type StateSchema = Static<typeof StateSchema>;

export const SaveSummarySchema = Type.Object({
  total_count: Type.Integer(),
  slots: Type.Array(Type.Object({ slot: Nullable(Type.String()), count: Type.Integer(), latest: SaveSchema })),
}, { title: 'SaveSummarySchema' });
export type SaveSummarySchema = Static<typeof SaveSummarySchema>;

/** A previous content of a save or state (romshelf; RomM has no versions). */
export const AssetVersionSchema = Type.Object({
  id: Type.Integer(),
  asset_id: Type.Integer({ description: 'The save or state this content belonged to (the row may be deleted)' }),
  file_name: Type.String(),
  file_size_bytes: Type.Integer(),
  content_hash: Nullable(Type.String()),
  reason: Type.Union([Type.Literal('overwrite'), Type.Literal('delete'), Type.Literal('restore')], {
    description: 'What replaced this content: an upload, a delete, or a restore of another version',
  }),
  content_updated_at: Type.String({ description: "The asset's updated_at while it had this content" }),
  created_at: Type.String({ description: 'When this content was replaced' }),
  download_path: Type.String(),
}, { title: 'AssetVersionSchema' });
export type AssetVersionSchema = Static<typeof AssetVersionSchema>;

/**
 * A deleted save or state of the caller that still has kept versions (romshelf; RomM has no versions): what it was
 * and its versions, newest first. Restoring one of them brings it back under `id`.
 */
export const DeletedAssetSchema = Type.Object({
  id: Type.Integer({ description: 'The deleted save or state id; restore through /{id}/versions/{version_id}/restore' }),
  rom_id: Type.Integer(),
  file_name: Type.String(),
  file_path: Type.String({ description: 'Folder relative to the assets root it had' }),
  emulator: Nullable(Type.String()),
  slot: Nullable(Type.String({ description: 'Saves only; always null for states' })),
  deleted_at: Type.String({ description: 'When its newest version was kept' }),
  versions: Type.Array(AssetVersionSchema),
}, { title: 'DeletedAssetSchema' });
export type DeletedAssetSchema = Static<typeof DeletedAssetSchema>;
export const DeletedListQuery = Type.Object({ rom_id: Type.Optional(Id()) });

const DeviceIdQ = Type.String({ maxLength: 255 });
const Slot = Type.String({ maxLength: 255 });

export const SaveUploadQuery = Type.Object({
  rom_id: Id(),
  emulator: Type.Optional(Type.String({ maxLength: 50 })),
  slot: Type.Optional(Slot),
  device_id: Type.Optional(DeviceIdQ),
  session_id: Type.Optional(Id()),
  overwrite: Type.Optional(Type.Boolean({ default: false })),
  autocleanup: Type.Optional(Type.Boolean({ default: false })),
  autocleanup_limit: Type.Optional(Type.Integer({ default: 10, minimum: -MAX_ID, maximum: MAX_ID })),
});
export type SaveUploadQuery = Static<typeof SaveUploadQuery>;

export const SaveListQuery = Type.Object({
  rom_id: Type.Optional(Id()),
  platform_id: Type.Optional(Id()),
  device_id: Type.Optional(DeviceIdQ),
  slot: Type.Optional(Slot),
});
export type SaveListQuery = Static<typeof SaveListQuery>;

export const StateUploadQuery = Type.Object({ rom_id: Id(), emulator: Type.Optional(Type.String({ maxLength: 50 })) });
export const StateListQuery = Type.Object({ rom_id: Type.Optional(Id()), platform_id: Type.Optional(Id()) });
export const SaveSummaryQuery = Type.Object({ rom_id: Id() });
export const AssetIdParam = Type.Object({ id: Id() });
export const AssetVersionParams = Type.Object({ id: Id(), version_id: Id() });
export const DeviceQuery = Type.Object({ device_id: Type.Optional(DeviceIdQ) });
export const SaveContentQuery = Type.Object({
  device_id: Type.Optional(DeviceIdQ),
  session_id: Type.Optional(Id()),
  optimistic: Type.Optional(Type.Boolean({ default: true })),
  timestamp: Type.Optional(Type.String({ maxLength: 100, description: 'Ignored cache-buster' })),
});
export const DeviceBody = Type.Object({ device_id: DeviceIdQ });
export const VisibilityBody = Type.Object({ is_public: Type.Boolean() });
export const SavesDeleteBody = Type.Object({ saves: Type.Array(Id(), { maxItems: 10_000 }) });
export const StatesDeleteBody = Type.Object({ states: Type.Array(Id(), { maxItems: 10_000 }) });

/** A multipart form for the OpenAPI document (bodies are read as streams). */
export function uploadFormDoc(fileField: string, required: boolean): Record<string, unknown> {
  return {
    type: 'object',
    nullable: true,
    ...(required ? { required: [fileField] } : {}),
    properties: {
      [fileField]: { type: 'string', format: 'binary' },
      screenshotFile: { type: 'string', format: 'binary' },
    },
  };
}
