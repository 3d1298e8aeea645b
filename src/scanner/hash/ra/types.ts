/**
 * RetroAchievements hashes (rcheevos' rc_hash, documented at
 * https://docs.retroachievements.org/developer-docs/game-identification.html): an MD5 over part of a ROM. For
 * cartridge systems the part is the file's bytes from an optional header on, at most the first 64 MiB, sometimes
 * byte-swapped; the scanner hashes that part in the same read as the file's own hashes.
 */

/** rcheevos hashes at most this many bytes of a file (MAX_BUFFER_SIZE). */
export const RA_MAX_BYTES = 64 * 1024 * 1024;

/** What to hash: bytes [skip, min(size, RA_MAX_BYTES)), each group of `swap` bytes reversed (0: none). */
export interface RaPlan {
  skip: number;
  swap: 0 | 2 | 4;
}

export interface RaCartridgeRule {
  /** RetroAchievements console ids hashed by this rule. */
  consoles: readonly number[];
  /** The plan depends on the file size, so a stream of unknown length gets no hash. */
  usesSize?: boolean;
  /** The plan for a file starting with `head` (at least 16 bytes unless shorter); null: no hash for this file. */
  plan(head: Uint8Array, size: number): RaPlan | null;
}

export const WHOLE: RaPlan = { skip: 0, swap: 0 };

/** The number of bytes rcheevos holds in its buffer for a file of `size` bytes: size rules look at this, not the file. */
export const buffered = (size: number): number => Math.min(size, RA_MAX_BYTES);
