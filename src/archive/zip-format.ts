/**
 * Byte layouts of the ZIP records a STORE-only writer needs (APPNOTE 6.3.10, sections 4.3 and 4.5.3).
 * Every function is pure: the same entry always gives the same bytes, which is what makes byte ranges of an
 * archive reproducible across requests.
 */

export const MAX32 = 0xffffffff;
export const MAX16 = 0xffff;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA = 0x0001;

/** Bit 11: names are UTF-8. */
const FLAG_UTF8 = 0x0800;
const VERSION_STORE = 20;
const VERSION_ZIP64 = 45;
/** "Made by" Unix (3), spec version 6.3, so unzip honours the Unix mode in the external attributes. */
const MADE_BY = (3 << 8) | 63;
/** Regular file, mode 0644. */
const EXTERNAL_ATTR = (0o100644 << 16) >>> 0;

export const LOCAL_HEADER_FIXED = 30;
export const CENTRAL_HEADER_FIXED = 46;
export const EOCD_SIZE = 22;
export const ZIP64_EOCD_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;

/** What the layout needs to know about one entry. */
export interface ZipEntryMeta {
  /** UTF-8 bytes of the entry name. */
  name: Buffer;
  size: number;
  crc32: number;
  /** Modification time, epoch milliseconds. */
  mtimeMs: number;
}

/** An entry needs ZIP64 sizes when its size does not fit the 32-bit field (0xFFFFFFFF itself is the marker). */
export const needsZip64Size = (size: number): boolean => size >= MAX32;

export function localHeaderLength(e: ZipEntryMeta): number {
  return LOCAL_HEADER_FIXED + e.name.length + (needsZip64Size(e.size) ? 20 : 0);
}

export function centralHeaderLength(e: ZipEntryMeta, offset: number): number {
  return CENTRAL_HEADER_FIXED + e.name.length + zip64CentralExtraLength(e.size, offset);
}

function zip64CentralExtraLength(size: number, offset: number): number {
  const fields = (needsZip64Size(size) ? 2 : 0) + (offset >= MAX32 ? 1 : 0);
  return fields ? 4 + 8 * fields : 0;
}

/** MS-DOS date and time (2-second resolution, UTC so the bytes do not depend on the server's zone). */
export function dosDateTime(ms: number): { date: number; time: number } {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const year = d.getUTCFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

function writeU64(buf: Buffer, value: number, at: number): void {
  buf.writeBigUInt64LE(BigInt(value), at);
}

export function localHeader(e: ZipEntryMeta): Buffer {
  const zip64 = needsZip64Size(e.size);
  const buf = Buffer.alloc(localHeaderLength(e));
  const { date, time } = dosDateTime(e.mtimeMs);
  buf.writeUInt32LE(SIG_LOCAL, 0);
  buf.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_STORE, 4);
  buf.writeUInt16LE(FLAG_UTF8, 6);
  buf.writeUInt16LE(0, 8); // method: store
  buf.writeUInt16LE(time, 10);
  buf.writeUInt16LE(date, 12);
  buf.writeUInt32LE(e.crc32 >>> 0, 14);
  buf.writeUInt32LE(zip64 ? MAX32 : e.size, 18);
  buf.writeUInt32LE(zip64 ? MAX32 : e.size, 22);
  buf.writeUInt16LE(e.name.length, 26);
  buf.writeUInt16LE(zip64 ? 20 : 0, 28);
  e.name.copy(buf, 30);
  if (zip64) {
    const at = 30 + e.name.length;
    buf.writeUInt16LE(ZIP64_EXTRA, at);
    buf.writeUInt16LE(16, at + 2);
    writeU64(buf, e.size, at + 4); // original size
    writeU64(buf, e.size, at + 12); // compressed size
  }
  return buf;
}

