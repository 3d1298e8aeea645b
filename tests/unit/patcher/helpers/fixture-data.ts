// Deterministic test ROMs: a pseudo-random body (so nothing matches by accident) with an N64-style
// header, and a "patched" version with scattered edits, runs, new text and a size change.

export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

export function makeRom(size: number, seed = 1): Buffer {
  const next = prng(seed);
  const rom = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) {
    const v = next();
    for (let k = 0; k < 4 && i + k < size; k++) rom[i + k] = (v >>> (k * 8)) & 0xff;
  }
  if (size >= 0x40) {
    rom.writeUInt32BE(0x80371240, 0); // N64 big-endian magic
    rom.write('NRS', 0x3c, 'latin1'); // cartridge id
  }
  return rom;
}

/** Word salad: compressible text that does not occur in the ROM, so secondary compression engages. */
export function wordSalad(bytes: number, seed = 7): Buffer {
  const next = prng(seed);
  const words: string[] = [];
  for (let i = 0; i < 400; i++) {
    let w = '';
    const len = 2 + (next() % 8);
    for (let k = 0; k < len; k++) w += String.fromCharCode(97 + (next() % 26));
    words.push(w);
  }
  let s = '';
  while (s.length < bytes) s += words[next() % words.length]! + ' ';
  return Buffer.from(s.slice(0, bytes), 'latin1');
}

export function makePatched(rom: Buffer, seed = 3, extra = 4096): Buffer {
  const next = prng(seed);
  const out = Buffer.concat([rom, wordSalad(extra, seed)]);
  for (let i = 0; i < 200; i++) out[next() % rom.length] = next() & 0xff;
  out.fill(0xff, 0x1000, 0x1000 + 300); // a long run (IPS/APS RLE, BPS target copy)
  wordSalad(8192, seed + 1).copy(out, 0x6000); // new text inside the ROM
  out[0x10] = 0x12; // N64 CRC field changes too
  return out;
}
