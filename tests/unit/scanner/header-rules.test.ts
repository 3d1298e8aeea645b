import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExtraHasher } from '../../../src/scanner/hash/extra-hashes.ts';
import { detectHeader } from '../../../src/scanner/hash/headers/index.ts';
import { runHashJob } from '../../../src/scanner/hash/read.ts';
import { tinyZip } from '../../helpers/tiny-zip.ts';
import { a78Header, body, fdsHeader, inesHeader, lnxHeader, smcHeader } from '../../helpers/rom-images.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-headers-'));
const hashes = (b: Buffer) => ({
  crc: (crc32(b) >>> 0).toString(16).padStart(8, '0'),
  md5: createHash('md5').update(b).digest('hex'),
  sha1: createHash('sha1').update(b).digest('hex'),
});

async function hashOf(name: string, data: Buffer, platform: string | null) {
  const abs = path.join(dir, name);
  writeFileSync(abs, data);
  const r = await runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: false, archiveRom: false, platform });
  const f = r.files[0];
  if (!f) throw new Error('no result');
  return f;
}

describe('header rules', () => {
  const cases: [string, string, Buffer, Buffer, string][] = [
    ['iNES', 'game.nes', inesHeader(), body(2 * 16384 + 8192, 2), 'nes'],
    ['NES 2.0', 'game2.nes', inesHeader(true), body(2 * 16384 + 8192, 3), 'famicom'],
    ['FDS', 'disk.fds', fdsHeader(), body(65500, 4), 'fds'],
    ['Atari 7800', 'cart.a78', a78Header(32768), body(32768, 5), 'atari7800'],
    ['Lynx', 'cart.lnx', lnxHeader(), body(131072, 6), 'lynx'],
    ['SNES copier', 'game.smc', smcHeader(262144), body(262144, 7), 'snes'],
  ];

  for (const [label, name, header, rom, platform] of cases) {
    it(`${label}: the header is skipped for the headerless hashes, the file hashes stay whole`, async () => {
      const file = Buffer.concat([header, rom]);
      const r = await hashOf(name, file, platform);
      expect(r.headerSkipped).toBe(header.length);
      expect(r.headerless).toEqual(hashes(rom));
      expect({ crc: r.crc, md5: r.md5, sha1: r.sha1 }).toEqual(hashes(file));
    });
  }

  it('a file without a header is marked as checked (0) and has no headerless hashes', async () => {
    const r = await hashOf('plain.nes', body(40960, 8), 'nes');
    expect(r.headerSkipped).toBe(0);
    expect(r.headerless).toBeNull();
  });

  it('the size-only SNES rule applies on SNES folders only, and only at 512 over a multiple of 1 KiB', async () => {
    const file = Buffer.concat([smcHeader(262144), body(262144, 9)]);
    expect((await hashOf('other.bin', file, 'gba')).headerSkipped).toBe(0);
    expect((await hashOf('other.bin', file, null)).headerSkipped).toBe(0);
    expect((await hashOf('even.sfc', body(262144, 9), 'snes')).headerSkipped).toBe(0);
    expect((await hashOf('odd.sfc', body(262144 + 100, 9), 'snes')).headerSkipped).toBe(0);
  });

  it('magics need their exact bytes and a body behind the header', () => {
    expect(detectHeader(Buffer.from('NES\x1b0123456789abcdef', 'latin1'), 1000, null)).toBeNull();
    expect(detectHeader(Buffer.from('xATARI780', 'latin1'), 1000, null)).toBeNull();
    expect(detectHeader(inesHeader(), 16, null)).toBeNull();
    expect(detectHeader(inesHeader(), 17, null)?.skip).toBe(16);
    expect(detectHeader(Buffer.concat([Buffer.from([0]), Buffer.from('ATARI7800', 'latin1')]), 129, null)?.skip).toBe(128);
  });

  it('the result does not depend on how the bytes are chunked', () => {
    const file = Buffer.concat([a78Header(50000), body(50000, 10)]);
    const whole = new ExtraHasher({ platform: null, ra: null, size: file.length });
    whole.update(file);
    const expected = whole.finish('');
    for (const step of [1, 7, 100, 511, 513, 4096]) {
      const h = new ExtraHasher({ platform: null, ra: null, size: file.length });
      for (let i = 0; i < file.length; i += step) h.update(file.subarray(i, i + step));
      expect(h.finish('')).toEqual(expected);
    }
    expect(expected.headerless).toEqual(hashes(file.subarray(128)));
  });

  it('a headered .nes inside a multi-file zip gets its headerless hashes in the archive members', async () => {
    const rom = body(24576, 11);
    const nes = Buffer.concat([inesHeader(), rom]);
    const abs = path.join(dir, 'set.zip');
    writeFileSync(abs, tinyZip({ 'game.nes': nes, 'readme.txt': 'hello' }));
    const r = await runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: false, archiveRom: true, platform: 'nes' });
    const members = r.files[0]?.archiveMembers ?? [];
    const game = members.find((m) => m.name === 'game.nes');
    const h = hashes(rom);
    expect(game).toMatchObject({
      md5_hash: hashes(nes).md5, header_skipped: 16, headerless_crc_hash: h.crc, headerless_md5_hash: h.md5,
      headerless_sha1_hash: h.sha1,
    });
    expect(members.find((m) => m.name === 'readme.txt')).not.toHaveProperty('header_skipped');
  });

  it('a zip holding one headered ROM gets the headerless hashes of that ROM on its file', async () => {
    const rom = body(24576, 12);
    const abs = path.join(dir, 'single.bin');
    // Zip content under a neutral extension: read as the largest member.
    writeFileSync(abs, tinyZip({ 'game.nes': Buffer.concat([inesHeader(), rom]) }));
    const r = await runHashJob({ id: 1, files: [{ abs, feedsRom: true }], folder: true, archiveRom: false, platform: 'nes' });
    expect(r.files[0]).toMatchObject({ headerSkipped: 16, headerless: hashes(rom) });
  });
});
