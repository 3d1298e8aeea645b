import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { MetadataRepository } from '../../../src/db/repositories/metadata-repository.ts';
import { runMetadataPass, type MediaStorage, type MetadataPassOptions } from '../../../src/metadata/pass.ts';
import { metadataSettingsFromYaml } from '../../../src/metadata/settings.ts';
import type { MediaFile, MetadataPlatform, MetadataProvider, MetadataRom, ProviderMatch, SourceId } from '../../../src/metadata/types.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { clearLibrary, freshLibrary, scan, writeTree } from '../scanner/fixtures.ts';

/** A provider answering from a table, with a fingerprint the test can change. */
class TableProvider implements MetadataProvider {
  fp = 'v1';
  lookups = 0;
  constructor(readonly id: SourceId, readonly table: Record<string, Omit<ProviderMatch, 'source'>>) {}
  available(): Promise<boolean> { return Promise.resolve(true); }
  fingerprint(_p: MetadataPlatform): Promise<string | null> { return Promise.resolve(this.fp); }
  open() {
    return Promise.resolve({
      lookup: (rom: MetadataRom) => {
        this.lookups++;
        const hit = this.table[rom.fsName];
        return Promise.resolve(hit ? { ...hit, source: this.id } : null);
      },
    });
  }
}

/** Records what would be stored; origins come from the file path plus a version the test bumps. */
class RecordingMedia implements MediaStorage {
  stored: string[] = [];
  removed: string[] = [];
  sweeps = 0;
  remove(rom: { id: number }, field: string) { this.removed.push(`${rom.id}:${field}`); return Promise.resolve(); }
  sweepUnused() { this.sweeps++; return Promise.resolve(0); }
  version = 1;
  origin(f: MediaFile) { return Promise.resolve(`${f.path}|${this.version}`); }
  storeCover(rom: { platformId: number; id: number }, f: MediaFile) {
    this.stored.push(`cover:${path.basename(f.path)}`);
    return Promise.resolve({ path_cover_l: `roms/${rom.platformId}/${rom.id}/cover/big.png`, path_cover_s: `roms/${rom.platformId}/${rom.id}/cover/small.png` });
  }
  storeScreenshots(rom: { platformId: number; id: number }, files: MediaFile[]) {
    this.stored.push(...files.map((f) => `shot:${path.basename(f.path)}`));
    return Promise.resolve(files.map((_, i) => `roms/${rom.platformId}/${rom.id}/screenshots/${i}.png`));
  }
  storeManual(rom: { platformId: number; id: number }) { return Promise.resolve(`roms/${rom.platformId}/${rom.id}/manual/${rom.id}.pdf`); }
  storeExtra(rom: { platformId: number; id: number }, kind: string) {
    this.stored.push(`extra:${kind}`);
    return Promise.resolve(`roms/${rom.platformId}/${rom.id}/${kind}/${kind}.png`);
  }
}

const file = (name: string): MediaFile => ({ path: `/media/${name}`, root: '/media' });

