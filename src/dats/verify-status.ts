/**
 * A ROM file's standing against the DATs: the decision alone, from the file's hashes and the DAT entries that share
 * a hash or a name with it. The repository finds the candidates; nothing here reads a database.
 *
 * - `verified`: an entry with the same name has the file's size and hashes.
 * - `renamed`: the size and hashes match an entry, under another name.
 * - `bad_dump`: an entry has the file's name but other hashes, or the matching entry is a known bad dump.
 * - `unknown`: no entry shares a hash or the name.
 */

import type { DatStatus } from '../contract/dat-status.ts';

export { DAT_STATUSES, type DatStatus } from '../contract/dat-status.ts';

/** One set of digests of a file: as stored, or with a copier header skipped. Hex strings, any case. */
export interface Digests {
  size: number;
  crc?: string | null;
  md5?: string | null;
  sha1?: string | null;
}

export interface FileForVerification {
  /** The file's own name (an archive member's name inside the archive). */
  name: string;
  /** Other names the DAT may know it by: an archive's name, a folder ROM's folder name. */
  aliases?: readonly string[];
  digests: Digests;
  /** Digests without a copier header (NES, FDS, 7800, Lynx, SNES), when one was found. */
  headerless?: Digests | null;
  /** The SHA-1 a CHD header records for its uncompressed data. */
  chdSha1?: string | null;
}

export interface DatRomEntry {
  datId: number;
  gameId: number;
  gameName: string;
  romName: string;
  size: number | null;
  crc: string | null;
  md5: string | null;
  sha1: string | null;
  /** Logiqx `status`: `baddump` and `nodump` entries never verify a file. */
  status?: string | null;
}

export interface Verdict {
  status: DatStatus;
  /** The entry the verdict rests on (null for `unknown`). */
  entry: DatRomEntry | null;
  /** Which digests matched: the file as stored, without its header, or the CHD's recorded SHA-1. */
  matchedBy: 'raw' | 'headerless' | 'chd' | null;
}

const lc = (v: string | null | undefined): string => (v ?? '').toLowerCase();

/**
 * The strongest hash both sides carry decides: SHA-1, then MD5, then CRC32 with the size. A shared weaker hash never
 * overrides a stronger one that differs.
 */
export function digestsMatch(file: Digests, entry: Pick<DatRomEntry, 'size' | 'crc' | 'md5' | 'sha1'>): boolean {
  if (entry.size !== null && entry.size !== file.size) return false;
  if (lc(entry.sha1) && lc(file.sha1)) return lc(entry.sha1) === lc(file.sha1);
  if (lc(entry.md5) && lc(file.md5)) return lc(entry.md5) === lc(file.md5);
  if (lc(entry.crc) && lc(file.crc)) return entry.size !== null && lc(entry.crc) === lc(file.crc);
  return false;
}

function matchKind(file: FileForVerification, entry: DatRomEntry): Verdict['matchedBy'] {
  if (digestsMatch(file.digests, entry)) return 'raw';
  if (file.headerless && digestsMatch(file.headerless, entry)) return 'headerless';
  if (file.chdSha1 && lc(entry.sha1) && lc(entry.sha1) === lc(file.chdSha1)) return 'chd';
  return null;
}

/** Names compare without case and without the extension of an archive or disc image wrapper. */
export function namesMatch(file: FileForVerification, entry: DatRomEntry): boolean {
  const names = [file.name, ...(file.aliases ?? [])].map((n) => n.toLowerCase());
  const rom = entry.romName.toLowerCase();
  const game = entry.gameName.toLowerCase();
  return names.some((n) => n === rom || stem(n) === stem(rom) || stem(n) === game);
}

function stem(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

const isBad = (e: DatRomEntry): boolean => e.status === 'baddump' || e.status === 'nodump';

/**
 * The verdict for one file among candidate entries (those sharing any hash or the name). Ties prefer an entry whose
 * name matches, then a good dump over a listed bad one, then the lower DAT and game ids so results are stable.
 */
export function verifyFile(file: FileForVerification, candidates: readonly DatRomEntry[]): Verdict {
  const ordered = [...candidates].sort((a, b) => a.datId - b.datId || a.gameId - b.gameId || a.romName.localeCompare(b.romName));
  const matched = ordered.map((entry) => ({ entry, by: matchKind(file, entry), named: namesMatch(file, entry) }));
  const hashHits = matched.filter((m) => m.by !== null);
  const good = hashHits.filter((m) => !isBad(m.entry));
  const pick = good.find((m) => m.named) ?? good[0];
  if (pick) return { status: pick.named ? 'verified' : 'renamed', entry: pick.entry, matchedBy: pick.by };
  const knownBad = hashHits[0];
  if (knownBad) return { status: 'bad_dump', entry: knownBad.entry, matchedBy: knownBad.by };
  const sameName = matched.find((m) => m.named);
  if (sameName) return { status: 'bad_dump', entry: sameName.entry, matchedBy: null };
  return { status: 'unknown', entry: null, matchedBy: null };
}

/**
 * A ROM's status from its files': the worst of those the DATs know. Files no DAT lists (a folder's readme, a cover)
 * do not count against it; missing tracks are reported by gameCompleteness.
 */
export function romStatus(fileStatuses: readonly DatStatus[]): DatStatus {
  const known = fileStatuses.filter((s) => s !== 'unknown');
  if (known.length === 0) return 'unknown';
  if (known.includes('bad_dump')) return 'bad_dump';
  return known.includes('renamed') ? 'renamed' : 'verified';
}

export interface GameCompleteness {
  gameName: string;
  /** Every ROM the DAT lists for the game is present and good. */
  complete: boolean;
  missing: string[];
  bad: string[];
}

/**
 * For multi-file games (a Redump disc's cue and tracks): which of the DAT's ROMs the library's files cover. `present`
 * maps DAT ROM names to the verdict of the file that matched them.
 */
export function gameCompleteness(gameName: string, datRomNames: readonly string[], present: ReadonlyMap<string, DatStatus>): GameCompleteness {
  const missing: string[] = [];
  const bad: string[] = [];
  for (const name of datRomNames) {
    const status = present.get(name);
    if (status === undefined || status === 'unknown') missing.push(name);
    else if (status === 'bad_dump') bad.push(name);
  }
  return { gameName, complete: missing.length === 0 && bad.length === 0, missing, bad };
}
