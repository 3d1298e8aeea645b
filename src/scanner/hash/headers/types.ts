/**
 * A header-skipper rule in the manner of clrmamepro's XML detectors (the ones No-Intro DATs name in their
 * `<header>` element): a test on the first bytes of a file and the number of bytes to leave out of the hash.
 */
export interface HeaderRule {
  /** clrmamepro detector name. */
  id: string;
  /** Header length in bytes when `head` (the first bytes, at least `PROBE_BYTES` unless the file is shorter) matches, else 0. */
  detect(head: Uint8Array, size: number | null): number;
  /** Platform slugs the rule is limited to; absent: any file (the rule has a magic of its own). */
  platforms?: readonly string[];
}

/** Bytes a detector may look at; also the longest header any rule skips. */
export const PROBE_BYTES = 512;

export function startsWith(head: Uint8Array, offset: number, magic: string): boolean {
  if (head.length < offset + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[offset + i] !== magic.charCodeAt(i)) return false;
  return true;
}
