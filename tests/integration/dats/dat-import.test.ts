import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { DatsRepository } from '../../../src/db/repositories/dats-repository.ts';
import { DatImporter } from '../../../src/domain/dats/dat-import.ts';
import { clrmameproDat, generatedGames, logiqxDat, realGames } from '../../helpers/dat-fixtures.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { tinyZip } from '../../helpers/tiny-zip.ts';

const zipOf = async (entries: Record<string, string>): Promise<Buffer> => tinyZip(entries);

describeEachEngine('DAT import', (ctx) => {
  let repo: DatsRepository;
  let importer: DatImporter;
  let dir: string;
  let nesId: number;
  const warnings: string[] = [];

  beforeAll(async () => {
    const t = ctx();
    dir = path.join(t.dir, 'dats');
    mkdirSync(dir, { recursive: true });
    repo = new DatsRepository(t.db.kysely);
    importer = new DatImporter(repo, dir, { warn: (m) => warnings.push(m) });
    const now = Date.now();
    await t.db.kysely.insertInto('platforms').values({
      slug: 'nes', fs_slug: 'nes', name: 'Nintendo Entertainment System', custom_name: '', description: '', created_at: now, updated_at: now,
    } as never).execute();
    const row = await t.db.kysely.selectFrom('platforms').select('id').where('slug', '=', 'nes').executeTakeFirstOrThrow();
    nesId = Number(row.id);
  });

  it('imports a folder: Logiqx and clrmamepro files, a zipped DAT, mapped platforms, parents linked', async () => {
    const gb = await realGames('Nintendo - Game Boy', 30);
    const nes = generatedGames('nes', 12);
    writeFileSync(path.join(dir, 'gb.dat'), logiqxDat({ name: 'Nintendo - Game Boy' }, gb));
    mkdirSync(path.join(dir, 'No-Intro'), { recursive: true });
    writeFileSync(path.join(dir, 'No-Intro/nes.dat'), clrmameproDat({ name: 'Nintendo - Nintendo Entertainment System (Headered)', skipper: 'No-Intro_NES.xml' }, nes));
    writeFileSync(path.join(dir, 'psx.zip'), await zipOf({ 'Sony - PlayStation (2024).dat': logiqxDat({ name: 'Sony - PlayStation' }, generatedGames('psx', 3, 2)) }));
    writeFileSync(path.join(dir, 'readme.txt'), 'not a DAT');

    const result = await importer.syncFolder();
    expect(result.failed).toEqual([]);
    expect(result.imported.map((i) => i.path)).toEqual(['No-Intro/nes.dat', 'gb.dat', 'psx.zip']);
    const list = await repo.list();
    const byPath = new Map(list.map((d) => [d.source_path, d]));
    expect(byPath.get('gb.dat')).toMatchObject({ name: 'Nintendo - Game Boy', format: 'logiqx', platform_slug: 'gb', platform_id: null, game_count: gb.length, rom_count: gb.flatMap((g) => g.roms).length });
    expect(byPath.get('No-Intro/nes.dat')).toMatchObject({ format: 'clrmamepro', skipper: 'No-Intro_NES.xml', platform_slug: 'nes', platform_id: nesId, platform_name: 'Nintendo Entertainment System', game_count: 12 });
    expect(byPath.get('psx.zip')).toMatchObject({ name: 'Sony - PlayStation', platform_slug: 'psx', game_count: 3, rom_count: 6 });

    const games = await repo.games(byPath.get('No-Intro/nes.dat')?.id ?? 0);
    const ids = new Map(games.map((g) => [g.name, g.id]));
    for (const [i, g] of nes.entries()) {
      const row = games[i];
      expect(row?.name).toBe(g.name);
      expect(row?.parent_name).toBe(g.cloneof ?? null);
      expect(row?.parent_id).toBe(g.cloneof ? ids.get(g.cloneof) : null);
      expect(row?.roms.map((r) => [r.name, r.size, r.crc, r.md5, r.sha1])).toEqual(g.roms.map((r) => [r.name, r.size, r.crc, r.md5, r.sha1]));
    }
    const gbGames = await repo.games(byPath.get('gb.dat')?.id ?? 0);
    expect(gbGames.flatMap((g) => g.roms.map((r) => r.sha1))).toEqual(gb.flatMap((g) => g.roms.map((r) => r.sha1)));
  });

  it('links clones listed before their parent', async () => {
    const games = [
      { name: 'Clone (Japan)', cloneof: 'Parent (USA)', roms: [{ name: 'c.bin', size: 1, crc: '00000001', md5: '1'.repeat(32), sha1: '1'.repeat(40) }] },
      { name: 'Parent (USA)', roms: [{ name: 'p.bin', size: 2, crc: '00000002', md5: '2'.repeat(32), sha1: '2'.repeat(40) }] },
      { name: 'Orphan (Europe)', cloneof: 'Missing (World)', roms: [] },
    ];
    writeFileSync(path.join(dir, 'order.dat'), logiqxDat({ name: 'Order Test' }, games));
    await importer.syncFolder();
    const dat = (await repo.list()).find((d) => d.source_path === 'order.dat');
    const rows = await repo.games(dat?.id ?? 0);
    expect(rows.map((g) => [g.name, g.parent_id])).toEqual([
      ['Clone (Japan)', rows[1]?.id], ['Parent (USA)', null], ['Orphan (Europe)', null],
    ]);
    rmSync(path.join(dir, 'order.dat'));
  });

  it('skips unchanged files, re-imports changed ones atomically keeping the id and override, removes vanished ones', async () => {
    const before = await repo.list();
    const gb = before.find((d) => d.source_path === 'gb.dat');
    if (!gb) throw new Error('no gb.dat');
    await repo.setPlatform(gb.id, { platform_id: nesId, platform_slug: 'nes', platform_override: 1 }, Date.now());

    const again = await importer.syncFolder();
    expect(again.imported).toEqual([]);
    expect(again.removed).toBe(1);
    expect(again.unchanged).toBe(3);

    // Touched but identical: the hash decides, nothing is re-imported.
    utimesSync(path.join(dir, 'gb.dat'), new Date(), new Date(Date.now() + 5000));
    expect((await importer.syncFolder()).imported).toEqual([]);

    const fresh = generatedGames('gb2', 5);
    writeFileSync(path.join(dir, 'gb.dat'), logiqxDat({ name: 'Nintendo - Game Boy', version: '2' }, fresh));
    const changed = await importer.syncFolder();
    expect(changed.imported).toEqual([{ path: 'gb.dat', games: 5, roms: 5 }]);
    const after = await repo.get(gb.id);
    expect(after).toMatchObject({ id: gb.id, version: '2', game_count: 5, platform_id: nesId, platform_override: 1 });
    expect((await repo.games(gb.id)).map((g) => g.name)).toEqual(fresh.map((g) => g.name));

    // A broken new version keeps the previous rows.
    writeFileSync(path.join(dir, 'gb.dat'), '<datafile><game name="x"></datafile>');
    const broken = await importer.syncFolder();
    expect(broken.failed).toEqual([{ path: 'gb.dat', error: expect.stringMatching(/^line 1: /) }]);
    expect(warnings.some((w) => w.includes('gb.dat'))).toBe(true);
    expect(await repo.get(gb.id)).toMatchObject({ game_count: 5 });
    expect((await repo.games(gb.id)).length).toBe(5);

    rmSync(path.join(dir, 'gb.dat'));
    const removed = await importer.syncFolder();
    expect(removed.removed).toBe(1);
    expect(await repo.get(gb.id)).toBeUndefined();
    expect(await repo.games(gb.id)).toEqual([]);
  });

  it('keeps every DAT when the folder itself is missing', async () => {
    const count = (await repo.list()).length;
    const gone = new DatImporter(repo, path.join(dir, 'not-there'));
    expect(await gone.syncFolder()).toEqual({ imported: [], unchanged: 0, removed: 0, failed: [] });
    expect((await repo.list()).length).toBe(count);
  });

  it('refuses zips without exactly one DAT', async () => {
    writeFileSync(path.join(dir, 'two.zip'), await zipOf({ 'a.dat': 'clrmamepro ( name a )', 'b.xml': '<datafile/>' }));
    writeFileSync(path.join(dir, 'none.zip'), await zipOf({ 'readme.txt': 'x' }));
    const result = await importer.syncFolder();
    expect(result.failed).toEqual([
      { path: 'none.zip', error: 'the zip holds no .dat or .xml file' },
      { path: 'two.zip', error: 'the zip holds more than one .dat or .xml file; one DAT per zip' },
    ]);
    rmSync(path.join(dir, 'two.zip'));
    rmSync(path.join(dir, 'none.zip'));
  });

  it('names and maps a DAT without a header by its file name', async () => {
    writeFileSync(path.join(dir, 'Nintendo - Game Boy Advance.xml'), '<datafile><game name="x"><rom name="x.gba" size="1"/></game></datafile>');
    await importer.syncFolder();
    const dat = (await repo.list()).find((d) => d.source_path === 'Nintendo - Game Boy Advance.xml');
    expect(dat).toMatchObject({ name: 'Nintendo - Game Boy Advance', platform_slug: 'gba', game_count: 1, rom_count: 1, version: null });
    rmSync(path.join(dir, 'Nintendo - Game Boy Advance.xml'));
  });

  it('keeps a DAT whose platform is deleted, without its platform', async () => {
    writeFileSync(path.join(dir, 'nes2.dat'), logiqxDat({ name: 'Nintendo - Nintendo Entertainment System' }, generatedGames('nes3', 2)));
    await importer.syncFolder();
    const dat = (await repo.list()).find((d) => d.source_path === 'nes2.dat');
    expect(dat?.platform_id).toBe(nesId);
    await ctx().db.kysely.deleteFrom('platforms').where('id', '=', nesId).execute();
    expect(await repo.get(dat?.id ?? 0)).toMatchObject({ platform_id: null, platform_slug: 'nes', game_count: 2 });
  });

  it('deletes a DAT with its games and ROMs', async () => {
    const dat = (await repo.list())[0];
    if (!dat) throw new Error('no DAT');
    expect(await repo.delete(dat.id)).toBe(true);
    expect(await repo.get(dat.id)).toBeUndefined();
    expect(await repo.games(dat.id)).toEqual([]);
    expect(await repo.delete(dat.id)).toBe(false);
  });
});
