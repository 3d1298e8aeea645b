import { createHash } from 'node:crypto';
import {
  centralHeaderLength,
  endRecordsLength,
  localHeaderLength,
  needsZip64End,
  needsZip64Size,
  type DirectoryInfo,
  type ZipEntryMeta,
} from './zip-format.ts';

/** Where an entry's bytes come from: a file on disk (checked against size, mtime, ctime and inode when read) or memory. */
export type ZipSource =
  | { kind: 'file'; path: string; mtimeMs: number; ctimeMs?: number; ino?: number }
  | { kind: 'bytes'; data: Buffer };

export interface ZipEntryInput {
  name: string;
  size: number;
  /** CRC-32 of the stored bytes (unsigned). */
  crc32: number;
  mtimeMs: number;
  source: ZipSource;
}

export interface PlannedEntry {
  meta: ZipEntryMeta;
  source: ZipSource;
  /** Offset of the local header in the archive. */
  headerOffset: number;
  /** Offset of the first data byte. */
  dataOffset: number;
}

/** A complete STORE archive layout: every offset is known before the first byte is produced. */
export interface ZipPlan {
  entries: PlannedEntry[];
  /** Offset of each entry's central header, relative to the start of the central directory. */
  centralOffsets: Float64Array;
  directory: DirectoryInfo;
  /** Offset of the end records (ZIP64 end + locator when needed, then the classic end record). */
  endOffset: number;
  totalLength: number;
  zip64: boolean;
  /** Strong validator: a digest of names, sizes, mtimes, change times and inodes (which determine the bytes). */
  etag: string;
}

export class ZipPlanError extends Error {}

/** Plans the archive. Names must be unique, relative and free of `..` segments: readers would refuse them. */
export function planZip(inputs: readonly ZipEntryInput[]): ZipPlan {
  const entries: PlannedEntry[] = [];
  const seen = new Set<string>();
  const digest = createHash('sha256');
  let offset = 0;
  let zip64 = false;
  for (const input of inputs) {
    checkName(input.name, seen);
    if (!Number.isSafeInteger(input.size) || input.size < 0) throw new ZipPlanError(`bad size for ${input.name}`);
    if (input.source.kind === 'bytes' && input.source.data.length !== input.size) {
      throw new ZipPlanError(`size mismatch for ${input.name}`);
    }
    const meta: ZipEntryMeta = { name: Buffer.from(input.name, 'utf8'), size: input.size, crc32: input.crc32 >>> 0, mtimeMs: input.mtimeMs };
    const headerLength = localHeaderLength(meta);
    entries.push({ meta, source: input.source, headerOffset: offset, dataOffset: offset + headerLength });
    if (needsZip64Size(input.size) || offset >= 0xffffffff) zip64 = true;
    offset += headerLength + input.size;
    // CRCs are left out: they follow from the content, which size, mtime, ctime and inode stand for, so HEAD
    // (planned without CRCs) and GET agree on the validator.
    const change = input.source.kind === 'file' ? `\0${input.source.ctimeMs ?? ''}\0${input.source.ino ?? ''}` : '';
    digest.update(`${input.name}\0${input.size}\0${Math.floor(input.mtimeMs)}${change}\n`);
  }
  const centralOffsets = new Float64Array(entries.length);
  let size = 0;
  entries.forEach((e, i) => {
    centralOffsets[i] = size;
    size += centralHeaderLength(e.meta, e.headerOffset);
  });
  const directory: DirectoryInfo = { count: entries.length, offset, size };
  if (needsZip64End(directory)) zip64 = true;
  const endOffset = offset + size;
  const totalLength = endOffset + endRecordsLength(directory);
  return {
    entries,
    centralOffsets,
    directory,
    endOffset,
    totalLength,
    zip64,
    etag: `"zip-${digest.digest('hex').slice(0, 32)}-${totalLength.toString(16)}"`,
  };
}

function checkName(name: string, seen: Set<string>): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.includes('\0')) {
    throw new ZipPlanError(`invalid entry name: ${JSON.stringify(name)}`);
  }
  if (name.split('/').some((part) => part === '..' || part === '.' || part === '')) throw new ZipPlanError(`invalid entry name: ${JSON.stringify(name)}`);
  if (Buffer.byteLength(name, 'utf8') > 0xffff) throw new ZipPlanError('entry name too long');
  if (seen.has(name)) throw new ZipPlanError(`duplicate entry name: ${name}`);
  seen.add(name);
}

/** Index of the last element of `sorted` that is <= value (binary search; -1 when none). */
export function lastAtOrBefore(count: number, valueAt: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (valueAt(mid) <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
