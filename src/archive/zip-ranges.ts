/**
 * Byte ranges of a zip being written, not read: a download's STORE zip exists only as its plan (zip-plan.ts), and
 * any range of it, from one byte to the whole archive, is produced on request from that plan and the files on disk.
 */
import { readFileRange } from './file-range.ts';
import { centralHeader, endRecords, localHeader } from './zip-format.ts';
import { lastAtOrBefore, type PlannedEntry, type ZipPlan } from './zip-plan.ts';

/** Small pieces (headers, tiny files) are gathered into chunks of about this size before they are yielded. */
const COALESCE = 64 * 1024;

/**
 * Yields bytes [start, end) of the planned archive: headers are rebuilt in memory, file data is streamed from
 * disk, so any range of any size costs one pass over the bytes it covers and constant memory.
 */
export async function* readZipRange(plan: ZipPlan, start: number, end: number, take?: (size: number) => Buffer): AsyncGenerator<Buffer> {
  end = Math.min(end, plan.totalLength);
  if (start < 0 || start >= end) return;
  const pending: Buffer[] = [];
  let pendingLength = 0;
  const flush = (): Buffer | null => {
    if (pendingLength === 0) return null;
    const out = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingLength);
    pending.length = 0;
    pendingLength = 0;
    return out;
  };

  for (const piece of pieces(plan, start, end, take)) {
    if (piece instanceof Uint8Array) {
      pending.push(piece);
      pendingLength += piece.length;
      if (pendingLength >= COALESCE) yield flush() as Buffer;
      continue;
    }
    for await (const chunk of piece) {
      if (chunk.length < COALESCE) {
        pending.push(chunk);
        pendingLength += chunk.length;
        if (pendingLength >= COALESCE) yield flush() as Buffer;
      } else {
        const before = flush();
        if (before) yield before;
        yield chunk;
      }
    }
  }
  const rest = flush();
  if (rest) yield rest;
}

type Piece = Buffer | AsyncGenerator<Buffer>;

/** The archive as a sequence of in-memory buffers and lazy file reads, clipped to [start, end). */
function* pieces(plan: ZipPlan, start: number, end: number, take?: (size: number) => Buffer): Generator<Piece> {
  const { entries, directory } = plan;
  let pos = start;

  if (pos < directory.offset) {
    let i = Math.max(0, lastAtOrBefore(entries.length, (k) => (entries[k] as PlannedEntry).headerOffset, pos));
    for (; i < entries.length && pos < end; i++) {
      const e = entries[i] as PlannedEntry;
      if (pos < e.dataOffset) {
        const stop = Math.min(e.dataOffset, end);
        yield localHeader(e.meta).subarray(pos - e.headerOffset, stop - e.headerOffset);
        pos = stop;
      }
      const dataEnd = e.dataOffset + e.meta.size;
      if (pos < end && pos < dataEnd) {
        const stop = Math.min(dataEnd, end);
        yield entryData(e, pos - e.dataOffset, stop - e.dataOffset, take);
        pos = stop;
      }
    }
  }

  if (pos < end && pos < plan.endOffset) {
    const offsets = plan.centralOffsets;
    let i = Math.max(0, lastAtOrBefore(entries.length, (k) => offsets[k] as number, pos - directory.offset));
    for (; i < entries.length && pos < end; i++) {
      const e = entries[i] as PlannedEntry;
      const at = directory.offset + (offsets[i] as number);
      const header = centralHeader(e.meta, e.headerOffset);
      const stop = Math.min(at + header.length, end);
      yield header.subarray(pos - at, stop - at);
      pos = stop;
    }
  }

  if (pos < end) {
    yield endRecords(directory).subarray(pos - plan.endOffset, end - plan.endOffset);
  }
}

function entryData(e: PlannedEntry, from: number, to: number, take?: (size: number) => Buffer): Piece {
  if (e.source.kind === 'bytes') return e.source.data.subarray(from, to);
  const { mtimeMs, ctimeMs, ino } = e.source;
  return readFileRange(e.source.path, from, to, {
    size: e.meta.size, mtimeMs, ...(ctimeMs === undefined ? {} : { ctimeMs }), ...(ino === undefined ? {} : { ino }),
  }, take);
}
