/**
 * What identifies a file's content without reading it. Size and mtime alone are not enough: a program can rewrite
 * a file in place at the same size and set its mtime back. The change time (ctime) is set by the kernel on every
 * write or metadata change and cannot be set back without changing the system clock, and a replaced file has a new
 * inode, so the four together change whenever the bytes may have.
 */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  /** Change time in whole epoch milliseconds. */
  ctimeMs: number;
  /** Inode number, kept within safe integers (BIGINT columns, JSON). */
  ino: number;
}

export function fileIdentity(st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): FileIdentity {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: Math.floor(st.ctimeMs), ino: st.ino % 2 ** 53 };
}

/** Same modification time at millisecond precision (databases and file systems round differently). */
export const sameMtime = (a: number, b: number): boolean => Math.abs(a - b) < 1;

/** Recorded change time and inode; null where the record predates them (then nothing vouches for the content). */
export interface RecordedIdentity {
  ctimeMs: number | null;
  ino: number | null;
}

/** True only when the record has a change time and inode and both still hold. */
export const sameChange = (recorded: RecordedIdentity, now: FileIdentity): boolean =>
  recorded.ctimeMs !== null && recorded.ino !== null && recorded.ctimeMs === now.ctimeMs && recorded.ino === now.ino;