describeEachEngine('metadata pass', (ctx) => {
  let library: string;
  let media: RecordingMedia;
  let gamelist: TableProvider;
  let launchbox: TableProvider;

  beforeEach(async () => {
    const { db, dir } = ctx();
    await clearLibrary(db);
    library = freshLibrary(dir, 'lib');
    writeTree(library, {
      'roms/snes/Chrono Trigger (USA).sfc': 'ct',
      'roms/snes/Secret of Mana (USA).sfc': 'som',
      'roms/snes/Unknown Game (USA).sfc': 'unk',
    });
    await scan(db, library, 'quick');
    media = new RecordingMedia();
    gamelist = new TableProvider('gamelist', {
      'Chrono Trigger (USA).sfc': {
        id: 'gl-ct', name: 'Chrono Trigger (gamelist)', summary: 'Time travel.', sortName: 'Chrono Trigger',
        metadata: { genres: ['RPG'], companies: ['Square'], rating: 0.9, first_release_date: '19950311T000000', player_count: '1' },
        urls: { cover: 'file:///media/ct.png' }, media: { cover: file('ct-gl.png'), screenshots: [file('ct-shot.png')], extras: { title_screen: file('ct-title.png') } },
      },
      'Secret of Mana (USA).sfc': {
        id: 'gl-som', name: 'Secret of Mana', metadata: { genres: ['Action RPG'], player_count: '1-3' }, media: {},
      },
    });
    launchbox = new TableProvider('launchbox', {
      'Chrono Trigger (USA).sfc': {
        id: 1234, name: 'Chrono Trigger', summary: 'From LaunchBox.',
        metadata: { first_release_date: 795225600, genres: ['Role-Playing'], community_rating: 4.5, esrb: 'E', images: [] },
        urls: { cover: 'https://images.launchbox-app.com/ct.png' }, media: { cover: file('ct-lb.png') },
      },
    });
  });

  const run = (opts: Partial<MetadataPassOptions> = {}, yaml: unknown = { scan: { media: ['box2d', 'screenshot', 'manual', 'title_screen'] } }) => {
    const db = ctx().db;
    return runMetadataPass({
      repo: new MetadataRepository(db.kysely), providers: [gamelist, launchbox], media, settings: metadataSettingsFromYaml(yaml),
      platformDir: () => Promise.resolve(path.join(library, 'roms', 'snes')), issues: { add: () => undefined },
    }, { type: 'quick', ...opts });
  };
  const rom = (name: string) => ctx().db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', name).executeTakeFirstOrThrow();
  const facets = async (name: string) => (await ctx().db.kysely.selectFrom('rom_facets').innerJoin('roms', 'roms.id', 'rom_facets.rom_id')
    .select(['kind', 'value']).where('roms.fs_name', '=', name).where('kind', 'in', ['genre', 'company', 'age_rating']).orderBy('kind').orderBy('value').execute())
    .map((r) => `${r.kind}:${r.value}`);

  it('fills ids, blobs, text, media and facets under the default priority', async () => {
    const result = await run();
    expect(result).toMatchObject({ sources: ['gamelist', 'launchbox'], total: 3, processed: 3, identified: 2 });
    const ct = await rom('Chrono Trigger (USA).sfc');
    // scan.priority.metadata puts launchbox before gamelist; artwork too.
    expect(ct).toMatchObject({ gamelist_id: 'gl-ct', launchbox_id: 1234, name: 'Chrono Trigger', summary: 'From LaunchBox.', url_cover: 'https://images.launchbox-app.com/ct.png' });
    expect(ct.path_cover_s).toMatch(/cover\/small\.png$/);
    expect(JSON.parse(ct.path_screenshots)).toHaveLength(1);
    expect(JSON.parse(ct.gamelist_metadata)).toMatchObject({ genres: ['RPG'], title_screen_path: expect.stringMatching(/title_screen\.png$/) });
    expect(ct.first_release_date).toBe(795225600000);
    // Mean of gamelist 0.9×100 and LaunchBox 4.5×20.
    expect(ct.average_rating).toBeCloseTo(90);
    expect(ct.metadata_scanned_at).not.toBeNull();
    expect(JSON.parse(ct.field_sources)).toMatchObject({ name: 'launchbox', summary: 'launchbox', cover: 'launchbox', screenshots: 'gamelist' });
    expect(media.stored).toEqual(expect.arrayContaining(['cover:ct-lb.png', 'shot:ct-shot.png', 'extra:title_screen']));
    expect(await facets('Chrono Trigger (USA).sfc')).toEqual(['age_rating:E', 'company:Square', 'genre:Role-Playing']);
    expect(await rom('Secret of Mana (USA).sfc')).toMatchObject({ name: 'Secret of Mana', player_count: '1-3' });
    const unknown = await rom('Unknown Game (USA).sfc');
    expect(unknown).toMatchObject({ gamelist_id: null, launchbox_id: null, name: 'Unknown Game' });
    expect(unknown.metadata_scanned_at).not.toBeNull();
  });

  it('follows a configured priority', async () => {
    await run({}, { scan: { priority: { metadata: ['gamelist', 'launchbox'], cover: ['gamelist'] } } });
    const ct = await rom('Chrono Trigger (USA).sfc');
    expect(ct).toMatchObject({ name: 'Chrono Trigger (gamelist)', summary: 'Time travel.', url_cover: 'file:///media/ct.png' });
    expect(media.stored).toContain('cover:ct-gl.png');
    expect(ct.name_sort_key).toBe('chrono trigger');
  });

  it('never overwrites a field a user edited', async () => {
    const db = ctx().db;
    await db.kysely.updateTable('roms').set({ name: 'My Chrono', summary: 'Mine', field_sources: JSON.stringify({ name: 'manual', summary: 'manual' }) })
      .where('fs_name', '=', 'Chrono Trigger (USA).sfc').execute();
    await run({ type: 'complete' });
    const ct = await rom('Chrono Trigger (USA).sfc');
    expect(ct).toMatchObject({ name: 'My Chrono', summary: 'Mine', launchbox_id: 1234 });
    expect(JSON.parse(ct.field_sources)).toMatchObject({ name: 'manual', summary: 'manual', cover: 'launchbox' });
  });

  it('costs nothing on an unchanged rescan and re-applies a changed source', async () => {
    await run();
    const before = await rom('Chrono Trigger (USA).sfc');
    media.stored = [];
    gamelist.lookups = 0;
    const again = await run();
    expect(again.total).toBe(0);
    expect(gamelist.lookups).toBe(0);
    expect((await rom('Chrono Trigger (USA).sfc')).updated_at).toBe(before.updated_at);

    // A re-scraped gamelist (new fingerprint): the platform is re-applied, unchanged media are not re-stored.
    gamelist.fp = 'v2';
    const gl = gamelist.table['Secret of Mana (USA).sfc'];
    if (gl) gl.summary = 'Ring menus.';
    const changed = await run();
    expect(changed.total).toBe(3);
    expect(media.stored).toEqual([]);
    expect((await rom('Secret of Mana (USA).sfc')).summary).toBe('Ring menus.');
    expect((await rom('Chrono Trigger (USA).sfc')).updated_at).toBe(before.updated_at);

    // A changed cover file is stored again on an update scan.
    media.version = 2;
    await run({ type: 'update', sources: ['launchbox'] });
    expect(media.stored).toEqual(['cover:ct-lb.png']);
  });

  it('selects ROMs by scan type and clears a lost match only on complete scans', async () => {
    await run();
    gamelist.lookups = 0;
    const update = await run({ type: 'update', sources: ['gamelist'] });
    expect(update.total).toBe(2);
    const unmatched = await run({ type: 'unmatched', sources: ['gamelist'] });
    expect(unmatched.total).toBe(1);

    delete gamelist.table['Secret of Mana (USA).sfc'];
    await run({ type: 'update', sources: ['gamelist'] });
    expect((await rom('Secret of Mana (USA).sfc')).gamelist_id).toBe('gl-som');
    await run({ type: 'complete', sources: ['gamelist'] });
    const som = await rom('Secret of Mana (USA).sfc');
    expect(som).toMatchObject({ gamelist_id: null, gamelist_metadata: '{}', player_count: '1' });
    expect(await facets('Secret of Mana (USA).sfc')).toEqual([]);
    // LaunchBox was not selected: its match stays.
    expect((await rom('Chrono Trigger (USA).sfc')).launchbox_id).toBe(1234);
  });

  it('passes hint ids (Playmatch) to the providers, stored only when one matches', async () => {
    const db = ctx().db;
    const seen: (string | number | null | undefined)[] = [];
    const hinter: MetadataProvider = {
      id: 'playmatch', available: () => Promise.resolve(true), fingerprint: () => Promise.resolve(null), open: () => Promise.resolve(null),
      hints: (rom) => Promise.resolve(rom.fsName.startsWith('Unknown') ? { launchbox_id: 777 } : {}),
    };
    const byId: MetadataProvider = {
      id: 'launchbox', available: () => Promise.resolve(true), fingerprint: () => Promise.resolve('x'),
      open: () => Promise.resolve({
        lookup: (rom: MetadataRom) => {
          seen.push(rom.ids.launchbox_id);
          return Promise.resolve(rom.ids.launchbox_id === 777 ? { source: 'launchbox' as const, id: 777, name: 'Found By Hint', media: {} } : null);
        },
      }),
    };
    await runMetadataPass({
      repo: new MetadataRepository(db.kysely), providers: [hinter, byId], media, settings: metadataSettingsFromYaml({}),
      platformDir: () => Promise.resolve(path.join(library, 'roms', 'snes')), issues: { add: () => undefined },
    }, { type: 'quick' });
    expect(seen.filter((v) => v === 777)).toHaveLength(1);
    expect(await rom('Unknown Game (USA).sfc')).toMatchObject({ launchbox_id: 777, name: 'Found By Hint' });
    expect((await rom('Chrono Trigger (USA).sfc')).launchbox_id).toBeNull();
  });

  it('removes media a complete scan clears, and sweeps only after media were replaced or removed', async () => {
    await run();
    expect(media.sweeps).toBe(0);
    const ct = await rom('Chrono Trigger (USA).sfc');
    delete gamelist.table['Chrono Trigger (USA).sfc'];
    delete launchbox.table['Chrono Trigger (USA).sfc'];
    await run({ type: 'complete' });
    expect(media.removed.sort()).toEqual([`${ct.id}:cover`, `${ct.id}:screenshots`]);
    expect(await rom('Chrono Trigger (USA).sfc')).toMatchObject({ path_cover_s: '', path_screenshots: '[]' });
    expect(media.sweeps).toBe(1);
  });

  it('runs only the chosen ROMs', async () => {
    const ct = await rom('Chrono Trigger (USA).sfc');
    const result = await run({ type: 'update', romIds: [ct.id] });
    expect(result.total).toBe(1);
    expect((await rom('Secret of Mana (USA).sfc')).metadata_scanned_at).toBeNull();
  });
});

