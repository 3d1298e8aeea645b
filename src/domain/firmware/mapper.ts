import { isoFromMs } from '../../common/time.ts';
import type { FirmwareSchema } from '../../contract/firmware.ts';
import type { FirmwareRow } from '../../db/repositories/firmware-repository.ts';

/** RomM's `FirmwareSchema` (spec §3.3), in its field order; `full_path` is `file_path/file_name`. */
export function toFirmwareSchema(f: FirmwareRow): FirmwareSchema {
  return {
    id: f.id,
    file_name: f.file_name,
    file_name_no_tags: f.file_name_no_tags,
    file_name_no_ext: f.file_name_no_ext,
    file_extension: f.file_extension,
    file_path: f.file_path,
    file_size_bytes: f.file_size_bytes,
    full_path: `${f.file_path}/${f.file_name}`,
    is_verified: f.is_verified === 1,
    crc_hash: f.crc_hash,
    md5_hash: f.md5_hash,
    sha1_hash: f.sha1_hash,
    missing_from_fs: f.missing_from_fs === 1,
    created_at: isoFromMs(f.created_at),
    updated_at: isoFromMs(f.updated_at),
  };
}
