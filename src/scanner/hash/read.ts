import { closeSync, openSync, readSync } from 'node:fs';
import type { FileHashResult, HashJob, HashResult } from './types.ts';
import { readableKindOfHead, readableKindOfName, type ReadableKindId } from '../../archive/kinds.ts';
import { hashArchiveMembers, hashGzip, hashLargestMember } from './archive-members.ts';
import { MultiHasher, type Sink } from './multi-hasher.ts';

/** Chunk size of every read: large enough for full disk throughput, small enough to never hold a file. */
export const CHUNK_SIZE = 1024 * 1024;

const buffer = Buffer.allocUnsafe(CHUNK_SIZE);

/**
 * Streams a file's raw bytes to `sink` with synchronous reads into one reused buffer (this runs on a worker
 * thread). `inspect` sees the first chunk before the sink does and may stop the read by returning false.
 */
export function readRaw(abs: string, sink: Sink, inspect?: (head: Buffer) => boolean): boolean {
  const fd = openSync(abs, 'r');
  try {
    let first = true;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_SIZE, null);
      if (n === 0) return true;
      const chunk = buffer.subarray(0, n);
      if (first && inspect && !inspect(chunk)) return false;
      first = false;
      sink(chunk);
    }
  } finally {
    closeSync(fd);
  }
}

/** CHD v5 header: the combined raw+metadata SHA-1 sits at offset 84. */
export function chdSha1(head: Buffer): string {
  if (head.length < 124 || head.toString('latin1', 0, 8) !== 'MComprHD') return '';
  if (head.readUInt32BE(12) !== 5) return '';
  return head.toString('hex', 84, 104);
}

function result(h: MultiHasher, chd = ''): FileHashResult {
  return { ...h.digest(), chdSha1: chd, archiveMembers: null };
}

async function hashDecompressed(abs: string, kind: ReadableKindId, sink: Sink): Promise<boolean> {
  return kind === 'gz' ? hashGzip(abs, sink) : hashLargestMember(abs, kind, sink);
}

/**
 * One file's hashes (spec §10.5): `.gz` decompressed, zip/tar (by extension or content) as their largest member,
 * everything else raw. `rom` also receives the bytes when the file feeds its folder ROM's hash.
 */
export async function hashFile(abs: string, rom: MultiHasher | null): Promise<FileHashResult> {
  const sinkFor = (own: MultiHasher): Sink => (rom ? (c) => { own.update(c); rom.update(c); } : (c) => own.update(c));
  let kind = readableKindOfName(abs);
  if (!kind) {
    const raw = new MultiHasher();
    let chd = '';
    const complete = readRaw(abs, sinkFor(raw), (head) => {
      kind = readableKindOfHead(head);
      if (!kind && abs.toLowerCase().endsWith('.chd')) chd = chdSha1(head);
      return kind === null;
    });
    if (complete) return result(raw, chd);
  }
  if (kind) {
    const own = new MultiHasher();
    if (await hashDecompressed(abs, kind, sinkFor(own))) return result(own);
  }
  // Unreadable archive: its raw bytes.
  const raw = new MultiHasher();
  readRaw(abs, sinkFor(raw));
  return result(raw);
}

/** A single-file archive ROM: composite over decompressed members, raw bytes when unreadable or empty. */
export async function hashArchiveRom(abs: string): Promise<FileHashResult> {
  const kind = readableKindOfName(abs);
  const members = kind ? await hashArchiveMembers(abs, kind) : null;
  if (members && members.list.length > 0) return { ...members.hashes, chdSha1: '', archiveMembers: members.list };
  const raw = new MultiHasher();
  readRaw(abs, (c) => raw.update(c));
  return result(raw);
}

const FAILED = (err: unknown): FileHashResult => ({
  crc: '', md5: '', sha1: '', chdSha1: '', archiveMembers: null, error: errorText(err),
});

/** Hashes one ROM's files; an unreadable file gets empty hashes and an error, the others go on. */
export async function runHashJob(job: HashJob): Promise<HashResult> {
  if (!job.folder) {
    const file = job.files[0];
    if (!file) return { id: job.id, files: [], rom: { crc: '', md5: '', sha1: '' } };
    let r: FileHashResult;
    try {
      r = job.archiveRom ? await hashArchiveRom(file.abs) : await hashFile(file.abs, null);
    } catch (err) {
      r = FAILED(err);
    }
    return { id: job.id, files: [r], rom: { crc: r.crc, md5: r.md5, sha1: r.sha1 } };
  }
  const rom = new MultiHasher();
  const files: FileHashResult[] = [];
  for (const file of job.files) {
    try {
      files.push(await hashFile(file.abs, file.feedsRom ? rom : null));
    } catch (err) {
      files.push(FAILED(err));
    }
  }
  return { id: job.id, files, rom: rom.digest() };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
