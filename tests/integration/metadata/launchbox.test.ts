import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { LaunchboxRepository } from '../../../src/db/repositories/launchbox-repository.ts';
import { importLaunchboxMetadata } from '../../../src/metadata/launchbox/metadata-import.ts';
import { LaunchboxProvider } from '../../../src/metadata/launchbox/provider.ts';
import type { MetadataIssueKind, MetadataPlatform, MetadataRom } from '../../../src/metadata/types.ts';
import { fsNameNoExt, fsNameNoTags } from '../../../src/library/fs-names.ts';
import { parseTags } from '../../../src/library/tags.ts';
import { describeEachEngine } from '../../helpers/engines.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/metadata/launchbox');

class Issues {
  list: { kind: MetadataIssueKind; path: string; message: string }[] = [];
  add(kind: MetadataIssueKind, p: string, message: string): void {
    this.list.push({ kind, path: p, message });
  }
}

const platform = (slug: string): MetadataPlatform => ({ id: 1, slug, fsSlug: slug, name: slug, romsDir: `/lib/roms/${slug}` });
const rom = (fsName: string): MetadataRom => ({
  id: 1, platformId: 1, fsName, fsNameNoTags: fsNameNoTags(fsName), fsNameNoExt: fsNameNoExt(fsName),
  regions: parseTags(fsName).regions, crc: null, md5: null, sha1: null, ids: {},
});

