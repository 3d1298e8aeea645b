/**
 * The SHA-1 DATs list for a CHD (MAME software lists, Redump's CHD DATs): the combined raw-data-and-metadata SHA-1
 * its header carries, so the (large, compressed) file need not be decompressed. Header layouts from MAME's chd.h:
 *
 *   all:  [0] "MComprHD"  [8] u32 BE header length  [12] u32 BE version
 *   v3:   length 120, [80] sha1 (raw+meta), [100] parent sha1
 *   v4:   length 108, [48] sha1 (raw+meta), [68] parent sha1, [88] raw sha1
 *   v5:   length 124, [64] raw sha1, [84] sha1 (raw+meta), [104] parent sha1
 *
 * v1 and v2 carry only MD5s. A header that lies (a length other than its version's, a file shorter than its header,
 * an all-zero digest) gives null.
 */

export const CHD_MAGIC = 'MComprHD';

const LAYOUTS: Readonly<Record<number, { length: number; sha1: number }>> = {
  3: { length: 120, sha1: 80 },
  4: { length: 108, sha1: 48 },
  5: { length: 124, sha1: 84 },
};

export function isChdHead(head: Uint8Array): boolean {
  return head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1') === CHD_MAGIC;
}

/** The header's SHA-1 in lowercase hex, or null when `head` (the file's first bytes) is no valid v3-v5 header. */
export function chdSha1(head: Uint8Array, fileSize: number): string | null {
  if (head.length < 16 || !isChdHead(head)) return null;
  const buf = Buffer.from(head.buffer, head.byteOffset, head.length);
  const layout = LAYOUTS[buf.readUInt32BE(12)];
  if (!layout || buf.readUInt32BE(8) !== layout.length) return null;
  if (head.length < layout.length || fileSize < layout.length) return null;
  const sha1 = buf.toString('hex', layout.sha1, layout.sha1 + 20);
  return /^0+$/.test(sha1) ? null : sha1;
}
