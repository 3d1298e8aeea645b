import type { RomFileRow, RomUserRow, SiblingRow } from '../../db/repositories/roms-read-repository.ts';
import { isoFromMs, isoOrNull } from '../../common/time.ts';
import type { RomFileSchema, RomUserSchema, SiblingRomSchema } from '../../contract/rom.ts';

/** RomM-shaped pieces of a ROM schema (spec §5.3–§5.6), shared by every ROM response. */

export const RESOURCES_PREFIX = '/assets/romm/resources';

export function parseJson(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function parseObject(text: string | null | undefined): Record<string, unknown> | null {
  const v = parseJson(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function parseStringArray(text: string | null | undefined): string[] {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Python `sorted()` over strings: code point order, not UTF-16 unit order. */
export function pySorted(values: Iterable<string>): string[] {
  return [...values].sort(codepointCompare);
}

export function codepointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The caller's props, or RomM's placeholder (ids -1, timestamps now) when there is no row or no caller. */
export function toRomUserSchema(row: RomUserRow | undefined, now = Date.now()): RomUserSchema {
  if (!row) {
    const ts = isoFromMs(now);
    return {
      id: -1, user_id: -1, rom_id: -1, created_at: ts, updated_at: ts, last_played: null, is_main_sibling: false,
      backlogged: false, now_playing: false, hidden: false, rating: 0, difficulty: 0, completion: 0, status: null,
    };
  }
  return {
    id: Number(row.id),
    user_id: Number(row.user_id),
    rom_id: Number(row.rom_id),
    created_at: isoFromMs(Number(row.created_at)),
    updated_at: isoFromMs(Number(row.updated_at)),
    last_played: isoOrNull(row.last_played === null ? null : Number(row.last_played)),
    is_main_sibling: !!row.is_main_sibling,
    backlogged: !!row.backlogged,
    now_playing: !!row.now_playing,
    hidden: !!row.hidden,
    rating: Number(row.rating),
    difficulty: Number(row.difficulty),
    completion: Number(row.completion),
    status: row.status,
  };
}

const SORT_COMPARE_RE = /^([Tt]he|[Aa]|[Aa]nd)\s/;

export function toSiblingSchema(row: SiblingRow): SiblingRomSchema {
  return {
    id: Number(row.id),
    name: row.name,
    fs_name_no_tags: row.fs_name_no_tags,
    fs_name_no_ext: row.fs_name_no_ext,
    is_main_sibling: !!row.is_main_sibling,
    sort_comparator: (row.name || row.fs_name_no_tags).replace(SORT_COMPARE_RE, '').trim().toLowerCase(),
  };
}

export function sortSiblings(list: SiblingRomSchema[]): SiblingRomSchema[] {
  return list.sort((a, b) => (a.sort_comparator < b.sort_comparator ? -1 : a.sort_comparator > b.sort_comparator ? 1 : 0));
}

/** `nested`: more than one `/` in file_path; top-level: the ROM itself or a file directly in the ROM folder. */
export function isTopLevel(file: Pick<RomFileRow, 'file_path' | 'file_name'>, romFullPath: string): boolean {
  const nested = (file.file_path.match(/\//g)?.length ?? 0) > 1;
  return romFullPath === (nested ? file.file_path : `${file.file_path}/${file.file_name}`);
}

/** RomM's archive member keys: the scanner's extra per-member hashes (headerless ones) stay out of the API. */
const ARCHIVE_MEMBER_KEYS = ['name', 'size', 'crc_hash', 'md5_hash', 'sha1_hash'] as const;

function romMArchiveMember(m: Record<string, unknown>): Record<string, unknown> {
  if (typeof m !== 'object' || m === null) return m;
  const out: Record<string, unknown> = {};
  for (const k of ARCHIVE_MEMBER_KEYS) if (k in m) out[k] = m[k];
  return out;
}

export function toRomFileSchema(file: RomFileRow, romFullPath: string): RomFileSchema {
  const top = isTopLevel(file, romFullPath);
  const members = parseJson(file.archive_members);
  return {
    id: Number(file.id),
    rom_id: Number(file.rom_id),
    file_name: file.file_name,
    file_path: file.file_path,
    file_size_bytes: Number(file.file_size_bytes),
    full_path: `${file.file_path}/${file.file_name}`,
    is_top_level: top,
    created_at: isoFromMs(Number(file.created_at)),
    updated_at: isoFromMs(Number(file.updated_at)),
    last_modified: isoFromMs(Number(file.last_modified ?? file.updated_at)),
    crc_hash: file.crc_hash,
    md5_hash: file.md5_hash,
    sha1_hash: file.sha1_hash,
    ra_hash: file.ra_hash,
    chd_sha1_hash: file.chd_sha1_hash,
    archive_members: Array.isArray(members) ? (members as Record<string, unknown>[]).map(romMArchiveMember) : null,
    category: file.category ?? (top ? 'game' : null),
    track_meta: null,
    dat_status: file.dat_status ?? null,
    dat_game: file.dat_game ?? null,
  };
}
