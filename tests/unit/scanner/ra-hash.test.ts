import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtraHasher } from '../../../src/scanner/hash/extra-hashes.ts';
import { raMethod, RA_MAX_BYTES } from '../../../src/scanner/hash/ra/index.ts';
import { bootName, psxDiscHash } from '../../../src/scanner/hash/ra/psx.ts';
import { runHashJob } from '../../../src/scanner/hash/read.ts';
import { a78Header, body, fdsHeader, inesHeader, isoImage, lnxHeader, psxExe, smcHeader } from '../../helpers/rom-images.ts';
import { tinyZip } from '../../helpers/tiny-zip.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-ra-'));
const md5 = (...parts: (Buffer | string)[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** RetroAchievements console ids (rcheevos' RC_CONSOLE_*). */
const RA = { genesis: 1, n64: 2, snes: 3, gb: 4, gba: 5, gbc: 6, nes: 7, pce: 8, sms: 11, psx: 12, lynx: 13, gamegear: 15, a7800: 51, fds: 81, nds: 18 };

async function raOf(name: string, data: Buffer, raConsole: number, archiveRom = false): Promise<string | null> {
  const abs = path.join(dir, name);
  writeFileSync(abs, data);
  const r = await runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: false, archiveRom, raConsole });
  return r.raHash;
}

describe('RetroAchievements hashes of cartridge systems', () => {
  it('NES and FDS: the 16-byte iNES or fwNES header is left out; no header: the whole file', async () => {
    const prg = body(40960, 1);
    expect(await raOf('a.nes', Buffer.concat([inesHeader(), prg]), RA.nes)).toBe(md5(prg));
    expect(await raOf('b.nes', Buffer.concat([inesHeader(true), prg]), RA.nes)).toBe(md5(prg));
    expect(await raOf('c.nes', prg, RA.nes)).toBe(md5(prg));
    const disk = body(65500, 2);
    expect(await raOf('d.fds', Buffer.concat([fdsHeader(), disk]), RA.fds)).toBe(md5(disk));
  });

  it('SNES: 512 bytes are left out when the size is 512 over a multiple of 8 KiB, not merely of 1 KiB', async () => {
    const rom = body(262144, 3);
    expect(await raOf('a.smc', Buffer.concat([smcHeader(262144), rom]), RA.snes)).toBe(md5(rom));
    expect(await raOf('b.sfc', rom, RA.snes)).toBe(md5(rom));
    const odd = body(3 * 1024 + 512, 4); // 512 over 1 KiB multiple: a DAT header rule would skip, rcheevos does not
    expect(await raOf('c.sfc', odd, RA.snes)).toBe(md5(odd));
  });

  it('PC Engine: 512 bytes are left out whenever bit 9 of the size is set (rcheevos tests size & 512)', async () => {
    const headered = body(262144 + 512, 5);
    expect(await raOf('a.pce', headered, RA.pce)).toBe(md5(headered.subarray(512)));
    const quirk = body(1024 + 512 + 8192, 6);
    expect(await raOf('b.pce', quirk, RA.pce)).toBe(md5(quirk.subarray(512)));
    const plain = body(262144, 7);
    expect(await raOf('c.pce', plain, RA.pce)).toBe(md5(plain));
  });

  it('Lynx: "LYNX\\0" marks a 64-byte header; Atari 7800: "ATARI7800" at offset 1 marks 128 bytes', async () => {
    const lynx = body(131072, 8);
    expect(await raOf('a.lnx', Buffer.concat([lnxHeader(), lynx]), RA.lynx)).toBe(md5(lynx));
    const notQuite = Buffer.concat([Buffer.from('LYNXX', 'latin1'), body(1000, 9)]);
    expect(await raOf('b.lnx', notQuite, RA.lynx)).toBe(md5(notQuite));
    const cart = body(32768, 10);
    expect(await raOf('c.a78', Buffer.concat([a78Header(32768), cart]), RA.a7800)).toBe(md5(cart));
  });

  it('N64: .v64 and .n64 are hashed in big-endian .z64 order; a file of another byte order gets no hash', async () => {
    const z64 = Buffer.concat([Buffer.from([0x80, 0x37, 0x12, 0x40]), body(65536 - 4, 11)]);
    const v64 = Buffer.from(z64).swap16();
    const n64 = Buffer.from(z64).swap32();
    expect(v64[0]).toBe(0x37);
    expect(n64[0]).toBe(0x40);
    expect(await raOf('a.z64', z64, RA.n64)).toBe(md5(z64));
    expect(await raOf('a.v64', v64, RA.n64)).toBe(md5(z64));
    expect(await raOf('a.n64', n64, RA.n64)).toBe(md5(z64));
    expect(await raOf('junk.n64', Buffer.concat([Buffer.from([0x12]), body(4000, 12)]), RA.n64)).toBeNull();
  });

  it('N64 byte swapping holds across odd chunk boundaries', () => {
    const z64 = Buffer.concat([Buffer.from([0x80, 0x37, 0x12, 0x40]), body(10003, 13)]);
    const n64 = Buffer.from(z64.subarray(0, 10004)).swap32();
    const expected = md5(z64.subarray(0, 10004));
    for (const step of [1, 3, 513, 1001]) {
      const method = raMethod(RA.n64);
      const h = new ExtraHasher({ platform: 'n64', ra: method?.kind === 'stream' ? method.rule : null, size: n64.length });
      for (let i = 0; i < n64.length; i += step) h.update(n64.subarray(i, i + step));
      expect(h.finish('').ra).toBe(expected);
    }
  });

  it('Game Boy, GBA, Mega Drive, Master System, Game Gear: the MD5 of the whole file, reused from the file hash', async () => {
    for (const c of [RA.gb, RA.gbc, RA.gba, RA.genesis, RA.sms, RA.gamegear]) {
      const rom = body(32768 + c, c);
      expect(await raOf(`w${c}.bin`, rom, c)).toBe(md5(rom));
    }
  });

  it('only the first 64 MiB count', () => {
    const chunk = body(1024 * 1024, 14);
    const method = raMethod(RA.gba);
    const h = new ExtraHasher({ platform: 'gba', ra: method?.kind === 'stream' ? method.rule : null, size: RA_MAX_BYTES + chunk.length });
    const expected = createHash('md5');
    for (let i = 0; i < 65; i++) {
      h.update(chunk);
      if (i < 64) expected.update(chunk);
    }
    expect(h.finish('not the RA hash').ra).toBe(expected.digest('hex'));
  });

  it('a zipped ROM is hashed through its largest member; systems without a rule get no hash', async () => {
    const prg = body(40960, 15);
    const zip = tinyZip({ 'game.nes': Buffer.concat([inesHeader(), prg]), 'readme.txt': 'hi' });
    expect(await raOf('set.zip', zip, RA.nes, true)).toBe(md5(prg));
    expect(await raOf('one.bin', tinyZip({ 'game.nes': Buffer.concat([inesHeader(), prg]) }), RA.nes)).toBe(md5(prg));
    expect(await raOf('ds.nds', body(5000, 16), RA.nds)).toBeNull();
    const abs = path.join(dir, 'none.bin');
    writeFileSync(abs, body(100, 17));
    expect((await runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: false, archiveRom: false })).raHash).toBeNull();
  });
});

