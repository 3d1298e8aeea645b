import { describe, expect, it } from 'vitest';
import { toRomFileSchema } from '../../../src/domain/roms/mapper-parts.ts';
import type { RomFileRow } from '../../../src/db/repositories/roms-read-repository.ts';

describe('RomFileSchema archive members', () => {
  it("carry RomM's keys only: the scanner's headerless member hashes stay internal", () => {
    const members = [
      { name: 'a.nes', size: 40976, crc_hash: '01234567', md5_hash: 'a'.repeat(32), sha1_hash: 'b'.repeat(40), header_skipped: 16,
        headerless_crc_hash: '89abcdef', headerless_md5_hash: 'c'.repeat(32), headerless_sha1_hash: 'd'.repeat(40) },
      { name: 'readme.txt', size: 5, crc_hash: '11111111', md5_hash: 'e'.repeat(32), sha1_hash: 'f'.repeat(40) },
    ];
    const row: RomFileRow = {
      id: 1, rom_id: 2, file_name: 'set.zip', file_path: 'roms/nes', file_size_bytes: 100, last_modified: 0, file_ctime_ms: null,
      file_ino: null, crc_hash: '', md5_hash: '', sha1_hash: '', ra_hash: null, chd_sha1_hash: '', header_skipped: 0,
      headerless_crc_hash: null, headerless_md5_hash: null, headerless_sha1_hash: null, archive_members: JSON.stringify(members),
      category: null, missing_from_fs: 0, dat_status: null, dat_game: null, dat_id: null, created_at: 0, updated_at: 0,
    };
    const out = toRomFileSchema(row, 'roms/nes/set.zip');
    expect(out.archive_members).toEqual(members.map(({ name, size, crc_hash, md5_hash, sha1_hash }) => ({ name, size, crc_hash, md5_hash, sha1_hash })));
    expect(Object.keys(out)).not.toContain('header_skipped');
  });
});
