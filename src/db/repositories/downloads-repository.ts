import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Table added by migration 0010; declared here so the shared schema file stays untouched. */
interface RomFileRawCrcsTable {
  rom_file_id: number;
  size_bytes: number;
  mtime_ms: number;
  ctime_ms: number | null;
  ino: number | null;
  crc: string;
  updated_at: number;
}
type DownloadDatabase = Database & { rom_file_raw_crcs: RomFileRawCrcsTable };

export interface DownloadRom {
  id: number;
  platform_id: number;
  fs_name: string;
  fs_path: string;
}

export interface DownloadFile {
  id: number;
  rom_id: number;
  file_name: string;
  file_path: string;
  file_size_bytes: number;
  last_modified: number | null;
  file_ctime_ms: number | null;
  file_ino: number | null;
  crc_hash: string | null;
  category: string | null;
}

export interface RawCrc {
  rom_file_id: number;
  size_bytes: number;
  mtime_ms: number;
  /** Change time and inode the CRC was computed for; null in rows cached before they were recorded. */
  ctime_ms: number | null;
  ino: number | null;
  crc: string;
}

/** Rows are fetched in slices so `IN (...)` lists stay well under every engine's parameter limit. */
const SLICE = 1000;

const FILE_COLUMNS = [
  'rom_files.id', 'rom_files.rom_id', 'rom_files.file_name', 'rom_files.file_path', 'rom_files.file_size_bytes',
  'rom_files.last_modified', 'rom_files.file_ctime_ms', 'rom_files.file_ino', 'rom_files.crc_hash', 'rom_files.category',
] as const;

const numberOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

function toFile(row: DownloadFile): DownloadFile {
  return {
    ...row,
    file_size_bytes: Number(row.file_size_bytes),
    last_modified: numberOrNull(row.last_modified),
    file_ctime_ms: numberOrNull(row.file_ctime_ms),
    file_ino: numberOrNull(row.file_ino),
  };
}

/** The reads and the raw-CRC cache behind downloads. */
export class DownloadsRepository {
  private readonly db: Kysely<DownloadDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ rom_file_raw_crcs: RomFileRawCrcsTable }>();
  }

  findRom(id: number): Promise<DownloadRom | undefined> {
    return this.db.selectFrom('roms').select(['id', 'platform_id', 'fs_name', 'fs_path']).where('id', '=', id).executeTakeFirst();
  }

  /** ROMs among `ids`, in no particular order. */
  async findRoms(ids: readonly number[]): Promise<DownloadRom[]> {
    const out: DownloadRom[] = [];
    for (let i = 0; i < ids.length; i += SLICE) {
      const slice = ids.slice(i, i + SLICE);
      out.push(...(await this.db.selectFrom('roms').select(['id', 'platform_id', 'fs_name', 'fs_path']).where('id', 'in', slice).execute()));
    }
    return out;
  }

  async filesOfRoms(romIds: readonly number[]): Promise<DownloadFile[]> {
    const out: DownloadFile[] = [];
    for (let i = 0; i < romIds.length; i += SLICE) {
      const slice = romIds.slice(i, i + SLICE);
      const rows = await this.db.selectFrom('rom_files').select(FILE_COLUMNS).where('rom_id', 'in', slice).execute();
      for (const row of rows) out.push(toFile(row));
    }
    return out;
  }

  async findFile(id: number): Promise<DownloadFile | undefined> {
    const row = await this.db.selectFrom('rom_files').select(FILE_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toFile(row);
  }

  /** ROM ids of a platform the user has not hidden for themselves, in name order. */
  async romIdsOfPlatform(platformId: number, userId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('roms')
      .leftJoin('rom_user', (j) => j.onRef('rom_user.rom_id', '=', 'roms.id').on('rom_user.user_id', '=', userId))
      .select('roms.id')
      .where('roms.platform_id', '=', platformId)
      .where((eb) => eb.or([eb('rom_user.hidden', 'is', null), eb('rom_user.hidden', '=', 0)]))
      .orderBy('roms.fs_name')
      .orderBy('roms.id')
      .execute();
    return rows.map((r) => r.id);
  }

  async rawCrcs(fileIds: readonly number[]): Promise<Map<number, RawCrc>> {
    const out = new Map<number, RawCrc>();
    for (let i = 0; i < fileIds.length; i += SLICE) {
      const rows = await this.db
        .selectFrom('rom_file_raw_crcs')
        .select(['rom_file_id', 'size_bytes', 'mtime_ms', 'ctime_ms', 'ino', 'crc'])
        .where('rom_file_id', 'in', fileIds.slice(i, i + SLICE))
        .execute();
      for (const r of rows) {
        out.set(r.rom_file_id, {
          ...r, size_bytes: Number(r.size_bytes), mtime_ms: Number(r.mtime_ms), ctime_ms: numberOrNull(r.ctime_ms), ino: numberOrNull(r.ino),
        });
      }
    }
    return out;
  }

  /** Replaces the cached CRCs of these files (delete + insert: one portable body on every engine). */
  async saveRawCrcs(rows: readonly RawCrc[], now: number): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += SLICE) {
        const slice = rows.slice(i, i + SLICE);
        await trx.deleteFrom('rom_file_raw_crcs').where('rom_file_id', 'in', slice.map((r) => r.rom_file_id)).execute();
        // 7 parameters a row: 200 rows stay under SQLite's and PostgreSQL's limits.
        for (let j = 0; j < slice.length; j += 200) {
          await trx.insertInto('rom_file_raw_crcs').values(slice.slice(j, j + 200).map((r) => ({ ...r, updated_at: now }))).execute();
        }
      }
    });
  }
}
