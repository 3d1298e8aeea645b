import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { composeScanner } from '../../../src/compose/scanner.ts';
import type { Db } from '../../../src/db/engine.ts';
import { KnownBios } from '../../../src/scanner/firmware/known-bios.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { clearLibrary, freshLibrary, hashesOf, scan, testSettings, writeTree } from './fixtures.ts';

const rows = (db: Db) => db.kysely.selectFrom('firmware').innerJoin('platforms', 'platforms.id', 'firmware.platform_id')
  .select(['platforms.fs_slug', 'firmware.id', 'firmware.file_name', 'firmware.file_path', 'firmware.file_size_bytes',
    'firmware.crc_hash', 'firmware.md5_hash', 'firmware.sha1_hash', 'firmware.is_verified', 'firmware.missing_from_fs',
    'firmware.updated_at', 'firmware.file_name_no_tags', 'firmware.file_name_no_ext', 'firmware.file_extension'])
  .orderBy('firmware.file_name').execute();

const byName = async (db: Db, name: string) => {
  const row = (await rows(db)).find((r) => r.file_name === name);
  if (!row) throw new Error(`no firmware row ${name}`);
  return { ...row, file_size_bytes: Number(row.file_size_bytes), updated_at: Number(row.updated_at) };
};

describeEachEngine('firmware scan', (ctx) => {
  beforeEach(async () => {
    await ctx().db.kysely.deleteFrom('firmware').execute();
    await clearLibrary(ctx().db);
  });

  it('structure A: direct files of bios/<fs_slug>, hashed, named; sub-folders and exclusions left out', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'fw-a');
    writeTree(lib, {
      'roms/psx/Game (USA).bin': 'game',
      'roms/gba/Other.gba': 'gba',
      'bios/psx/scph5501.bin': 'bios-5501',
      'bios/psx/SCPH1001 (v2.2) [b].BIN': 'bios-1001',
      'bios/psx/.hidden.rom': 'hidden',
      'bios/psx/notes.log': 'excluded by default',
      'bios/psx/skip-me.txt': 'excluded by config',
      'bios/psx/sub/nested.bin': 'nested',
      'bios/unknown/x.bin': 'no platform folder',
    });
    const settings = testSettings({ exclude: { roms: { single_file: { extensions: ['txt'] } } } });
    const result = await scan(db, lib, 'quick', settings);
    expect(result.stats).toMatchObject({ scanned_firmware: 3, new_firmware: 3, errors: 0 });
    const all = await rows(db);
    expect(all.map((r) => [r.fs_slug, r.file_name])).toEqual([
      ['psx', '.hidden.rom'], ['psx', 'SCPH1001 (v2.2) [b].BIN'], ['psx', 'scph5501.bin'],
    ]);
    const b = await byName(db, 'SCPH1001 (v2.2) [b].BIN');
    const h = hashesOf('bios-1001');
    expect(b).toMatchObject({
      file_path: 'bios/psx', file_size_bytes: 9, crc_hash: h.crc, md5_hash: h.md5, sha1_hash: h.sha1,
      file_name_no_tags: 'SCPH1001', file_name_no_ext: 'SCPH1001 (v2.2) [b]', file_extension: 'BIN',
      is_verified: 0, missing_from_fs: 0,
    });
  });

  it('structure B: <fs_slug>/bios, and an empty file gets the hashes of no bytes', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'fw-b');
    writeTree(lib, {
      'n64/roms/Mario.z64': 'mario',
      'n64/bios/pifdata.bin': 'pif',
      'n64/bios/empty.bin': '',
      'bios/n64/ignored.bin': 'structure A folder in a B library',
    });
    const result = await scan(db, lib, 'quick');
    expect(result.stats).toMatchObject({ scanned_firmware: 2, new_firmware: 2 });
    expect((await rows(db)).map((r) => [r.file_path, r.file_name])).toEqual([['n64/bios', 'empty.bin'], ['n64/bios', 'pifdata.bin']]);
    expect(await byName(db, 'empty.bin')).toMatchObject({
      file_size_bytes: 0, crc_hash: '00000000', md5_hash: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1_hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    });
  });

  it('skips re-hashing unchanged rows on quick scans, re-hashes on size change and on complete/hashes scans', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'fw-skip');
    writeTree(lib, { 'roms/psx/Game.bin': 'g', 'bios/psx/a.bin': 'aaaa', 'bios/psx/b.bin': 'bbbb' });
    await scan(db, lib, 'quick');
    const before = await byName(db, 'a.bin');

    // Same size, other bytes: a quick scan trusts the row (no read, no write).
    writeFileSync(path.join(lib, 'bios/psx/a.bin'), 'AAAA');
    let result = await scan(db, lib, 'quick');
    expect(result.stats).toMatchObject({ scanned_firmware: 2, new_firmware: 0 });
    expect(await byName(db, 'a.bin')).toEqual(before);

    // A complete scan reads it again.
    result = await scan(db, lib, 'complete');
    expect(result.stats.new_firmware).toBe(0);
    const after = await byName(db, 'a.bin');
    expect(after.md5_hash).toBe(hashesOf('AAAA').md5);
    expect(after.id).toBe(before.id);

    // Another size: re-hashed on a quick scan too.
    writeFileSync(path.join(lib, 'bios/psx/b.bin'), 'bbbbbb');
    await scan(db, lib, 'quick');
    expect(await byName(db, 'b.bin')).toMatchObject({ file_size_bytes: 6, md5_hash: hashesOf('bbbbbb').md5 });

    // A row without an MD5 is re-hashed.
    await db.kysely.updateTable('firmware').set({ md5_hash: '' }).where('file_name', '=', 'a.bin').execute();
    await scan(db, lib, 'quick');
    expect((await byName(db, 'a.bin')).md5_hash).toBe(hashesOf('AAAA').md5);
  });

  it('flags rows whose file is gone and clears the flag when it comes back, without deleting rows', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'fw-missing');
    writeTree(lib, { 'roms/psx/Game.bin': 'g', 'bios/psx/a.bin': 'aaaa', 'bios/psx/b.bin': 'bbbb' });
    await scan(db, lib, 'quick');
    rmSync(path.join(lib, 'bios/psx/a.bin'));
    await scan(db, lib, 'quick');
    expect(await byName(db, 'a.bin')).toMatchObject({ missing_from_fs: 1 });
    expect(await byName(db, 'b.bin')).toMatchObject({ missing_from_fs: 0 });
    const stable = await byName(db, 'b.bin');
    writeFileSync(path.join(lib, 'bios/psx/a.bin'), 'aaaa');
    const result = await scan(db, lib, 'quick');
    expect(result.stats.new_firmware).toBe(0);
    expect(await byName(db, 'a.bin')).toMatchObject({ missing_from_fs: 0 });
    // An unchanged present row is not written again.
    expect((await byName(db, 'b.bin')).updated_at).toBe(stable.updated_at);
  });

  it('update scans scan firmware; scans of chosen ROMs leave it alone', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'fw-types');
    writeTree(lib, { 'roms/psx/Game.bin': 'g' });
    await scan(db, lib, 'quick');
    writeTree(lib, { 'bios/psx/late.bin': 'late' });
    const romId = (await db.kysely.selectFrom('roms').select('id').executeTakeFirstOrThrow()).id;
    const scoped = await composeScanner(db, lib, testSettings())({}, { type: 'quick', romIds: [romId], metadataSources: [] });
    expect(scoped.stats.scanned_firmware).toBe(0);
    expect(await rows(db)).toHaveLength(0);
    const update = await scan(db, lib, 'update');
    expect(update.stats).toMatchObject({ scanned_firmware: 1, new_firmware: 1 });
    expect((await rows(db)).map((r) => r.file_name)).toEqual(['late.bin']);
  });

  it('verifies against a RomM-style JSON list keyed by platform slug, and a Logiqx DAT by file name', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'fw-verify');
    const good = 'the real bios';
    const h = hashesOf(good);
    writeTree(lib, {
      'roms/ps/Game.bin': 'g',
      'roms/gba/Game.gba': 'g',
      'bios/ps/scph5501.bin': good,
      'bios/ps/scph7001.bin': 'a bad dump!!',
      'bios/ps/wrongsize.bin': `${good}!`,
      'bios/gba/gba_bios.bin': 'gba bios',
      'bios/gba/scph5501.bin': good,
    });
    const lists = path.join(dir, 'known-bios-verify');
    rmSync(lists, { recursive: true, force: true });
    mkdirSync(lists, { recursive: true });
    // The folder `ps` is the platform slug `psx`: the JSON key uses the slug.
    writeFileSync(path.join(lists, 'romm.json'), JSON.stringify({
      'psx:scph5501.bin': { size: String(good.length), crc: h.crc, md5: '0'.repeat(32), sha1: '0'.repeat(40) },
      'psx:scph7001.bin': { size: '12', crc: '00000000', md5: '1'.repeat(32), sha1: '1'.repeat(40) },
      'psx:wrongsize.bin': { size: String(good.length), crc: h.crc, md5: h.md5, sha1: h.sha1 },
    }));
    const gba = hashesOf('gba bios');
    writeFileSync(path.join(lists, 'System.dat'), `<?xml version="1.0"?>
<!DOCTYPE datafile PUBLIC "-//Logiqx//DTD ROM Management Datafile//EN" "http://www.logiqx.com/Dats/datafile.dtd">
<datafile><header><name>System</name></header>
<game name="Nintendo - Game Boy Advance"><rom name="gba_bios.bin" size="8" crc="${gba.crc.toUpperCase()}" sha1="${gba.sha1}"/></game>
</datafile>`);
    const settings = { ...testSettings(), knownBiosPath: lists };
    await scan(db, lib, 'quick', settings);
    const verified = Object.fromEntries((await rows(db)).map((r) => [`${r.fs_slug}/${r.file_name}`, r.is_verified]));
    expect(verified).toEqual({
      'ps/scph5501.bin': 1, 'ps/scph7001.bin': 0, 'ps/wrongsize.bin': 0, 'gba/gba_bios.bin': 1,
      // The JSON entry is for `psx` only.
      'gba/scph5501.bin': 0,
    });

    // Lists are reloaded when they change: without them nothing verifies on the next hashing scan.
    rmSync(path.join(lists, 'System.dat'));
    const shared = new KnownBios(lists);
    await composeScanner(db, lib, settings, undefined, shared)({}, { type: 'complete' });
    expect(await byName(db, 'gba_bios.bin')).toMatchObject({ is_verified: 0 });
    const copies = (await rows(db)).filter((r) => r.file_name === 'scph5501.bin').map((r) => `${r.fs_slug}:${r.is_verified}`);
    expect(copies.sort()).toEqual(['gba:0', 'ps:1']);
  });
});
