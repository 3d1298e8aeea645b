import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { clearLibrary, freshLibrary, hashesOf, scan, snapshot, testSettings, touch, writeTree } from './fixtures.ts';

const hasZip = (() => { try { execFileSync('zip', ['-v']); return true; } catch { return false; } })();

describeEachEngine('scanner', (ctx) => {
  beforeEach(async () => {
    await clearLibrary(ctx().db);
  });

  it('layout A: single-file and folder ROMs, tags, hashes, facets, categories', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-a');
    writeTree(lib, {
      'roms/megadrive/Sonic the Hedgehog (USA, Europe) (Rev 1).md': 'sonic',
      'roms/megadrive/gamelist.xml': '<x/>',
      'roms/megadrive/notes.log': 'x',
      'roms/psx/Final Fantasy VII (Europe) (Disc 1)/game.cue': 'cue',
      'roms/psx/Final Fantasy VII (Europe) (Disc 1)/game.bin': 'bin',
      'roms/psx/Final Fantasy VII (Europe) (Disc 1)/manuals/manual.pdf': 'pdf',
      'roms/psx/Final Fantasy VII (Europe) (Disc 1)/Thumbs.db': 'db',
      'roms/@eaDir/junk.bin': 'x',
      'roms/my-console/Homebrew [En,Fr] (v1.2).bin': '',
    });
    const result = await scan(db, lib, 'quick');
    expect(result.stats).toMatchObject({ new_platforms: 3, new_roms: 3, errors: 0 });

    const platforms = await db.kysely.selectFrom('platforms').select(['fs_slug', 'slug', 'name']).orderBy('fs_slug').execute();
    expect(platforms).toEqual([
      { fs_slug: 'megadrive', slug: 'genesis', name: 'Sega Mega Drive/Genesis' },
      { fs_slug: 'my-console', slug: 'my-console', name: 'My Console' },
      { fs_slug: 'psx', slug: 'psx', name: 'PlayStation' },
    ]);
    const sonic = await db.kysely.selectFrom('roms').selectAll().where('fs_name', 'like', 'Sonic%').executeTakeFirstOrThrow();
    expect(sonic).toMatchObject({
      fs_name_no_tags: 'Sonic the Hedgehog', fs_extension: 'md', fs_path: 'roms/megadrive', name: 'Sonic the Hedgehog',
      name_sort_key: 'sonic the hedgehog', regions: '["USA","Europe"]', revision: '1', primary_region: 'USA',
      crc_hash: hashesOf('sonic').crc, md5_hash: hashesOf('sonic').md5, sha1_hash: hashesOf('sonic').sha1,
      fs_size_bytes: 5, missing_from_fs: 0, igdb_metadata: '{}', path_screenshots: '[]', path_cover_s: '',
    });
    const facets = await db.kysely.selectFrom('rom_facets').select(['kind', 'value']).where('rom_id', '=', sonic.id).orderBy('value').execute();
    expect(facets).toEqual([{ kind: 'region', value: 'Europe' }, { kind: 'region', value: 'USA' }]);

    const ff = await db.kysely.selectFrom('roms').selectAll().where('fs_name', 'like', 'Final%').executeTakeFirstOrThrow();
    const files = await db.kysely.selectFrom('rom_files').selectAll().where('rom_id', '=', ff.id).orderBy('file_name').execute();
    expect(files.map((f) => [f.file_path, f.file_name, f.category])).toEqual([
      ['roms/psx/Final Fantasy VII (Europe) (Disc 1)', 'game.bin', null],
      ['roms/psx/Final Fantasy VII (Europe) (Disc 1)', 'game.cue', null],
      ['roms/psx/Final Fantasy VII (Europe) (Disc 1)/manuals', 'manual.pdf', 'manual'],
    ]);
    // Folder hash: top-level files concatenated in path order (game.bin then game.cue); subfolders excluded.
    expect(ff.sha1_hash).toBe(hashesOf('bincue').sha1);
    expect(ff.fs_size_bytes).toBe(9);

    const homebrew = await db.kysely.selectFrom('roms').selectAll().where('fs_name', 'like', 'Homebrew%').executeTakeFirstOrThrow();
    expect(homebrew).toMatchObject({ languages: '["English","French"]', version: '1.2', crc_hash: '', md5_hash: '', sha1_hash: '' });
  });

  it('layout B and configured exclusions', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-b');
    writeTree(lib, {
      'snes/roms/Zelda (USA).sfc': 'z',
      'snes/roms/skip-me.txt': 't',
      'gba/roms/Metroid (Japan).gba': 'm',
      'gba/roms/Hidden/x.gba': 'h',
      'docs/readme.txt': 'not a platform',
      'ignored/roms/Game.bin': 'g',
    });
    const settings = testSettings({
      exclude: { platforms: ['ign*'], roms: { single_file: { extensions: ['txt'] }, multi_file: { names: ['hidden'] } } },
    });
    const result = await scan(db, lib, 'quick', settings);
    expect(result.stats.new_roms).toBe(2);
    const roms = await db.kysely.selectFrom('roms').select(['fs_name', 'fs_path']).orderBy('fs_name').execute();
    expect(roms).toEqual([{ fs_name: 'Metroid (Japan).gba', fs_path: 'gba/roms' }, { fs_name: 'Zelda (USA).sfc', fs_path: 'snes/roms' }]);
  });

  it.runIf(hasZip)('zip ROMs are hashed by decompressed members; broken zips fall back to raw bytes', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-zip');
    writeTree(lib, { 'src/b.bin': 'bbbb', 'src/a.bin': 'aa', 'roms/nes/Broken (USA).zip': 'not a zip' });
    execFileSync('zip', ['-q', '-j', path.join(lib, 'roms/nes/Pair (USA).zip'), path.join(lib, 'src/b.bin'), path.join(lib, 'src/a.bin')]);
    const result = await scan(db, lib, 'quick');
    expect(result.stats.new_roms).toBe(2);
    const pair = await db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', 'Pair (USA).zip').executeTakeFirstOrThrow();
    expect(pair.sha1_hash).toBe(hashesOf('aabbbb').sha1);
    const file = await db.kysely.selectFrom('rom_files').selectAll().where('rom_id', '=', pair.id).executeTakeFirstOrThrow();
    expect(JSON.parse(file.archive_members ?? 'null')).toEqual([
      { name: 'a.bin', size: 2, crc_hash: hashesOf('aa').crc, md5_hash: hashesOf('aa').md5, sha1_hash: hashesOf('aa').sha1 },
      { name: 'b.bin', size: 4, crc_hash: hashesOf('bbbb').crc, md5_hash: hashesOf('bbbb').md5, sha1_hash: hashesOf('bbbb').sha1 },
    ]);
    const broken = await db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', 'Broken (USA).zip').executeTakeFirstOrThrow();
    expect(broken.md5_hash).toBe(hashesOf('not a zip').md5);
  });

  it('missing flags, re-association of a renamed file, and unchanged rescans', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-move');
    writeTree(lib, { 'roms/gb/Tetris (World).gb': 'tetris', 'roms/gb/Other (USA).gb': 'other' });
    await scan(db, lib, 'quick');
    const before = await db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', 'Tetris (World).gb').executeTakeFirstOrThrow();

    renameSync(path.join(lib, 'roms/gb/Tetris (World).gb'), path.join(lib, 'roms/gb/Tetris (World) (Rev 1).gb'));
    rmSync(path.join(lib, 'roms/gb/Other (USA).gb'));
    const result = await scan(db, lib, 'quick');
    expect(result.stats).toMatchObject({ reassociated_roms: 1, new_roms: 0, missing_roms: 1 });
    const after = await db.kysely.selectFrom('roms').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ fs_name: 'Tetris (World) (Rev 1).gb', revision: '1', missing_from_fs: 0, name: 'Tetris' });
    const other = await db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', 'Other (USA).gb').executeTakeFirstOrThrow();
    expect(other.missing_from_fs).toBe(1);

    // Unchanged library: nothing rewritten, nothing re-hashed.
    const again = await scan(db, lib, 'complete');
    expect(again.stats).toMatchObject({ new_roms: 0, updated_roms: 0, hashed_files: 0, unchanged_roms: 1 });

    // A changed file (size and mtime) is re-hashed by a complete scan, keeping its row and file row ids.
    const fileBefore = await db.kysely.selectFrom('rom_files').select('id').where('rom_id', '=', before.id).executeTakeFirstOrThrow();
    writeFileSync(path.join(lib, 'roms/gb/Tetris (World) (Rev 1).gb'), 'tetris v2');
    touch(path.join(lib, 'roms/gb/Tetris (World) (Rev 1).gb'), 100);
    const changed = await scan(db, lib, 'complete');
    expect(changed.stats).toMatchObject({ updated_roms: 1, hashed_files: 1 });
    const rehashed = await db.kysely.selectFrom('roms').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(rehashed.md5_hash).toBe(hashesOf('tetris v2').md5);
    const fileAfter = await db.kysely.selectFrom('rom_files').select('id').where('rom_id', '=', before.id).executeTakeFirstOrThrow();
    expect(fileAfter.id).toBe(fileBefore.id);

    // The platform folder disappears: platform and ROMs flagged, rows kept.
    rmSync(path.join(lib, 'roms/gb'), { recursive: true });
    writeTree(lib, { 'roms/nes/x.nes': 'x' });
    const gone = await scan(db, lib, 'quick');
    expect(gone.stats.missing_platforms).toBe(1);
    const gb = await db.kysely.selectFrom('platforms').selectAll().where('fs_slug', '=', 'gb').executeTakeFirstOrThrow();
    expect(gb.missing_from_fs).toBe(1);
    const count = await db.kysely.selectFrom('roms').select('id').where('platform_id', '=', gb.id).where('missing_from_fs', '=', 1).execute();
    expect(count).toHaveLength(2);
  });

  it('a rescan of the same library converges to the state of a clean scan', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-converge');
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`roms/snes/Game ${i} (USA) [!].sfc`] = `game-${i}`;
    files['roms/psx/Disc Game (Japan)/track 1.bin'] = 'one';
    writeTree(lib, files);
    await scan(db, lib, 'complete');
    const clean = await snapshot(db);
    await scan(db, lib, 'quick');
    await scan(db, lib, 'complete');
    await scan(db, lib, 'hashes');
    expect(await snapshot(db)).toEqual(clean);
  });

  it('odd files are reported and skipped while the scan goes on', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-odd');
    writeTree(lib, { 'roms/nes/Good (USA).nes': 'good', 'roms/nes/Folder Game/disk.bin': 'disk', 'roms/nes/Ünïcödé ☃ (Japan).nes': 'u' });
    // A name that is not valid UTF-8, a broken symlink and a symlink loop inside a folder ROM.
    writeFileSync(Buffer.concat([Buffer.from(path.join(lib, 'roms/nes/')), Buffer.from([0x66, 0xff, 0x2e, 0x6e, 0x65, 0x73])]), 'bad');
    symlinkSync(path.join(lib, 'nowhere.nes'), path.join(lib, 'roms/nes/Dangling.nes'));
    symlinkSync(path.join(lib, 'roms/nes/Folder Game'), path.join(lib, 'roms/nes/Folder Game/loop'));
    const result = await scan(db, lib, 'quick');
    expect(result.stats.new_roms).toBe(3);
    expect(result.issueCounts).toMatchObject({ 'invalid-name': 1, unreadable: 1, 'symlink-loop': 1 });
    const names = (await db.kysely.selectFrom('roms').select('fs_name').orderBy('fs_name').execute()).map((r) => r.fs_name);
    expect(names).toEqual(['Folder Game', 'Good (USA).nes', 'Ünïcödé ☃ (Japan).nes']);
  });

  it('scan types: new_platforms only adds new platforms, hashes re-hashes everything, --platform limits the scan', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-types');
    writeTree(lib, { 'roms/nes/A (USA).nes': 'a' });
    await scan(db, lib, 'quick');
    writeTree(lib, { 'roms/nes/B (USA).nes': 'b', 'roms/snes/C (USA).sfc': 'c' });
    const np = await scan(db, lib, 'new_platforms');
    expect(np.stats).toMatchObject({ new_platforms: 1, new_roms: 1, total_platforms: 1 });
    const only = await scan(db, lib, 'quick', testSettings(), ['nes']);
    expect(only.stats).toMatchObject({ total_platforms: 1, new_roms: 1 });
    const hashes = await scan(db, lib, 'hashes');
    expect(hashes.stats).toMatchObject({ hashed_files: 3, updated_roms: 0 });
    mkdirSync(path.join(lib, 'roms/empty'));
    const skip = await scan(db, lib, 'complete', testSettings({ filesystem: { skip_hash_calculation: true } }));
    expect(skip.stats).toMatchObject({ new_platforms: 1, hashed_files: 0 });
  });

  it('never-hash platforms record empty hashes without reading the files', async () => {
    const { db, dir } = ctx();
    const lib = freshLibrary(dir, 'lib-nohash');
    writeTree(lib, { 'roms/switch/Game [0100000000010000].nsp': 'big switch file', 'roms/win/Tool/setup.exe': 'exe' });
    const result = await scan(db, lib, 'quick');
    expect(result.stats).toMatchObject({ new_roms: 2, hashed_files: 0 });
    const roms = await db.kysely.selectFrom('roms').select(['crc_hash', 'md5_hash', 'sha1_hash', 'fs_size_bytes']).execute();
    expect(roms.every((r) => r.crc_hash === '' && r.md5_hash === '' && r.sha1_hash === '' && r.fs_size_bytes > 0)).toBe(true);
  });
});
