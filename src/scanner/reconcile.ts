import { fsNameFields, nameSortKey, searchText } from '../library/fs-names.ts';
import { fileCategory } from '../library/file-category.ts';
import { parseTags } from '../library/tags.ts';
import type { FacetValues, FileWrite, NewRomRow, RomUpdate } from '../db/repositories/rom-writer.ts';
import type { KnownFile, KnownRom } from '../db/repositories/scan-repository.ts';
import type { DiskFile } from './walk.ts';
import type { FileHashResult, Hashes } from './hash/types.ts';

/**
 * Pure builders from disk facts to rows: what a ROM's columns must be given its name, files and hashes. The
 * scanner compares these with the database and writes only differences.
 */

export interface FilenameFields {
  fs_name_no_tags: string;
  fs_name_no_ext: string;
  fs_extension: string;
  regions: string;
  languages: string;
  tags: string;
  revision: string;
  version: string;
  primary_region: string | null;
  facets: FacetValues;
}

export function filenameFields(fsName: string): FilenameFields {
  const names = fsNameFields(fsName);
  const t = parseTags(fsName);
  return {
    fs_name_no_tags: names.fs_name_no_tags,
    fs_name_no_ext: names.fs_name_no_ext,
    fs_extension: names.fs_extension,
    regions: JSON.stringify(t.regions),
    languages: JSON.stringify(t.languages),
    tags: JSON.stringify(t.tags),
    revision: t.revision,
    version: t.version,
    primary_region: t.regions[0] ?? null,
    facets: { region: t.regions, language: t.languages, tag: t.tags },
  };
}

export function fileWrites(files: DiskFile[], hashes: FileHashResult[] | null, known: KnownFile[], now: number): FileWrite[] {
  const knownByPath = new Map(known.map((k) => [`${k.file_path}/${k.file_name}`, k]));
  return files.map((f, i) => {
    const h = hashes?.[i];
    const k = knownByPath.get(`${f.relDir}/${f.name}`);
    const write: FileWrite = {
      file_name: f.name,
      file_path: f.relDir,
      file_size_bytes: f.size,
      last_modified: f.mtimeMs,
      file_ctime_ms: f.ctimeMs,
      file_ino: f.ino,
      crc_hash: h ? h.crc : (k?.crc_hash ?? ''),
      md5_hash: h ? h.md5 : (k?.md5_hash ?? ''),
      sha1_hash: h ? h.sha1 : (k?.sha1_hash ?? ''),
      chd_sha1_hash: h ? h.chdSha1 : (k?.chd_sha1_hash ?? ''),
      header_skipped: h ? h.headerSkipped : (k?.header_skipped ?? null),
      headerless_crc_hash: h ? (h.headerless?.crc ?? null) : (k?.headerless_crc_hash ?? null),
      headerless_md5_hash: h ? (h.headerless?.md5 ?? null) : (k?.headerless_md5_hash ?? null),
      headerless_sha1_hash: h ? (h.headerless?.sha1 ?? null) : (k?.headerless_sha1_hash ?? null),
      archive_members: h ? (h.archiveMembers ? JSON.stringify(h.archiveMembers) : null) : (k?.archive_members ?? null),
      category: fileCategory(f.relDir),
      missing_from_fs: 0,
      created_at: now,
      updated_at: now,
    };
    if (k) write.id = k.id;
    return write;
  });
}

/**
 * True when the files on disk are exactly the known ones, unchanged in size and mtime, and in change time and inode
 * where those were recorded (rows hashed before they were have only size and mtime to go by).
 */
export function filesUnchanged(files: DiskFile[], known: KnownFile[]): boolean {
  if (files.length !== known.length) return false;
  const knownByPath = new Map(known.map((k) => [`${k.file_path}/${k.file_name}`, k]));
  return files.every((f) => {
    const k = knownByPath.get(`${f.relDir}/${f.name}`);
    if (!k || k.file_size_bytes !== f.size || k.last_modified === null || Math.abs(k.last_modified - f.mtimeMs) >= 1) return false;
    return (k.file_ctime_ms == null || k.file_ctime_ms === f.ctimeMs) && (k.file_ino == null || k.file_ino === f.ino);
  });
}

export function totalSize(files: DiskFile[]): number {
  return files.reduce((sum, f) => sum + f.size, 0);
}

export interface NewRomInput {
  platformId: number;
  fsPath: string;
  fsName: string;
  files: DiskFile[];
  rom: Hashes;
  /** RetroAchievements hash of the ROM, null when none was made. */
  raHash: string | null;
  now: number;
}

