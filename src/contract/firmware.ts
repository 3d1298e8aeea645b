import { Type, type Static } from 'typebox';
import { MAX_ID } from './query.ts';

/** The wire shapes of the firmware routes (romm-api-clients.md §3). */

const AnyId = () => Type.Integer({ minimum: -MAX_ID, maximum: MAX_ID });

/** RomM's `FirmwareSchema`, in its field order. No `platform_id`: clients read the platform from `file_path`. */
export const FirmwareSchema = Type.Object({
  id: Type.Integer(),
  file_name: Type.String(),
  file_name_no_tags: Type.String(),
  file_name_no_ext: Type.String(),
  file_extension: Type.String(),
  file_path: Type.String({ description: 'Library-relative folder: bios/<fs_slug> or <fs_slug>/bios' }),
  file_size_bytes: Type.Integer(),
  full_path: Type.String(),
  is_verified: Type.Boolean({ description: 'Size and a hash match an entry of the known-BIOS lists' }),
  crc_hash: Type.String(),
  md5_hash: Type.String(),
  sha1_hash: Type.String(),
  missing_from_fs: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
}, { title: 'FirmwareSchema' });

export type FirmwareSchema = Static<typeof FirmwareSchema>;

export const AddFirmwareResponse = Type.Object({
  uploaded: Type.Integer({ description: 'Parts received in the `files` field, including skipped ones without a name' }),
  firmware: Type.Array(FirmwareSchema),
}, { title: 'AddFirmwareResponse' });

export type AddFirmwareResponse = Static<typeof AddFirmwareResponse>;

export const FirmwareListQuery = Type.Object({
  platform_id: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID, description: 'Only this platform (0: all)' })),
});

export const FirmwareUploadQuery = Type.Object({ platform_id: AnyId() });

export const FirmwareIdParam = Type.Object({ id: AnyId() });

export const FirmwareContentParams = Type.Object({
  id: AnyId(),
  file_name: Type.String({ maxLength: 4096, description: 'Ignored (kept for EmulatorJS)' }),
});

const FirmwareIdList = Type.Array(AnyId(), { maxItems: 100_000 });

export const FirmwareDeleteBody = Type.Object({
  firmware: FirmwareIdList,
  delete_from_fs: Type.Optional(FirmwareIdList),
});

export type FirmwareDeleteBody = Static<typeof FirmwareDeleteBody>;

/** The multipart form of POST /api/firmware, for the OpenAPI document (the body is read as a stream). */
export const FirmwareUploadFormDoc = {
  type: 'object',
  nullable: true,
  required: ['files'],
  properties: {
    files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'Firmware files (repeatable)' },
  },
} as const;
