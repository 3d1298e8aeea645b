/**
 * The archive and compressed-file formats romshelf recognises, in one table: the name endings and leading magic
 * bytes that identify each kind, whether RomM treats a ROM file of that kind as a multi-member archive, and how
 * far the scanner can read it. The scanner picks its readers from it (spec §10.5); downloads use it to tell when
 * a stored hash may cover decompressed content rather than the file's own bytes.
 */

/** How the scanner reads a kind: member by member, as one decompressed stream, or not at all (raw bytes). */
export type ArchiveReading = 'members' | 'stream' | 'none';

interface KindSpec {
  readonly id: string;
  /** Lower-case name endings, dot included. */
  readonly suffixes: readonly string[];
  /** Byte signatures at offset 0; empty when the kind is known by name only. */
  readonly magic: readonly (readonly number[])[];
  /** RomM hashes a single ROM file of this kind over its members (composite hash). */
  readonly archiveRom: boolean;
  readonly reading: ArchiveReading;
  readonly mediaType: string;
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

// A compressed tar shares its compressor's magic: content alone says `gz`, `bz2` or `xz`, never the tar inside.
const KINDS = [
  { id: 'zip', suffixes: ['.zip'], magic: [[0x50, 0x4b, 0x03, 0x04]], archiveRom: true, reading: 'members', mediaType: 'application/zip' },
  { id: 'tar', suffixes: ['.tar'], magic: [], archiveRom: true, reading: 'members', mediaType: 'application/x-tar' },
  { id: 'tgz', suffixes: ['.tar.gz', '.tgz'], magic: [], archiveRom: true, reading: 'members', mediaType: 'application/gzip' },
  { id: 'gz', suffixes: ['.gz'], magic: [[0x1f, 0x8b, 0x08]], archiveRom: false, reading: 'stream', mediaType: 'application/gzip' },
  { id: 'tbz2', suffixes: ['.tar.bz2', '.tbz2'], magic: [], archiveRom: true, reading: 'none', mediaType: 'application/x-bzip2' },
  { id: 'bz2', suffixes: ['.bz2'], magic: [ascii('BZh')], archiveRom: false, reading: 'none', mediaType: 'application/x-bzip2' },
  { id: 'txz', suffixes: ['.tar.xz', '.txz'], magic: [], archiveRom: true, reading: 'none', mediaType: 'application/x-xz' },
  { id: 'xz', suffixes: ['.xz'], magic: [[0xfd, 0x37, 0x7a, 0x58]], archiveRom: false, reading: 'none', mediaType: 'application/x-xz' },
  { id: '7z', suffixes: ['.7z'], magic: [[0x37, 0x7a, 0xbc, 0xaf]], archiveRom: true, reading: 'none', mediaType: 'application/x-7z-compressed' },
  { id: 'rar', suffixes: ['.rar'], magic: [ascii('Rar!')], archiveRom: true, reading: 'none', mediaType: 'application/vnd.rar' },
  { id: 'zst', suffixes: ['.zst'], magic: [[0x28, 0xb5, 0x2f, 0xfd]], archiveRom: false, reading: 'none', mediaType: 'application/zstd' },
  { id: 'lz', suffixes: ['.lz'], magic: [ascii('LZIP')], archiveRom: false, reading: 'none', mediaType: 'application/x-lzip' },
  { id: 'lzma', suffixes: ['.lzma'], magic: [], archiveRom: false, reading: 'none', mediaType: 'application/x-lzma' },
  { id: 'z', suffixes: ['.z'], magic: [], archiveRom: false, reading: 'none', mediaType: 'application/x-compress' },
] as const satisfies readonly KindSpec[];

type KindRow = (typeof KINDS)[number];
export type ArchiveKindId = KindRow['id'];
/** Kinds the scanner decompresses; the others are hashed as raw bytes. */
export type ReadableKindId = Extract<KindRow, { reading: 'members' | 'stream' }>['id'];

export interface ArchiveKind extends KindSpec {
  readonly id: ArchiveKindId;
}

export const ARCHIVE_KINDS: readonly ArchiveKind[] = KINDS;

/** Bytes to read from a file's start to test every signature. */
export const MAGIC_LENGTH = Math.max(...ARCHIVE_KINDS.flatMap((k) => k.magic.map((m) => m.length)));

/** The kind a file name ends with (the longest matching ending wins: `x.tar.gz` is `tgz`, not `gz`). */
export function archiveKindOfName(name: string): ArchiveKind | null {
  const lower = name.toLowerCase();
  let best: ArchiveKind | null = null;
  let bestLength = 0;
  for (const kind of ARCHIVE_KINDS) {
    for (const suffix of kind.suffixes) {
      if (suffix.length > bestLength && lower.endsWith(suffix)) {
        best = kind;
        bestLength = suffix.length;
      }
    }
  }
  return best;
}

/** The kind whose signature the bytes start with. */
export function archiveKindOfHead(head: Uint8Array): ArchiveKind | null {
  const starts = (sig: readonly number[]) => head.length >= sig.length && sig.every((b, i) => head[i] === b);
  return ARCHIVE_KINDS.find((k) => k.magic.some(starts)) ?? null;
}

export const isReadable = (kind: ArchiveKind | null): kind is ArchiveKind & { id: ReadableKindId } =>
  kind !== null && kind.reading !== 'none';

/** The kind the scanner decompresses a file as, judged by its name. */
export function readableKindOfName(name: string): ReadableKindId | null {
  const kind = archiveKindOfName(name);
  return isReadable(kind) ? kind.id : null;
}

/** The kind the scanner decompresses a file as, judged by its first bytes (an archive under another name). */
export function readableKindOfHead(head: Uint8Array): ReadableKindId | null {
  const kind = archiveKindOfHead(head);
  return isReadable(kind) ? kind.id : null;
}

export function mediaTypeOf(id: ArchiveKindId): string {
  return (ARCHIVE_KINDS.find((k) => k.id === id) as ArchiveKind).mediaType;
}

/** Names RomM treats as multi-member archive ROMs. */
export function isArchiveRomName(name: string): boolean {
  return archiveKindOfName(name)?.archiveRom ?? false;
}
