import { createHash } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { body, inesHeader, isoImage, psxExe, smcHeader } from '../../helpers/rom-images.ts';
import { tinyZip } from '../../helpers/tiny-zip.ts';
import { clearLibrary, freshLibrary, hashesOf, scan, writeTree } from './fixtures.ts';

const md5 = (...parts: (Buffer | string)[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

function chdV5(sha1: string, lengthField = 124): Buffer {
  const h = Buffer.alloc(124 + 64);
  h.write('MComprHD', 0, 'latin1');
  h.writeUInt32BE(lengthField, 8);
  h.writeUInt32BE(5, 12);
  Buffer.from(sha1, 'hex').copy(h, 84);
  return h;
}

describeEachEngine('scanner: header-aware, CHD and RetroAchievements hashes', (ctx) => {
  beforeEach(async () => {
    await clearLibrary(ctx().db);
  });

  it('stores headerless hashes, CHD header SHA-1s and ra_hash for a small library', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-file-hashes');
    const prg = body(40960, 1);
    const nes = Buffer.concat([inesHeader(), prg]);
    const plainNes = body(24576, 2);
    const sfc = body(262144, 3);
    const z64 = Buffer.concat([Buffer.from([0x80, 0x37, 0x12, 0x40]), body(65532, 4)]);
    const gba = body(32768, 5);
    const exe = psxExe(body(5000, 6));
    const iso = isoImage({ 'SYSTEM.CNF': Buffer.from('BOOT = cdrom:\\SLES_000.01;1\r\n', 'latin1'), 'SLES_000.01': exe }, true);
    const chdSha = 'ab'.repeat(20);
    writeTree(lib, {
      'roms/nes/Game (USA).nes': nes,
      'roms/nes/Plain (USA).nes': plainNes,
      'roms/nes/Set (USA).zip': tinyZip({ 'Set (USA).nes': nes, 'readme.txt': 'read me' }),
      'roms/snes/Copier (USA).smc': Buffer.concat([smcHeader(262144), sfc]),
      'roms/n64/Swapped (USA).v64': Buffer.from(z64).swap16(),
      'roms/gba/Plain (USA).gba': gba,
      'roms/psx/Disc (USA)/Disc (USA).cue': 'FILE "Disc (USA).bin" BINARY\r\n  TRACK 01 MODE2/2352\r\n    INDEX 01 00:00:00\r\n',
      'roms/psx/Disc (USA)/Disc (USA).bin': iso,
      'roms/psx/Compressed (USA).chd': chdV5(chdSha),
      'roms/psx/Lying (USA).chd': chdV5(chdSha, 4096),
      'roms/my-console/Other.bin': nes,
    });
    const result = await scan(db, lib, 'quick');
    expect(result.stats).toMatchObject({ new_roms: 10, errors: 0 });

    const rom = (name: string) => db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', name).executeTakeFirstOrThrow();
    const file = (name: string) => db.kysely.selectFrom('rom_files').selectAll().where('file_name', '=', name).executeTakeFirstOrThrow();

    const game = await file('Game (USA).nes');
    const h = hashesOf(prg);
    expect(game).toMatchObject({
      md5_hash: hashesOf(nes).md5, header_skipped: 16, headerless_crc_hash: h.crc, headerless_md5_hash: h.md5,
      headerless_sha1_hash: h.sha1, ra_hash: null,
    });
    expect((await rom('Game (USA).nes')).ra_hash).toBe(md5(prg));

    expect(await file('Plain (USA).nes')).toMatchObject({ header_skipped: 0, headerless_md5_hash: null, headerless_crc_hash: null });
    expect((await rom('Plain (USA).nes')).ra_hash).toBe(md5(plainNes));

    const set = await file('Set (USA).zip');
    const members = JSON.parse(set.archive_members ?? '[]') as Record<string, unknown>[];
    expect(members.find((m) => m.name === 'Set (USA).nes')).toMatchObject({ header_skipped: 16, headerless_md5_hash: h.md5 });
    expect((await rom('Set (USA).zip')).ra_hash).toBe(md5(prg));

    expect(await file('Copier (USA).smc')).toMatchObject({ header_skipped: 512, headerless_sha1_hash: hashesOf(sfc).sha1 });
    expect((await rom('Copier (USA).smc')).ra_hash).toBe(md5(sfc));
    expect((await rom('Swapped (USA).v64')).ra_hash).toBe(md5(z64));
    expect((await rom('Plain (USA).gba')).ra_hash).toBe(md5(gba));
    expect((await rom('Disc (USA)')).ra_hash).toBe(md5('SLES_000.01', exe));

    expect(await file('Compressed (USA).chd')).toMatchObject({ chd_sha1_hash: chdSha });
    const lying = await file('Lying (USA).chd');
    expect(lying.chd_sha1_hash).toBeNull();
    expect(lying.md5_hash).toBe(hashesOf(chdV5(chdSha, 4096)).md5);
    expect((await rom('Compressed (USA).chd')).ra_hash).toBeNull();

    // No RetroAchievements console; magic-based header rules still apply, RomM's hashes stay whole.
    expect(await file('Other.bin')).toMatchObject({ header_skipped: 16, headerless_md5_hash: h.md5, md5_hash: hashesOf(nes).md5 });
    expect((await rom('Other.bin')).ra_hash).toBeNull();

    // A hashes rescan finds the same values: nothing is rewritten.
    const again = await scan(db, lib, 'hashes');
    expect(again.stats).toMatchObject({ updated_roms: 0, unchanged_roms: 10, errors: 0 });
  });
});
