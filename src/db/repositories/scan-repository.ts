import type { Kysely } from 'kysely';
import type { Database, RomFileCategory } from '../schema.ts';

/** What the scanner needs to know about a ROM already in the database. */
export interface KnownRom {
  id: number;
  platform_id: number;
  fs_name: string;
  fs_name_no_tags: string;
  name: string | null;
  name_sort_key_custom: number;
  missing_from_fs: number;
  fs_size_bytes: number;
  fs_path: string;
  regions: string;
  languages: string;
  tags: string;
  revision: string | null;
  version: string | null;
  crc_hash: string | null;
  md5_hash: string | null;
  sha1_hash: string | null;
  ra_hash: string | null;
}

export interface KnownFile {
  id: number;
  rom_id: number;
  file_name: string;
  file_path: string;
  file_size_bytes: number;
  last_modified: number | null;
  file_ctime_ms: number | null;
  file_ino: number | null;
  crc_hash: string | null;
  md5_hash: string | null;
  sha1_hash: string | null;
  chd_sha1_hash: string | null;
  header_skipped: number | null;
  headerless_crc_hash: string | null;
  headerless_md5_hash: string | null;
  headerless_sha1_hash: string | null;
  archive_members: string | null;
  category: RomFileCategory | null;
}

export interface KnownPlatform {
  id: number;
  fs_slug: string;
  slug: string;
  missing_from_fs: number;
}

const ROM_COLUMNS = [
  'id', 'platform_id', 'fs_name', 'fs_name_no_tags', 'name', 'name_sort_key_custom', 'missing_from_fs',
  'fs_size_bytes', 'fs_path', 'regions', 'languages', 'tags', 'revision', 'version', 'crc_hash', 'md5_hash',
  'sha1_hash', 'ra_hash',
] as const;

/** Reads of the scanner: per-platform snapshots, loaded once per platform pass. */
export class ScanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  listPlatforms(): Promise<KnownPlatform[]> {
    return this.db.selectFrom('platforms').select(['id', 'fs_slug', 'slug', 'missing_from_fs']).orderBy('id').execute();
  }

  /**
   * Names and missing flags, enough to compute missing flips. Two index-only reads (the unique
   * (platform_id, fs_name) index and (platform_id, missing_from_fs)) instead of reading every wide row.
   */
  async listRomNames(platformId: number): Promise<{ id: number; fs_name: string; missing_from_fs: number }[]> {
    const names = await this.db.selectFrom('roms').select(['id', 'fs_name']).where('platform_id', '=', platformId).execute();
    const missing = await this.db.selectFrom('roms').select('id')
      .where('platform_id', '=', platformId).where('missing_from_fs', '=', 1).execute();
    const missingIds = new Set(missing.map((r) => r.id));
    return names.map((r) => ({ id: r.id, fs_name: r.fs_name, missing_from_fs: missingIds.has(r.id) ? 1 : 0 }));
  }

  listRoms(platformId: number): Promise<KnownRom[]> {
    return this.db.selectFrom('roms').select(ROM_COLUMNS).where('platform_id', '=', platformId).execute();
  }

  listFiles(platformId: number): Promise<KnownFile[]> {
    return this.db.selectFrom('rom_files')
      .innerJoin('roms', 'roms.id', 'rom_files.rom_id')
      .select([
        'rom_files.id', 'rom_files.rom_id', 'rom_files.file_name', 'rom_files.file_path',
        'rom_files.file_size_bytes', 'rom_files.last_modified', 'rom_files.file_ctime_ms', 'rom_files.file_ino',
        'rom_files.crc_hash', 'rom_files.md5_hash',
        'rom_files.sha1_hash', 'rom_files.chd_sha1_hash', 'rom_files.header_skipped', 'rom_files.headerless_crc_hash',
        'rom_files.headerless_md5_hash', 'rom_files.headerless_sha1_hash', 'rom_files.archive_members', 'rom_files.category',
      ])
      .where('roms.platform_id', '=', platformId)
      .orderBy('rom_files.id')
      .execute();
  }

  async countMissingRoms(): Promise<number> {
    const row = await this.db.selectFrom('roms').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('missing_from_fs', '=', 1).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Missing ROMs (any platform) whose ROM-level hashes equal these: candidates for re-association. */
  findMissingByHashes(crc: string, md5: string, sha1: string): Promise<KnownRom[]> {
    return this.db.selectFrom('roms').select(ROM_COLUMNS)
      .where('missing_from_fs', '=', 1)
      .where('sha1_hash', '=', sha1)
      .where('md5_hash', '=', md5)
      .where('crc_hash', '=', crc)
      .execute();
  }

  filesOfRom(romId: number): Promise<KnownFile[]> {
    return this.db.selectFrom('rom_files')
      .select(['id', 'rom_id', 'file_name', 'file_path', 'file_size_bytes', 'last_modified', 'file_ctime_ms', 'file_ino',
        'crc_hash', 'md5_hash',
        'sha1_hash', 'chd_sha1_hash', 'header_skipped', 'headerless_crc_hash', 'headerless_md5_hash', 'headerless_sha1_hash',
        'archive_members', 'category'])
      .where('rom_id', '=', romId).orderBy('id').execute();
  }
}
