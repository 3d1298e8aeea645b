/** Messages between the scanner and its hashing workers. */

export interface HashJobFile {
  abs: string;
  /** Feeds the ROM-level accumulators (single-file ROMs, top-level files of folder ROMs). */
  feedsRom: boolean;
}

export interface HashJob {
  id: number;
  files: HashJobFile[];
  /** A folder ROM: each file hashed on its own, top-level files also into the ROM hash. */
  folder: boolean;
  /** Single-file ROM whose extension marks a multi-member archive: hash members, concatenated. */
  archiveRom: boolean;
  /** The ROM's platform slug: size-only header rules apply only on their platform. */
  platform?: string | null;
  /** RetroAchievements console id of the platform, when it has one: the ROM then gets an `ra_hash`. */
  raConsole?: number | null;
}

export interface ArchiveMember {
  name: string;
  size: number;
  crc_hash: string;
  md5_hash: string;
  sha1_hash: string;
  /** Only for a member with a copier/emulator header: its length and the hashes of the bytes after it. */
  header_skipped?: number;
  headerless_crc_hash?: string;
  headerless_md5_hash?: string;
  headerless_sha1_hash?: string;
}

export interface Hashes {
  crc: string;
  md5: string;
  sha1: string;
}

export interface FileHashResult extends Hashes {
  /** A CHD's header SHA-1; '' for a file that is no CHD, null for a CHD whose header cannot be trusted. */
  chdSha1: string | null;
  archiveMembers: ArchiveMember[] | null;
  /** Header bytes left out of `headerless` (0: no header found; null: not hashed). */
  headerSkipped: number | null;
  headerless: Hashes | null;
  /** The file's RetroAchievements hash, when its platform has a rule for it. */
  ra: string | null;
  /** Set when the file could not be read; its hashes are then empty. */
  error?: string;
}

export interface HashResult {
  id: number;
  files: FileHashResult[];
  rom: Hashes;
  /** The ROM's RetroAchievements hash (RomM's `roms.ra_hash`); null when none was made. */
  raHash: string | null;
}

export const EMPTY_HASHES: Hashes = { crc: '', md5: '', sha1: '' };
