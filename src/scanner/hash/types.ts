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
}

export interface ArchiveMember {
  name: string;
  size: number;
  crc_hash: string;
  md5_hash: string;
  sha1_hash: string;
}

export interface Hashes {
  crc: string;
  md5: string;
  sha1: string;
}

export interface FileHashResult extends Hashes {
  chdSha1: string;
  archiveMembers: ArchiveMember[] | null;
  /** Set when the file could not be read; its hashes are then empty. */
  error?: string;
}

export interface HashResult {
  id: number;
  files: FileHashResult[];
  rom: Hashes;
}

export const EMPTY_HASHES: Hashes = { crc: '', md5: '', sha1: '' };
