import { mkdir, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Db } from '../../src/db/engine.ts';

/** One file of a fixture ROM: real bytes, or a sparse file of `sparseSize` bytes (all zeros). */
export interface FixtureFile {
  /** Path relative to the ROM folder (folder ROMs) or the file name (single-file ROMs). */
  name: string;
  data?: Buffer | string;
  sparseSize?: number;
  /** Value stored as rom_files.crc_hash; default: the real CRC (for sparse files: '' so it is computed). */
  crcHash?: string | null;
  category?: string | null;
}

export interface FixtureRom {
  id: number;
  fsPath: string;
  fsName: string;
  files: { id: number; name: string; fullPath: string; size: number }[];
}

let platformCounter = 0;

export async function createPlatform(db: Db, slug = `plat${++platformCounter}`): Promise<number> {
  const now = Date.now();
  const res = await db.kysely
    .insertInto('platforms')
    .values({ slug, fs_slug: slug, name: slug, custom_name: '', description: '', aspect_ratio: '2 / 3', missing_from_fs: 0, created_at: now, updated_at: now })
    .executeTakeFirst();
  const id = Number(res.insertId ?? 0);
  if (id) return id;
  const row = await db.kysely.selectFrom('platforms').select('id').where('fs_slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A ROM row, its rom_files and the files on disk under `library`. `folder: true` makes a multi-file ROM at
 * `roms/<platform>/<fsName>/…`; otherwise a single file `roms/<platform>/<fsName>`.
 */
export async function createRom(
  db: Db,
  library: string,
  opts: { platformId: number; platformSlug: string; fsName: string; folder: boolean; files: FixtureFile[] },
): Promise<FixtureRom> {
  const now = Date.now();
  const fsPath = `roms/${opts.platformSlug}`;
  const empty = { igdb_metadata: '{}', moby_metadata: '{}', ss_metadata: '{}', ra_metadata: '{}', launchbox_metadata: '{}', hasheous_metadata: '{}', flashpoint_metadata: '{}', hltb_metadata: '{}', gamelist_metadata: '{}', manual_metadata: '{}' };
  const res = await db.kysely
    .insertInto('roms')
    .values({
      platform_id: opts.platformId, fs_name: opts.fsName, fs_name_no_tags: opts.fsName, fs_name_no_ext: opts.fsName,
      fs_extension: '', fs_path: fsPath, fs_size_bytes: 0, name: opts.fsName, search_text: opts.fsName.toLowerCase(),
      ...empty, path_cover_s: '', path_cover_l: '', url_cover: '', path_manual: '', url_manual: '', path_screenshots: '[]',
      url_screenshots: '[]', regions: '[]', languages: '[]', tags: '[]', missing_from_fs: 0, player_count: '1',
      name_sort_key_custom: 0, created_at: now, updated_at: now,
    })
    .executeTakeFirst();
  let romId = Number(res.insertId ?? 0);
  if (!romId) {
    const row = await db.kysely.selectFrom('roms').select('id').where('fs_name', '=', opts.fsName).where('fs_path', '=', fsPath).executeTakeFirstOrThrow();
    romId = row.id;
  }
  const files: FixtureRom['files'] = [];
  for (const f of opts.files) {
    const rel = opts.folder ? `${fsPath}/${opts.fsName}/${f.name}` : `${fsPath}/${f.name}`;
    const abs = path.join(library, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    let crc = '';
    if (f.sparseSize !== undefined) {
      await writeFile(abs, '');
      await truncate(abs, f.sparseSize);
    } else {
      const data = Buffer.from(f.data ?? `contents of ${f.name}`);
      await writeFile(abs, data);
      crc = (crc32(data) >>> 0).toString(16).padStart(8, '0');
    }
    const st = await stat(abs);
    const filePath = path.posix.dirname(rel);
    const fileName = path.posix.basename(rel);
    const row = await db.kysely
      .insertInto('rom_files')
      .values({
        rom_id: romId, file_name: fileName, file_path: filePath, file_size_bytes: st.size, last_modified: st.mtimeMs,
        crc_hash: f.crcHash !== undefined ? f.crcHash : crc, category: f.category ?? null, missing_from_fs: 0, created_at: now, updated_at: now,
      } as never)
      .executeTakeFirst();
    let fileId = Number(row.insertId ?? 0);
    if (!fileId) {
      const r = await db.kysely.selectFrom('rom_files').select('id').where('rom_id', '=', romId).where('file_name', '=', fileName).where('file_path', '=', filePath).executeTakeFirstOrThrow();
      fileId = r.id;
    }
    files.push({ id: fileId, name: f.name, fullPath: rel, size: st.size });
  }
  return { id: romId, fsPath, fsName: opts.fsName, files };
}