describe('RetroAchievements hash of a folder ROM', () => {
  it('comes from its largest top-level file, as RomM picks the file it hands RAHasher', async () => {
    const folder = path.join(dir, 'Folder Game');
    mkdirSync(path.join(folder, 'extras'), { recursive: true });
    const prg = body(40960, 30);
    writeFileSync(path.join(folder, 'game.nes'), Buffer.concat([inesHeader(), prg]));
    writeFileSync(path.join(folder, 'notes.txt'), 'notes');
    writeFileSync(path.join(folder, 'extras', 'big.bin'), body(100000, 31));
    const r = await runHashJob({
      id: 1, folder: true, archiveRom: false, raConsole: RA.nes,
      files: [
        { abs: path.join(folder, 'extras', 'big.bin'), feedsRom: false },
        { abs: path.join(folder, 'game.nes'), feedsRom: true },
        { abs: path.join(folder, 'notes.txt'), feedsRom: true },
      ],
    });
    expect(r.raHash).toBe(md5(prg));
  });
});

describe('RetroAchievements hashes of PlayStation discs', () => {
  const text = body(5000, 20);
  const exe = psxExe(text);
  const cnf = Buffer.from('BOOT = cdrom:\\SLUS_123.45;1\r\nTCB = 4\r\nEVENT = 10\r\nSTACK = 801FFFF0\r\n', 'latin1');
  // The executable's directory record is longer than the EXE says: the PS-X EXE header's size wins.
  const files = { 'SYSTEM.CNF': cnf, 'SLUS_123.45': Buffer.concat([exe, Buffer.alloc(3000, 0xee)]) };
  const expected = md5('SLUS_123.45', exe);

  it('the boot executable named by SYSTEM.CNF, name then contents, from cooked and raw images and cue sheets', async () => {
    writeFileSync(path.join(dir, 'game.iso'), isoImage(files, false));
    writeFileSync(path.join(dir, 'game.bin'), isoImage(files, true));
    expect(psxDiscHash(path.join(dir, 'game.iso'))).toBe(expected);
    expect(psxDiscHash(path.join(dir, 'game.bin'))).toBe(expected);
    const folder = path.join(dir, 'Game (USA)');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'Game (USA) (Track 1).bin'), isoImage(files, true));
    writeFileSync(path.join(folder, 'Game (USA) (Track 2).bin'), Buffer.alloc(2352 * 400, 0x11));
    writeFileSync(path.join(folder, 'Game (USA).cue'), [
      'FILE "Game (USA) (Track 1).bin" BINARY', '  TRACK 01 MODE2/2352', '    INDEX 01 00:00:00',
      'FILE "Game (USA) (Track 2).bin" BINARY', '  TRACK 02 AUDIO', '    INDEX 00 00:00:00', '    INDEX 01 00:02:00', '',
    ].join('\r\n'));
    const abs = (n: string) => path.join(folder, n);
    const r = await runHashJob({
      id: 1, folder: true, archiveRom: false, raConsole: RA.psx,
      files: ['Game (USA) (Track 1).bin', 'Game (USA) (Track 2).bin', 'Game (USA).cue'].map((n) => ({ abs: abs(n), feedsRom: true })),
    });
    // The cue sheet is picked over the larger audio track.
    expect(r.raHash).toBe(expected);
    expect(await raOf('single.iso', isoImage(files, false), RA.psx)).toBe(expected);
  });

  it('PSX.EXE when there is no SYSTEM.CNF', () => {
    writeFileSync(path.join(dir, 'old.iso'), isoImage({ 'PSX.EXE': exe }, false));
    expect(psxDiscHash(path.join(dir, 'old.iso'))).toBe(md5('PSX.EXE', exe));
  });

  it('SYSTEM.CNF parsing: prefix, backslashes and version are dropped', () => {
    expect(bootName('BOOT=cdrom:\\\\SCES_001.23;1\n')).toBe('SCES_001.23');
    expect(bootName('TCB = 4\nBOOT = cdrom:SLPS_999.99\n')).toBe('SLPS_999.99');
    expect(bootName('VMODE = NTSC\n')).toBeNull();
  });

  it('damaged or lying images give no hash and no exception; CHDs and archives are not read', async () => {
    const iso = isoImage(files, false);
    writeFileSync(path.join(dir, 'cut.iso'), iso.subarray(0, 2048 * 21 + 100));
    expect(psxDiscHash(path.join(dir, 'cut.iso'))).toBeNull();
    writeFileSync(path.join(dir, 'noexe.iso'), isoImage({ 'SYSTEM.CNF': cnf }, false));
    expect(psxDiscHash(path.join(dir, 'noexe.iso'))).toBeNull();
    const lying = Buffer.from(iso);
    lying.writeUInt32LE(0xffffff, 16 * 2048 + 156 + 2); // root directory far past the end
    lying.writeUInt32LE(0xfffffff0, 16 * 2048 + 156 + 10);
    writeFileSync(path.join(dir, 'lying.iso'), lying);
    expect(psxDiscHash(path.join(dir, 'lying.iso'))).toBeNull();
    writeFileSync(path.join(dir, 'empty.bin'), Buffer.alloc(0));
    expect(psxDiscHash(path.join(dir, 'empty.bin'))).toBeNull();
    writeFileSync(path.join(dir, 'escape.cue'), 'FILE "../../etc/passwd" BINARY\n TRACK 01 MODE1/2048\n INDEX 01 00:00:00\n');
    expect(psxDiscHash(path.join(dir, 'escape.cue'))).toBeNull();
    expect(await raOf('disc.chd', Buffer.concat([Buffer.from('MComprHD', 'latin1'), Buffer.alloc(200)]), RA.psx)).toBeNull();
    expect(await raOf('disc.zip', tinyZip({ 'game.iso': iso }), RA.psx, true)).toBeNull();
  });
});