describeEachEngine('LaunchBox Metadata.xml import and provider', (ctx) => {
  let repo: LaunchboxRepository;
  let metadataPath: string;
  let launchboxPath: string;

  beforeAll(async () => {
    repo = new LaunchboxRepository(ctx().db.kysely);
    metadataPath = path.join(ctx().dir, 'launchbox', 'Metadata.xml');
    await mkdir(path.dirname(metadataPath), { recursive: true });
    await copyFile(path.join(FIXTURES, 'Metadata.xml'), metadataPath);
    launchboxPath = path.join(ctx().dir, 'LaunchBox');
    await cp(path.join(FIXTURES, 'LaunchBox'), launchboxPath, { recursive: true });
    const snes = 'Super Nintendo Entertainment System';
    const files = [
      `Images/${snes}/Box - Front/North America/Super Mario World-01.png`,
      `Images/${snes}/Box - Front/North America/Super Mario World-02.png`,
      `Images/${snes}/Box - Front/Japan/Super Mario World-01.png`,
      `Images/${snes}/Screenshot - Gameplay/Super Mario World-01.png`,
      `Images/${snes}/Screenshot - Gameplay/Super Mario World-02.jpg`,
      `Images/${snes}/Screenshot - Game Title/Super Mario World (USA).png`,
      `Images/${snes}/Box - Back/Europe/Super Mario World-01.jpg`,
      `Images/${snes}/Box - Front/Chrono Trigger.png`,
      `Manuals/${snes}/Super Mario World (Players Guide).pdf`,
      `Manuals/${snes}/Super Mario World.pdf`,
      `Videos/${snes}/Super Mario World.mp4`,
    ];
    for (const f of files) {
      await mkdir(path.dirname(path.join(launchboxPath, f)), { recursive: true });
      await writeFile(path.join(launchboxPath, f), 'x');
    }
  });

  it('imports games, alternate names and images, skipping other elements and unsafe image names', async () => {
    const issues = new Issues();
    const r = await importLaunchboxMetadata({ path: metadataPath, repo, issues });
    expect(issues.list).toEqual([]);
    expect(r.status).toBe('imported');
    expect(r.counts).toEqual({ games: 7, alternateNames: 3, images: 5 });
    const paper = await repo.gameById(141);
    expect(paper?.name).toBe('Paper Mario');
    expect(paper?.platform).toBe('Nintendo 64');
    expect(paper?.fields.Overview).toBe('Mario pals around in an all-new action adventure & a storybook world.');
    expect((await repo.gameById(77))?.fields.Overview).toBe('Race & crash <for> points.');
    expect((await repo.imagesOf(5000)).map((i) => i.fileName)).toEqual([
      '0a1b2c3d-0000-4000-8000-000000000001.jpg', '0a1b2c3d-0000-4000-8000-000000000002.jpg',
      '0a1b2c3d-0000-4000-8000-000000000003.png', '0a1b2c3d-0000-4000-8000-000000000004.jpg',
    ]);
    expect(await repo.importedFile()).toMatchObject({ path: metadataPath });
  });

  it('does nothing when the file is unchanged', async () => {
    const before = await repo.importedFile();
    const r = await importLaunchboxMetadata({ path: metadataPath, repo, issues: new Issues(), now: () => 1 });
    expect(r.status).toBe('unchanged');
    expect(await repo.importedFile()).toEqual(before);
  });

  it('looks games up by name key, alternate name and folded key, always within the platform', async () => {
    expect((await repo.gamesByNameKeys('Nintendo 64', ['paper mario', 'nope'])).map((g) => g.databaseId)).toEqual([141]);
    expect(await repo.gamesByNameKeys('Sony Playstation 2', ['paper mario'])).toEqual([]);
    expect((await repo.gamesByAlternateKeys('Nintendo 64', ['mario story'])).map((g) => g.databaseId)).toEqual([141]);
    expect((await repo.gamesByAlternateKeys('Nintendo 64', ['纸片马力欧'])).map((g) => g.databaseId)).toEqual([141]);
    expect(await repo.gamesByAlternateKeys('Super Nintendo Entertainment System', ['mario story'])).toEqual([]);
    expect((await repo.gamesByFoldedKeys('Sony Playstation 2', ['burnoutrevenge'])).map((g) => g.databaseId)).toEqual([77]);
    expect((await repo.gamesByNameKeys('Sony Playstation', ['ганс кристиан андерсен'])).map((g) => g.databaseId)).toEqual([3100]);
    expect(await repo.gameById(999_999)).toBeNull();
    expect(await repo.hasGames()).toBe(true);
  });

  it('answers with RomM\'s blob from Metadata.xml: inverted article, region cover, remote images as URLs only', async () => {
    const provider = new LaunchboxProvider({ launchboxPath: null, metadataPath, repo });
    expect(await provider.available()).toBe(true);
    const session = await provider.open(platform('n64'), new Issues());
    const m = await session!.lookup(rom('Legend of Zelda, The - Ocarina of Time (USA) (Rev 1).z64'));
    expect(m).toMatchObject({ source: 'launchbox', id: 5000, name: 'The Legend of Zelda: Ocarina of Time', summary: 'Link awakens in Kokiri Forest.' });
    expect(m!.urls).toEqual({
      cover: 'https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000003.png',
      screenshots: ['https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000004.jpg'],
    });
    expect(m!.media).toEqual({});
    expect(m!.metadata).toEqual({
      first_release_date: Date.UTC(1998, 10, 23, 8) / 1000,
      max_players: 1,
      release_type: 'Released',
      cooperative: false,
      youtube_video_id: 'Zj4wK5_dwL8',
      community_rating: 4.8,
      community_rating_count: 950,
      wikipedia_url: '',
      esrb: 'E',
      genres: ['Action', 'Adventure', 'Role-Playing'],
      companies: ['Nintendo'],
      images: [
        { url: 'https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000001.jpg', type: 'Box - 3D', region: 'North America' },
        { url: 'https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000002.jpg', type: 'Box - Front', region: 'Europe' },
        { url: 'https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000003.png', type: 'Box - Front', region: 'North America' },
        { url: 'https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000004.jpg', type: 'Screenshot - Gameplay', region: '' },
      ],
    });
    const eu = await session!.lookup(rom('Legend of Zelda, The - Ocarina of Time (Europe).z64'));
    expect(eu!.urls?.cover).toBe('https://images.launchbox-app.com/0a1b2c3d-0000-4000-8000-000000000002.jpg');
  });

  it('matches alternate names, folded names and id tags, and refuses another platform\'s game', async () => {
    const provider = new LaunchboxProvider({ launchboxPath: null, metadataPath, repo });
    const n64 = await provider.open(platform('n64'), new Issues());
    expect((await n64!.lookup(rom('Mario Story (Japan).z64')))?.id).toBe(141);
    expect((await n64!.lookup(rom('Whatever (launchbox-141).z64')))?.name).toBe('Paper Mario');
    expect(await n64!.lookup(rom('Burnout Revenge (USA).z64'))).toBeNull();
    const snes = await provider.open(platform('snes'), new Issues());
    expect(await snes!.lookup(rom('Mario Story (Japan).sfc'))).toBeNull();
    expect(await snes!.lookup(rom('Paper Mario (USA).sfc'))).toBeNull();
    const ps2 = await provider.open(platform('ps2'), new Issues());
    const burnout = await ps2!.lookup(rom('Burnout Revenge (USA).iso'));
    expect(burnout).toMatchObject({ id: 77, name: 'Burnout: Revenge', summary: 'Race & crash <for> points.' });
    expect(burnout!.metadata).toMatchObject({ cooperative: true, companies: ['Electronic Arts', 'Criterion Games'], esrb: 'T' });
    const psx = await provider.open(platform('psx'), new Issues());
    expect((await psx!.lookup(rom('Asterix - Mega Madness (Europe).bin')))?.id).toBe(3300);
    expect((await psx!.lookup(rom('ファイナルファンタジーVII (Japan) (Disc 1).chd')))?.id).toBe(3200);
    expect(await provider.open(platform('no-such-platform'), new Issues())).toBeNull();
    expect(await provider.fingerprint(platform('no-such-platform'))).toBeNull();
  });

  it('prefers the local platform XML and its media files', async () => {
    const provider = new LaunchboxProvider({ launchboxPath, metadataPath, repo });
    const fp = await provider.fingerprint(platform('snes'));
    expect(fp).toMatch(/^metadata=\d+:[\d.]+:\d+;local=\d+:[\d.]+:\d+$/);
    const issues = new Issues();
    const session = await provider.open(platform('snes'), issues);
    expect(issues.list).toEqual([]);
    const m = await session!.lookup(rom('Super Mario World (USA).sfc'));
    const snes = 'Super Nintendo Entertainment System';
    const abs = (rel: string): string => path.join(launchboxPath, rel);
    expect(m).toMatchObject({ source: 'launchbox', id: 2000, name: 'Super Mario World', summary: "Local notes: Mario's adventure in Dinosaur Land." });
    expect(m!.media).toEqual({
      cover: { path: abs(`Images/${snes}/Box - Front/North America/Super Mario World-01.png`), root: launchboxPath },
      screenshots: [
        { path: abs(`Images/${snes}/Screenshot - Game Title/Super Mario World (USA).png`), root: launchboxPath },
        { path: abs(`Images/${snes}/Screenshot - Gameplay/Super Mario World-01.png`), root: launchboxPath },
        { path: abs(`Images/${snes}/Screenshot - Gameplay/Super Mario World-02.jpg`), root: launchboxPath },
      ],
      manual: { path: abs(`Manuals/${snes}/Super Mario World.pdf`), root: launchboxPath },
      extras: { video: { path: abs(`Videos/${snes}/Super Mario World.mp4`), root: launchboxPath } },
    });
    expect(m!.urls?.cover).toBe(`launchbox-file://Images/${snes}/Box - Front/North America/Super Mario World-01.png`);
    expect(m!.urls?.manual).toBe(`launchbox-file://Manuals/${snes}/Super Mario World.pdf`);
    expect(m!.metadata).toMatchObject({
      first_release_date: Date.UTC(1991, 7, 13, 7) / 1000,
      cooperative: true,
      youtube_video_id: 'htzxiddD3yo',
      community_rating: 4.5,
      community_rating_count: 321,
      genres: ['Platform', 'Action'],
      companies: ['Nintendo', 'Nintendo EAD'],
      images: [{ url: `launchbox-file://Images/${snes}/Box - Back/Europe/Super Mario World-01.jpg`, type: 'Box - Back', region: 'Europe' }],
      video_url: `launchbox-file://Videos/${snes}/Super Mario World.mp4`,
    });
    // A zipped copy reaches the same entry through the extension-less stem.
    expect((await session!.lookup(rom('Super Mario World (USA).zip')))?.id).toBe(2000);
    // A local game without a DatabaseID that Metadata.xml does not know either: nothing to identify it by.
    expect(await session!.lookup(rom('Home Made Hack.sfc'))).toBeNull();
    // Not in the local XML: falls back to Metadata.xml by name, with local media found by title.
    await writeFile(localXml(launchboxPath), (await readFile(localXml(launchboxPath), 'utf8')).replace('<DatabaseID>2000</DatabaseID>', ''));
    const again = await (await provider.open(platform('snes'), new Issues()))!.lookup(rom('Super Mario World (USA).sfc'));
    expect(again?.id).toBe(2000);
  });

  it('reports a malformed Metadata.xml and keeps the data imported before', async () => {
    const before = await repo.importedFile();
    await writeFile(metadataPath, '<?xml version="1.0"?>\n<LaunchBox>\n  <Game>\n    <Name>Broken</Name>\n    <DatabaseID>9</DatabaseID>\n  </Gme>\n');
    const issues = new Issues();
    const r = await importLaunchboxMetadata({ path: metadataPath, repo, issues });
    expect(r.status).toBe('failed');
    expect(issues.list.map((i) => i.kind)).toEqual(['source-malformed']);
    expect(await repo.importedFile()).toEqual(before);
    expect((await repo.gameById(141))?.name).toBe('Paper Mario');
    expect(await repo.gameById(9)).toBeNull();

    await writeFile(metadataPath, '<?xml version="1.0"?>\n<Other><Game><DatabaseID>9</DatabaseID></Game></Other>\n');
    const wrongRoot = new Issues();
    expect((await importLaunchboxMetadata({ path: metadataPath, repo, issues: wrongRoot })).status).toBe('failed');
    expect(wrongRoot.list.map((i) => i.kind)).toEqual(['source-malformed']);
    expect(await repo.gameById(141)).not.toBeNull();
  });

  it('replaces everything with a new file, and keeps the data when the file goes away', async () => {
    await writeFile(metadataPath, '<?xml version="1.0"?>\n<LaunchBox>\n  <Game>\n    <Name>Only One</Name>\n    <DatabaseID>9</DatabaseID>\n    <Platform>Nintendo 64</Platform>\n  </Game>\n</LaunchBox>\n');
    const r = await importLaunchboxMetadata({ path: metadataPath, repo, issues: new Issues() });
    expect(r).toMatchObject({ status: 'imported', counts: { games: 1, alternateNames: 0, images: 0 } });
    expect(await repo.gameById(141)).toBeNull();
    expect(await repo.imagesOf(5000)).toEqual([]);
    expect(await repo.gamesByAlternateKeys('Nintendo 64', ['mario story'])).toEqual([]);
    const gone = await importLaunchboxMetadata({ path: path.join(ctx().dir, 'missing.xml'), repo, issues: new Issues() });
    expect(gone.status).toBe('missing');
    expect((await repo.gameById(9))?.name).toBe('Only One');
  });
});

const localXml = (root: string): string => path.join(root, 'Data', 'Platforms', 'Super Nintendo Entertainment System.xml');
