import { createHash, type Hash } from 'node:crypto';
import { CdTrack, cueFirstTrack } from './cd-track.ts';
import { RA_MAX_BYTES } from './types.ts';

/**
 * rc_hash_psx: the MD5 of the boot executable's name followed by its contents. SYSTEM.CNF's `BOOT = cdrom:\NAME;1`
 * names it (PSX.EXE when there is no SYSTEM.CNF); its length comes from the PS-X EXE header (the 4-byte value at
 * offset 28 plus the 2048-byte header itself), else from the directory record. Read from the image's first track
 * through ISO 9660 directory records, a few sectors plus the executable (at most 64 MiB).
 */
export const PSX_CONSOLE = 12;

/** Directory sectors read at most while looking for a name: a lying length must not make the scan read a whole disc. */
const MAX_DIR_SECTORS = 64;

interface Found { sector: number; size: number }

function findInDir(track: CdTrack, dirSector: number, sectors: number, name: string): Found | null {
  const want = name.toUpperCase();
  for (let s = 0; s < Math.min(Math.max(sectors, 1), MAX_DIR_SECTORS); s++) {
    const buf = track.read(dirSector + s);
    let p = 0;
    while (p < buf.length) {
      const len = buf[p] ?? 0;
      if (len === 0 || p + 33 > buf.length) break;
      const nameLen = buf[p + 32] ?? 0;
      const id = buf.toString('latin1', p + 33, Math.min(buf.length, p + 33 + nameLen)).toUpperCase();
      // "NAME;1" for files, "NAME" for directories (rcheevos compares up to the ';').
      if (id === want || id.startsWith(`${want};`)) {
        return { sector: buf.readUIntLE(p + 2, 3), size: buf.readUInt32LE(p + 10) };
      }
      p += len;
    }
  }
  return null;
}

/** A file by its path from the root, `\` or `/` separated, through the primary volume descriptor at sector 16. */
export function findFile(track: CdTrack, filePath: string): Found | null {
  const pvd = track.read(track.firstSector + 16, 256);
  if (pvd.length < 170) return null;
  const blockSize = pvd.readUInt16LE(128);
  let dir: Found = { sector: pvd.readUIntLE(158, 3), size: pvd.readUInt32LE(166) };
  const parts = filePath.split(/[\\/]/).filter((x) => x.length > 0);
  for (let i = 0; i < parts.length; i++) {
    const sectors = blockSize === 0 ? 1 : Math.ceil(dir.size / blockSize);
    const next = findInDir(track, dir.sector, sectors, parts[i] ?? '');
    if (!next) return null;
    dir = next;
  }
  return dir;
}

/** The executable name SYSTEM.CNF boots (`BOOT = cdrom:\SLUS_005.94;1` → `SLUS_005.94`), or null. */
export function bootName(cnf: string, key = 'BOOT', prefix = 'cdrom:'): string | null {
  for (const line of cnf.replace(/\0[^]*$/, '').split('\n')) {
    const m = new RegExp(`^${key}\\s*=\\s*([^\\n]*)`).exec(line);
    if (!m) continue;
    let v = (m[1] ?? '').trimStart();
    if (v.startsWith(prefix)) v = v.slice(prefix.length);
    v = v.replace(/^\\+/, '');
    const end = v.search(/[\s;]/);
    return (end < 0 ? v : v.slice(0, end)).slice(0, 63);
  }
  return null;
}

function hashCdFile(md5: Hash, track: CdTrack, start: number, size: number): void {
  let left = Math.min(size, RA_MAX_BYTES);
  let sector = start;
  while (left > 0) {
    const chunk = track.read(sector, Math.min(left, 2048));
    if (chunk.length === 0) break;
    md5.update(chunk);
    left -= chunk.length;
    sector++;
  }
}

function psxOfTrack(track: CdTrack): string | null {
  let name: string | null = null;
  let exe: Found | null = null;
  const cnf = findFile(track, 'SYSTEM.CNF');
  if (cnf) {
    name = bootName(track.read(cnf.sector, 2047).toString('latin1'));
    exe = name ? findFile(track, name) : null;
  }
  if (!exe) {
    exe = findFile(track, 'PSX.EXE');
    name = 'PSX.EXE';
  }
  if (!exe || !name) return null;
  const head = track.read(exe.sector, 32);
  if (head.length < 32) return null;
  const size = head.toString('latin1', 0, 7) === 'PS-X EX' ? head.readUInt32LE(28) + 2048 : exe.size;
  const md5 = createHash('md5').update(name, 'latin1');
  hashCdFile(md5, track, exe.sector, size);
  return md5.digest('hex');
}

/** The RA hash of a PlayStation disc image (.bin/.img/.iso, or a .cue's first track); null when none can be made. */
export function psxDiscHash(abs: string): string | null {
  const target = abs.toLowerCase().endsWith('.cue') ? cueFirstTrack(abs) : { file: abs, offset: 0 };
  if (!target) return null;
  let track: CdTrack | null = null;
  try {
    track = CdTrack.open(target.file, target.offset);
    return track ? psxOfTrack(track) : null;
  } catch {
    return null;
  } finally {
    track?.close();
  }
}