/** A new ROM: name = fs_name_no_tags until metadata says otherwise. */
export function newRomRow(input: NewRomInput, f: FilenameFields): NewRomRow {
  const name = f.fs_name_no_tags;
  return {
    platform_id: input.platformId,
    fs_name: input.fsName,
    fs_name_no_tags: f.fs_name_no_tags,
    fs_name_no_ext: f.fs_name_no_ext,
    fs_extension: f.fs_extension,
    fs_path: input.fsPath,
    fs_size_bytes: totalSize(input.files),
    name,
    name_sort_key: nameSortKey(name),
    name_sort_key_custom: 0,
    search_text: searchText(name, input.fsName),
    igdb_metadata: '{}', moby_metadata: '{}', ss_metadata: '{}', ra_metadata: '{}', launchbox_metadata: '{}',
    hasheous_metadata: '{}', flashpoint_metadata: '{}', hltb_metadata: '{}', gamelist_metadata: '{}',
    manual_metadata: '{}',
    path_cover_s: '', path_cover_l: '', url_cover: '', path_manual: '', url_manual: '',
    path_screenshots: '[]', url_screenshots: '[]',
    revision: f.revision,
    version: f.version,
    regions: f.regions,
    languages: f.languages,
    tags: f.tags,
    crc_hash: input.rom.crc,
    md5_hash: input.rom.md5,
    sha1_hash: input.rom.sha1,
    ra_hash: input.raHash,
    missing_from_fs: 0,
    player_count: '1',
    primary_region: f.primary_region,
    created_at: input.now,
    updated_at: input.now,
  };
}

/** Columns of an existing ROM that differ from what its name, location and files say now. */
export function romDiff(known: KnownRom, desired: {
  platformId: number; fsPath: string; fsName: string; size: number; rom: Hashes | null; raHash?: string | null;
  fields: FilenameFields;
}): RomUpdate {
  const f = desired.fields;
  const want: RomUpdate = {
    platform_id: desired.platformId,
    fs_name: desired.fsName,
    fs_path: desired.fsPath,
    fs_name_no_tags: f.fs_name_no_tags,
    fs_size_bytes: desired.size,
    regions: f.regions,
    languages: f.languages,
    tags: f.tags,
    revision: f.revision,
    version: f.version,
    missing_from_fs: 0,
  };
  if (desired.rom) {
    Object.assign(want, {
      crc_hash: desired.rom.crc, md5_hash: desired.rom.md5, sha1_hash: desired.rom.sha1, ra_hash: desired.raHash ?? null,
    });
  }
  const diff: RomUpdate = {};
  for (const [key, value] of Object.entries(want) as [keyof KnownRom & keyof RomUpdate, unknown][]) {
    if (known[key] !== value) (diff as Record<string, unknown>)[key] = value;
  }
  if (Object.keys(diff).length === 0) return diff;
  // Columns that follow the ones above (not part of the snapshot, always rewritten together).
  Object.assign(diff, { fs_name_no_ext: f.fs_name_no_ext, fs_extension: f.fs_extension, primary_region: f.primary_region });
  if (known.fs_name !== desired.fsName) {
    // A moved or renamed file: an unedited name follows the new file name, like a fresh scan would give it.
    const name = known.name === null || known.name === known.fs_name_no_tags ? f.fs_name_no_tags : known.name;
    Object.assign(diff, { name, search_text: searchText(name, desired.fsName) });
    if (!known.name_sort_key_custom) diff.name_sort_key = nameSortKey(name);
  }
  return diff;
}

export function facetsChanged(known: KnownRom, f: FilenameFields): boolean {
  return known.regions !== f.regions || known.languages !== f.languages || known.tags !== f.tags;
}

/** True when writing `writes` would leave the known file rows as they are (a re-hash that found nothing new). */
export function fileWritesUnchanged(writes: FileWrite[], known: KnownFile[]): boolean {
  if (writes.length !== known.length) return false;
  const byId = new Map(known.map((k) => [k.id, k]));
  return writes.every((w) => {
    const k = w.id === undefined ? undefined : byId.get(w.id);
    return !!k && k.file_size_bytes === w.file_size_bytes && k.last_modified === w.last_modified
      && k.file_ctime_ms === w.file_ctime_ms && k.file_ino === w.file_ino
      && k.crc_hash === w.crc_hash && k.md5_hash === w.md5_hash && k.sha1_hash === w.sha1_hash
      && k.chd_sha1_hash === w.chd_sha1_hash && k.archive_members === w.archive_members && k.category === w.category
      && k.header_skipped === w.header_skipped && k.headerless_crc_hash === w.headerless_crc_hash
      && k.headerless_md5_hash === w.headerless_md5_hash && k.headerless_sha1_hash === w.headerless_sha1_hash;
  });
}
