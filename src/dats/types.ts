/**
 * What every DAT parser yields: the header once and each game (machine, software, resource) as it closes, so a
 * 200 MB list is read with the memory of one game. Parsers are async generators over text chunks.
 */

export type DatFormat = 'logiqx' | 'clrmamepro';

export type DatRomStatus = 'good' | 'baddump' | 'nodump' | 'verified';

export interface DatHeader {
  name: string;
  description: string | null;
  version: string | null;
  author: string | null;
  homepage: string | null;
  /** clrmamepro `header=` skipper (e.g. `No-Intro_NES.xml`): hashes in the DAT are of the file without it. */
  skipper: string | null;
}

export interface DatRom {
  name: string;
  /** Null for disks (CHDs) and entries that list no size. */
  size: number | null;
  /** Lowercase hex, or null when absent or malformed. */
  crc: string | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  status: DatRomStatus;
  serial: string | null;
  /** A `<disk>` (CHD) entry: its SHA-1 is of the CHD's data, not of the file. */
  disk: boolean;
}

export interface DatGame {
  name: string;
  description: string | null;
  /** Parent of a clone (`cloneof`), else null. */
  cloneOf: string | null;
  /** Where merged ROMs come from (`romof`, usually the parent or a BIOS set). */
  romOf: string | null;
  category: string | null;
  roms: DatRom[];
}

export type DatEvent = { kind: 'header'; header: DatHeader } | { kind: 'game'; game: DatGame };

/** A DAT that cannot be read: the message names the line where parsing stopped. */
export class DatParseError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'DatParseError';
  }
}

/**
 * Bounds that keep hostile files cheap: a value (name, attribute, text) longer than `maxValueChars` or a token that
 * runs on for `maxTokenChars` without closing is an error, as are deeper nesting and more ROMs in one game than any
 * real set holds.
 */
export interface DatLimits {
  maxValueChars: number;
  maxTokenChars: number;
  maxDepth: number;
  maxRomsPerGame: number;
  /** Characters of all ROM entries of one game together (names, hashes), so one game's memory stays bounded. */
  maxGameChars: number;
}

export const DEFAULT_DAT_LIMITS: DatLimits = Object.freeze({
  maxValueChars: 64 * 1024,
  maxTokenChars: 1024 * 1024,
  maxDepth: 32,
  maxRomsPerGame: 50_000,
  maxGameChars: 16 * 1024 * 1024,
});

export const emptyHeader = (): DatHeader => ({ name: '', description: null, version: null, author: null, homepage: null, skipper: null });

const HEX = /^[0-9a-f]+$/;

/** A hash of `len` hex digits, lowercased; anything else (empty, `-`, wrong length) is null. */
export function hexHash(value: string | undefined | null, len: number): string | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  return v.length === len && HEX.test(v) ? v : null;
}

/** A size in bytes; decimal, or hex with `0x` (MAME software lists use both). Negative or malformed: null. */
export function romSize(value: string | undefined | null): number | null {
  if (!value) return null;
  const v = value.trim();
  const n = /^0x[0-9a-f]+$/i.test(v) ? Number.parseInt(v.slice(2), 16) : /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function romStatus(value: string | undefined | null): DatRomStatus {
  const v = value?.trim().toLowerCase();
  return v === 'baddump' || v === 'nodump' || v === 'verified' ? v : 'good';
}

/** Trimmed text, or null when empty. */
export const text = (value: string | undefined | null): string | null => {
  const v = value?.trim();
  return v ? v : null;
};
