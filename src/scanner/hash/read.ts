import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileHashResult, HashJob, HashResult } from './types.ts';
import { readableKindOfHead, readableKindOfName, type ReadableKindId } from '../../archive/kinds.ts';
import { hashArchiveMembers, hashGzip, hashLargestMember, type SinkOpener } from './archive-members.ts';
import { chdSha1, isChdHead } from './chd.ts';
import { ExtraHasher, type ExtraHashOptions } from './extra-hashes.ts';
import { MultiHasher, type Sink } from './multi-hasher.ts';
import { DISC_IMAGE_EXTENSIONS, raMethod, type RaMethod } from './ra/index.ts';
import { psxDiscHash } from './ra/psx.ts';

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

/** What a job knows about its ROM's platform, for the header and RetroAchievements rules. */
export interface HashContext {
  platform: string | null;
  ra: RaMethod;
}

const NO_CONTEXT: HashContext = { platform: null, ra: null };

function contextOf(job: HashJob): HashContext {
  return { platform: job.platform ?? null, ra: raMethod(job.raConsole ?? null) };
}

function extraOptions(ctx: HashContext, size: number | null): ExtraHashOptions {
  return { platform: ctx.platform, ra: ctx.ra?.kind === 'stream' ? ctx.ra.rule : null, size };
}

function result(h: MultiHasher, extra: ExtraHasher | null, chd: string | null = ''): FileHashResult {
  const hashes = h.digest();
  const x = extra?.finish(hashes.md5) ?? null;
  return {
    ...hashes, chdSha1: chd, archiveMembers: null, headerSkipped: x ? x.headerSkipped : null,
    headerless: x?.headerless ?? null, ra: x?.ra ?? null,
  };
}

async function hashDecompressed(abs: string, kind: ReadableKindId, open: SinkOpener): Promise<boolean> {
  return kind === 'gz' ? hashGzip(abs, open(null)) : hashLargestMember(abs, kind, open);
}

/**
 * One file's hashes (spec §10.5): `.gz` decompressed, zip/tar (by extension or content) as their largest member,
 * everything else raw. `rom` also receives the bytes when the file feeds its folder ROM's hash. The same chunks
 * feed the header-aware and RetroAchievements hashers (extra-hashes.ts), and a CHD's header gives its SHA-1.
 */
export async function hashFile(abs: string, rom: MultiHasher | null, ctx: HashContext = NO_CONTEXT): Promise<FileHashResult> {
  const sinkFor = (own: MultiHasher, extra: ExtraHasher): Sink => (rom
    ? (c) => { own.update(c); rom.update(c); extra.update(c); }
    : (c) => { own.update(c); extra.update(c); });
  let kind = readableKindOfName(abs);
  if (!kind) {
    const raw = new MultiHasher();
    const size = statSync(abs).size;
    const extra = new ExtraHasher(extraOptions(ctx, size));
    let chd: string | null = '';
    const complete = readRaw(abs, sinkFor(raw, extra), (head) => {
      kind = readableKindOfHead(head);
      if (!kind && (isChdHead(head) || abs.toLowerCase().endsWith('.chd'))) chd = chdSha1(head, size);
      return kind === null;
    });
    if (complete) return result(raw, extra, chd);
  }
  if (kind) {
    const own = new MultiHasher();
    let extra: ExtraHasher | null = null;
    const open = (size: number | null): Sink => {
      extra = new ExtraHasher(extraOptions(ctx, size));
      return sinkFor(own, extra);
    };
    if (await hashDecompressed(abs, kind, open)) return result(own, extra);
  }
  // Unreadable archive: its raw bytes.
  const raw = new MultiHasher();
  const extra = new ExtraHasher(extraOptions(ctx, statSync(abs).size));
  readRaw(abs, sinkFor(raw, extra));
  return result(raw, extra);
}

/** A single-file archive ROM: composite over decompressed members, raw bytes when unreadable or empty. */
export async function hashArchiveRom(abs: string, ctx: HashContext = NO_CONTEXT): Promise<FileHashResult> {
  const kind = readableKindOfName(abs);
  const members = kind ? await hashArchiveMembers(abs, kind, extraOptions(ctx, null)) : null;
  if (members && members.list.length > 0) {
    return {
      ...members.hashes, chdSha1: '', archiveMembers: members.list, headerSkipped: 0, headerless: null, ra: members.ra,
    };
  }
  const raw = new MultiHasher();
  const extra = new ExtraHasher(extraOptions(ctx, statSync(abs).size));
  readRaw(abs, (c) => { raw.update(c); extra.update(c); });
  return result(raw, extra);
}

const FAILED = (err: unknown): FileHashResult => ({
  crc: '', md5: '', sha1: '', chdSha1: '', archiveMembers: null, headerSkipped: null, headerless: null, ra: null,
  error: errorText(err),
});

const extOf = (name: string): string => path.extname(name).toLowerCase();

/**
 * The disc image a disc rule reads for a ROM, as RomM picks what it hands RAHasher: a cue sheet when there is one,
 * else the largest file. Archives and CHDs are not read (RomM skips archived discs; CHD hunks are not decoded).
 */
function discImage(files: { abs: string; size: number }[]): string | null {
  const cue = files.filter((f) => extOf(f.abs) === '.cue').sort((a, b) => b.size - a.size)[0];
  const pick = cue ?? [...files].sort((a, b) => b.size - a.size)[0];
  return pick && DISC_IMAGE_EXTENSIONS.includes(extOf(pick.abs)) ? pick.abs : null;
}

function discRa(ctx: HashContext, files: { abs: string; size: number }[]): string | null {
  if (ctx.ra?.kind !== 'disc') return null;
  const image = discImage(files);
  return image ? psxDiscHash(image) : null;
}

function sizeOf(abs: string): number {
  try {
    return statSync(abs).size;
  } catch {
    return -1;
  }
}

/** Hashes one ROM's files; an unreadable file gets empty hashes and an error, the others go on. */
export async function runHashJob(job: HashJob): Promise<HashResult> {
  const ctx = contextOf(job);
  if (!job.folder) {
    const file = job.files[0];
    if (!file) return { id: job.id, files: [], rom: { crc: '', md5: '', sha1: '' }, raHash: null };
    let r: FileHashResult;
    try {
      r = job.archiveRom ? await hashArchiveRom(file.abs, ctx) : await hashFile(file.abs, null, ctx);
    } catch (err) {
      r = FAILED(err);
    }
    const ra = ctx.ra?.kind === 'disc' && !r.error ? discRa(ctx, [{ abs: file.abs, size: 0 }]) : r.ra;
    return { id: job.id, files: [r], rom: { crc: r.crc, md5: r.md5, sha1: r.sha1 }, raHash: ra };
  }
  const rom = new MultiHasher();
  const files: FileHashResult[] = [];
  for (const file of job.files) {
    try {
      files.push(await hashFile(file.abs, file.feedsRom ? rom : null, ctx));
    } catch (err) {
      files.push(FAILED(err));
    }
  }
  // RomM hashes a folder ROM for RetroAchievements through one file of its top level: the largest.
  const top = job.files.flatMap((f, i) => (f.feedsRom && !files[i]?.error ? [{ abs: f.abs, size: sizeOf(f.abs), r: files[i] }] : []));
  let raHash: string | null;
  if (ctx.ra?.kind === 'disc') raHash = discRa(ctx, top);
  else raHash = [...top].sort((a, b) => b.size - a.size)[0]?.r?.ra ?? null;
  return { id: job.id, files, rom: rom.digest(), raHash };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
