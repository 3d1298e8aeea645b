/** Small ROM and disc images with real header layouts, built in tests so every expected hash can be recomputed. */

/** Deterministic ROM-like bytes (not all equal, so a wrong offset changes the hash). */
export function body(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** iNES header: 2 × 16 KiB PRG, 1 × 8 KiB CHR, mapper 1; `nes2` sets the NES 2.0 identifier bits of byte 7. */
export function inesHeader(nes2 = false): Buffer {
  const h = Buffer.alloc(16);
  h.write('NES\x1a', 0, 'latin1');
  h[4] = 2;
  h[5] = 1;
  h[6] = 0x10;
  h[7] = nes2 ? 0x08 : 0x00;
  return h;
}

/** fwNES header: "FDS\x1a", one disk side, 11 zero bytes. */
export function fdsHeader(): Buffer {
  const h = Buffer.alloc(16);
  h.write('FDS\x1a', 0, 'latin1');
  h[4] = 1;
  return h;
}

/** A78 v1 header: version byte, "ATARI7800", 32-byte title, ROM size, cartridge type, "ACTUAL CART DATA STARTS HERE". */
export function a78Header(romSize: number): Buffer {
  const h = Buffer.alloc(128);
  h[0] = 1;
  h.write('ATARI7800', 1, 'latin1');
  h.write('Test Cart', 17, 'latin1');
  h.writeUInt32BE(romSize, 49);
  h.write('ACTUAL CART DATA STARTS HERE', 100, 'latin1');
  return h;
}

/** Handy LNX header: "LYNX\0", bank 0 page size, version, cart name, manufacturer, rotation. */
export function lnxHeader(): Buffer {
  const h = Buffer.alloc(64);
  h.write('LYNX', 0, 'latin1');
  h.writeUInt16LE(512, 4);
  h.writeUInt16LE(1, 8);
  h.write('Test Cart', 10, 'latin1');
  h.write('Maker', 42, 'latin1');
  return h;
}

/** SMC copier header: size in 8 KiB blocks, flags, the rest zero; 512 bytes. */
export function smcHeader(romSize: number): Buffer {
  const h = Buffer.alloc(512);
  h.writeUInt16LE(romSize / 8192, 0);
  return h;
}

/** A raw (2352-byte) or cooked (2048-byte) sector image of an ISO 9660 volume holding `files` in its root. */
export function isoImage(files: Record<string, Buffer>, raw: boolean): Buffer {
  const sectors: Buffer[] = [];
  const put = (lba: number, data: Buffer) => {
    for (let i = 0; i * 2048 < Math.max(data.length, 1); i++) {
      const s = Buffer.alloc(2048);
      data.copy(s, 0, i * 2048, (i + 1) * 2048);
      sectors[lba + i] = s;
    }
  };
  const root = 20;
  let next = 21;
  const records: Buffer[] = [dirRecord('\0', root, 2048, true), dirRecord('\x01', root, 2048, true)];
  for (const [name, data] of Object.entries(files)) {
    records.push(dirRecord(`${name};1`, next, data.length, false));
    put(next, data);
    next += Math.max(1, Math.ceil(data.length / 2048));
  }
  put(root, Buffer.concat(records));
  const pvd = Buffer.alloc(2048);
  pvd[0] = 1;
  pvd.write('CD001', 1, 'latin1');
  pvd[6] = 1;
  pvd.writeUInt16LE(2048, 128);
  dirRecord('\0', root, 2048, true).copy(pvd, 156);
  put(16, pvd);
  const terminator = Buffer.alloc(2048);
  terminator[0] = 255;
  terminator.write('CD001', 1, 'latin1');
  put(17, terminator);
  const out: Buffer[] = [];
  for (let lba = 0; lba < next; lba++) {
    const data = sectors[lba] ?? Buffer.alloc(2048);
    out.push(raw ? rawSector(lba, data) : data);
  }
  return Buffer.concat(out);
}

function dirRecord(name: string, lba: number, size: number, dir: boolean): Buffer {
  const id = Buffer.from(name, 'latin1');
  const len = 33 + id.length + (id.length % 2 === 0 ? 1 : 0);
  const r = Buffer.alloc(len);
  r[0] = len;
  r.writeUInt32LE(lba, 2);
  r.writeUInt32BE(lba, 6);
  r.writeUInt32LE(size, 10);
  r.writeUInt32BE(size, 14);
  r[25] = dir ? 2 : 0;
  r[32] = id.length;
  id.copy(r, 33);
  return r;
}

const toBcd = (n: number) => ((Math.floor(n / 10) << 4) | (n % 10));

/** A Mode 2 Form 1 sector: sync, BCD MSF address (+150 frames), mode, 8-byte subheader, data, zeroed EDC/ECC. */
function rawSector(lba: number, data: Buffer): Buffer {
  const s = Buffer.alloc(2352);
  Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]).copy(s, 0);
  const f = lba + 150;
  s[12] = toBcd(Math.floor(f / 4500));
  s[13] = toBcd(Math.floor(f / 75) % 60);
  s[14] = toBcd(f % 75);
  s[15] = 2;
  s[18] = 0x08;
  s[22] = 0x08;
  data.copy(s, 24);
  return s;
}

/** A PS-X EXE: the 2048-byte header (magic, text size at 28) and `text`. */
export function psxExe(text: Buffer): Buffer {
  const h = Buffer.alloc(2048);
  h.write('PS-X EXE', 0, 'latin1');
  h.writeUInt32LE(0x80010000, 16);
  h.writeUInt32LE(text.length, 28);
  return Buffer.concat([h, text]);
}