export function centralHeader(e: ZipEntryMeta, offset: number): Buffer {
  const bigSize = needsZip64Size(e.size);
  const bigOffset = offset >= MAX32;
  const extra = zip64CentralExtraLength(e.size, offset);
  const buf = Buffer.alloc(CENTRAL_HEADER_FIXED + e.name.length + extra);
  const { date, time } = dosDateTime(e.mtimeMs);
  buf.writeUInt32LE(SIG_CENTRAL, 0);
  buf.writeUInt16LE(MADE_BY, 4);
  buf.writeUInt16LE(extra ? VERSION_ZIP64 : VERSION_STORE, 6);
  buf.writeUInt16LE(FLAG_UTF8, 8);
  buf.writeUInt16LE(0, 10);
  buf.writeUInt16LE(time, 12);
  buf.writeUInt16LE(date, 14);
  buf.writeUInt32LE(e.crc32 >>> 0, 16);
  buf.writeUInt32LE(bigSize ? MAX32 : e.size, 20);
  buf.writeUInt32LE(bigSize ? MAX32 : e.size, 24);
  buf.writeUInt16LE(e.name.length, 28);
  buf.writeUInt16LE(extra, 30);
  buf.writeUInt16LE(0, 32); // comment length
  buf.writeUInt16LE(0, 34); // disk number start
  buf.writeUInt16LE(0, 36); // internal attributes
  buf.writeUInt32LE(EXTERNAL_ATTR, 38);
  buf.writeUInt32LE(bigOffset ? MAX32 : offset, 42);
  e.name.copy(buf, 46);
  if (extra) {
    let at = 46 + e.name.length;
    buf.writeUInt16LE(ZIP64_EXTRA, at);
    buf.writeUInt16LE(extra - 4, at + 2);
    at += 4;
    // Only the fields whose 32-bit slot holds the marker, in this fixed order.
    if (bigSize) {
      writeU64(buf, e.size, at);
      writeU64(buf, e.size, at + 8);
      at += 16;
    }
    if (bigOffset) writeU64(buf, offset, at);
  }
  return buf;
}

export interface DirectoryInfo {
  count: number;
  /** Offset of the central directory. */
  offset: number;
  size: number;
}

/** ZIP64 end records are needed once any of the classic fields would overflow. */
export function needsZip64End(dir: DirectoryInfo): boolean {
  return dir.count >= MAX16 || dir.offset >= MAX32 || dir.size >= MAX32;
}

export function endRecordsLength(dir: DirectoryInfo): number {
  return (needsZip64End(dir) ? ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE : 0) + EOCD_SIZE;
}

/** ZIP64 end of central directory + locator (when needed) + the classic end record. */
export function endRecords(dir: DirectoryInfo): Buffer {
  const zip64 = needsZip64End(dir);
  const buf = Buffer.alloc(endRecordsLength(dir));
  let at = 0;
  if (zip64) {
    const zip64At = dir.offset + dir.size;
    buf.writeUInt32LE(SIG_ZIP64_EOCD, 0);
    writeU64(buf, ZIP64_EOCD_SIZE - 12, 4);
    buf.writeUInt16LE(MADE_BY, 12);
    buf.writeUInt16LE(VERSION_ZIP64, 14);
    buf.writeUInt32LE(0, 16); // this disk
    buf.writeUInt32LE(0, 20); // disk with the directory
    writeU64(buf, dir.count, 24);
    writeU64(buf, dir.count, 32);
    writeU64(buf, dir.size, 40);
    writeU64(buf, dir.offset, 48);
    buf.writeUInt32LE(SIG_ZIP64_LOCATOR, 56);
    buf.writeUInt32LE(0, 60);
    writeU64(buf, zip64At, 64);
    buf.writeUInt32LE(1, 72); // total disks
    at = ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE;
  }
  buf.writeUInt32LE(SIG_EOCD, at);
  buf.writeUInt16LE(0, at + 4);
  buf.writeUInt16LE(0, at + 6);
  buf.writeUInt16LE(Math.min(dir.count, MAX16), at + 8);
  buf.writeUInt16LE(Math.min(dir.count, MAX16), at + 10);
  buf.writeUInt32LE(Math.min(dir.size, MAX32), at + 12);
  buf.writeUInt32LE(Math.min(dir.offset, MAX32), at + 16);
  buf.writeUInt16LE(0, at + 20); // comment length
  return buf;
}
