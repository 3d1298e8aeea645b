import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';

/**
 * Sector access to the first track of a CD image (.bin/.img raw, .iso cooked, or the first track of a .cue), the
 * way rcheevos' cdreader finds its layout: the sync pattern and "CD001" at sector 16 tell raw 2352-byte, 2336-byte
 * or cooked 2048-byte sectors apart, and the file size decides when neither is there. Every read is bounded.
 */

const SYNC = Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
const DATA_BYTES = 2048;

const bcd = (b: number): number => (b >> 4) * 10 + (b & 0x0f);

export class CdTrack {
  private constructor(
    private readonly fd: number,
    private readonly sectorSize: number,
    private readonly headerSize: number,
    /** Sector number the track's first byte holds (from the raw header's MSF address; 0 for cooked images). */
    readonly firstSector: number,
    private readonly offset: number,
  ) {}

  /** The track in `file` starting `offset` bytes in; null when no sector layout fits. */
  static open(file: string, offset = 0): CdTrack | null {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size - offset;
      const header = Buffer.alloc(32);
      const at = (sectorSize: number) => readSync(fd, header, 0, 32, offset + 16 * sectorSize) === 32;
      for (const sectorSize of [2352, 2336]) {
        if (at(sectorSize) && header.subarray(0, 12).equals(SYNC)) {
          const headerSize = header.toString('latin1', 25, 30) === 'CD001' ? 24 : 16;
          const first = (bcd(header[12] ?? 0) * 60 + bcd(header[13] ?? 0)) * 75 + bcd(header[14] ?? 0) - 150 - 16;
          return new CdTrack(fd, sectorSize, headerSize, Math.max(0, first), offset);
        }
      }
      if (at(2048) && header.toString('latin1', 1, 6) === 'CD001') return new CdTrack(fd, 2048, 0, 0, offset);
      if (size > 0 && size % 2352 === 0) return new CdTrack(fd, 2352, 24, 0, offset);
      if (size > 0 && size % 2048 === 0) return new CdTrack(fd, 2048, 0, 0, offset);
      if (size > 0 && size % 2336 === 0) return new CdTrack(fd, 2336, 8, 0, offset);
    } catch {
      // fall through: the caller gets no track
    }
    closeSync(fd);
    return null;
  }

  /** Up to `bytes` (at most one sector's 2048 data bytes) of `sector`; fewer at the end of the file. */
  read(sector: number, bytes = DATA_BYTES): Buffer {
    if (sector < this.firstSector) return Buffer.alloc(0);
    const buf = Buffer.alloc(Math.min(bytes, DATA_BYTES));
    const pos = (sector - this.firstSector) * this.sectorSize + this.headerSize + this.offset;
    const n = readSync(this.fd, buf, 0, buf.length, pos);
    return buf.subarray(0, n);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The image file and byte offset of a cue sheet's first track, or null when the sheet names none that exists. */
export function cueFirstTrack(cuePath: string): { file: string; offset: number } | null {
  let text: string;
  try {
    // A cue sheet is a few lines; anything bigger is not one.
    const raw = readFileSync(cuePath);
    if (raw.length > 64 * 1024) return null;
    text = raw.toString('latin1');
  } catch {
    return null;
  }
  let file: string | null = null;
  let inFirst = false;
  let sectorSize = 2352;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    const f = /^FILE\s+(?:"([^"]+)"|(\S+))/i.exec(t);
    if (f) { file = f[1] ?? f[2] ?? null; continue; }
    const tr = /^TRACK\s+(\d+)\s+(\S+)/i.exec(t);
    if (tr) {
      if (inFirst) break;
      inFirst = Number(tr[1]) === 1;
      const mode = /\/(\d+)$/.exec(tr[2] ?? '');
      sectorSize = mode ? Number(mode[1]) : 2352;
      continue;
    }
    const idx = /^INDEX\s+01\s+(\d+):(\d+):(\d+)/i.exec(t);
    if (idx && inFirst && file) {
      const frames = (Number(idx[1]) * 60 + Number(idx[2])) * 75 + Number(idx[3]);
      // Only a plain name: a cue sheet must not point the scanner outside its own folder.
      const base = path.basename(file.replace(/\\/g, '/'));
      return { file: path.join(path.dirname(cuePath), base), offset: frames * sectorSize };
    }
  }
  return null;
}
