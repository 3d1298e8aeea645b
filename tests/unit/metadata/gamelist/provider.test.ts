import { appendFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GamelistProvider, esdeMediaAvailable } from '../../../../src/metadata/gamelist/provider.ts';
import type { MetadataPlatform, MetadataRom } from '../../../../src/metadata/types.ts';
import { IssueLog, platformWith, scratch, touch } from './helpers.ts';

const platform = (romsDir: string, fsSlug = 'snes'): MetadataPlatform => ({ id: 1, slug: 'snes', fsSlug, name: 'SNES', romsDir });

const rom = (fsName: string): MetadataRom => ({
  id: 1, platformId: 1, fsName, fsNameNoTags: fsName, fsNameNoExt: fsName.replace(/\.[^.]+$/, ''), regions: [],
  crc: null, md5: null, sha1: null, ids: {},
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('GamelistProvider', () => {
  it('answers a Batocera entry in RomM\'s shape, explicit media first, then the folders beside the gamelist', async () => {
    const dir = await platformWith('batocera');
    const img = (s: string) => path.join(dir, 'images', `Chrono Trigger (USA)-${s}`);
    for (const s of ['image.png', 'thumb.png', 'marquee.png', 'fanart.jpg', 'titleshot.png', 'boxback.png', 'cartridge.png']) await touch(img(s));
    await touch(path.join(dir, 'videos', 'Chrono Trigger (USA)-video.mp4'));
    await touch(path.join(dir, 'manuals', 'Chrono Trigger (USA)-manual.pdf'));
    // RomM's fallback: <platform>/<folder>/<rom stem>.*
    await touch(path.join(dir, 'covers', 'Chrono Trigger (USA).jpg'));
    await touch(path.join(dir, 'screenshots', 'Chrono Trigger (USA).png'));
    const issues = new IssueLog();
    const session = await new GamelistProvider({ esdeMediaPath: null }).open(platform(dir), issues);
    const match = await session?.lookup(rom('Chrono Trigger (USA).sfc'));
    const uri = (p: string) => `file://${path.join(dir, p)}`;
    expect(match).toEqual({
      source: 'gamelist',
      id: expect.stringMatching(UUID) as string,
      name: 'Chrono Trigger',
      summary: 'A group of adventurers travel through time.',
      metadata: {
        box2d_url: uri('covers/Chrono Trigger (USA).jpg'),
        box2d_back_url: uri('images/Chrono Trigger (USA)-boxback.png'),
        box3d_url: null,
        fanart_url: uri('images/Chrono Trigger (USA)-fanart.jpg'),
        image_url: uri('images/Chrono Trigger (USA)-image.png'),
        manual_url: uri('manuals/Chrono Trigger (USA)-manual.pdf'),
        marquee_url: uri('images/Chrono Trigger (USA)-marquee.png'),
        miximage_url: null,
        miximage_v2_url: null,
        physical_url: uri('images/Chrono Trigger (USA)-cartridge.png'),
        screenshot_url: uri('screenshots/Chrono Trigger (USA).png'),
        thumbnail_url: uri('images/Chrono Trigger (USA)-thumb.png'),
        title_screen_url: uri('images/Chrono Trigger (USA)-titleshot.png'),
        video_url: uri('videos/Chrono Trigger (USA)-video.mp4'),
        rating: 0.95,
        first_release_date: '19950311T000000',
        sort_name: null,
        companies: ['Square'],
        franchises: ['Chrono'],
        genres: ['Role Playing Game'],
        player_count: '1',
        md5_hash: 'a2bc447961e52fd2227baed164f729dc',
        box2d_back_path: null, box3d_path: null, fanart_path: null, miximage_path: null, miximage_v2_path: null,
        physical_path: null, marquee_path: null, title_screen_path: null, video_path: null,
      },
      urls: {
        cover: uri('covers/Chrono Trigger (USA).jpg'),
        screenshots: [uri('screenshots/Chrono Trigger (USA).png')],
        manual: uri('manuals/Chrono Trigger (USA)-manual.pdf'),
      },
      media: {
        cover: { path: path.join(dir, 'covers/Chrono Trigger (USA).jpg'), root: dir },
        screenshots: [{ path: path.join(dir, 'screenshots/Chrono Trigger (USA).png'), root: dir }],
        manual: { path: path.join(dir, 'manuals/Chrono Trigger (USA)-manual.pdf'), root: dir },
        extras: {
          title_screen: { path: img('titleshot.png'), root: dir },
          marquee: { path: img('marquee.png'), root: dir },
          fanart: { path: img('fanart.jpg'), root: dir },
          box2d_back: { path: img('boxback.png'), root: dir },
          physical: { path: img('cartridge.png'), root: dir },
          video: { path: path.join(dir, 'videos/Chrono Trigger (USA)-video.mp4'), root: dir },
        },
      },
    });
    // The entries outside the folder were reported while reading.
    expect(issues.kinds().every((k) => k === 'path-outside-root')).toBe(true);
  });

  it('falls back to the image for the cover, and keeps the id stable across sessions', async () => {
    const dir = await platformWith('batocera');
    await touch(path.join(dir, 'images', 'Chrono Trigger (USA)-image.png'));
    const provider = new GamelistProvider({ esdeMediaPath: null });
    const a = await (await provider.open(platform(dir), new IssueLog()))?.lookup(rom('Chrono Trigger (USA).sfc'));
    const b = await (await provider.open(platform(dir), new IssueLog()))?.lookup(rom('Chrono Trigger (USA).sfc'));
    expect(a?.media.cover).toMatchObject({ path: path.join(dir, 'images', 'Chrono Trigger (USA)-image.png') });
    expect(a?.urls?.cover).toBe(a?.metadata?.image_url);
    expect(a?.media.screenshots).toBeUndefined();
    expect(a?.id).toBe(b?.id);
    const other = await (await provider.open(platform(dir, 'sfc'), new IssueLog()))?.lookup(rom('Chrono Trigger (USA).sfc'));
    expect(other?.id).not.toBe(a?.id);
  });

  it('splits and dedupes companies, genres and franchises like RomM', async () => {
    const dir = await platformWith('esde');
    const session = await new GamelistProvider({ esdeMediaPath: null }).open(platform(dir), new IssueLog());
    const sml = await session?.lookup(rom('Super Mario Land (World).zip'));
    expect(sml?.metadata).toMatchObject({ companies: ['Nintendo R&D1', 'Nintendo'], genres: ['Platform', 'Action'], rating: 0.7 });
    const tetris = await session?.lookup(rom('Tetris (World) (Rev 1).zip'));
    expect(tetris).toMatchObject({ sortName: 'Tetris 1989', metadata: { sort_name: 'Tetris 1989', player_count: '1-2' } });
    expect(await session?.lookup(rom('Unknown.zip'))).toBeNull();
  });

  it('finds ES-DE downloaded_media for ROMs with and without an entry', async () => {
    const dir = await platformWith('esde');
    const esde = path.join(await scratch(), 'downloaded_media');
    await touch(path.join(esde, 'snes', 'covers', 'Tetris (World) (Rev 1).png'));
    await touch(path.join(esde, 'snes', 'screenshots', 'Tetris (World) (Rev 1).png'));
    await touch(path.join(esde, 'snes', 'covers', 'Only Media (USA).png'));
    await touch(path.join(esde, 'snes', 'manuals', 'Only Media (USA).pdf'));
    const provider = new GamelistProvider({ esdeMediaPath: esde });
    const session = await provider.open(platform(dir), new IssueLog());
    const tetris = await session?.lookup(rom('Tetris (World) (Rev 1).zip'));
    expect(tetris?.name).toBe('Tetris');
    expect(tetris?.media.cover).toEqual({ path: path.join(esde, 'snes', 'covers', 'Tetris (World) (Rev 1).png'), root: esde });
    const only = await session?.lookup(rom('Only Media (USA).sfc'));
    expect(only?.name).toBeUndefined();
    expect(only?.summary).toBeUndefined();
    expect(only?.media).toEqual({
      cover: { path: path.join(esde, 'snes', 'covers', 'Only Media (USA).png'), root: esde },
      manual: { path: path.join(esde, 'snes', 'manuals', 'Only Media (USA).pdf'), root: esde },
    });
    expect(only?.metadata).toMatchObject({ companies: [], genres: [], rating: null });
    // Without any gamelist.xml, ES-DE media alone opens the platform.
    const bare = path.join(await scratch(), 'snes');
    await mkdir(bare);
    const s2 = await provider.open(platform(bare), new IssueLog());
    expect((await s2?.lookup(rom('Only Media (USA).sfc')))?.media.cover).toMatchObject({ root: esde });
    expect(await esdeMediaAvailable(esde)).toBe(true);
    expect(await esdeMediaAvailable(null)).toBe(false);
    expect(await esdeMediaAvailable(path.join(esde, 'nope'))).toBe(false);
  });

  it('skips media and entries that are symlinks out of their root', async () => {
    const dir = await platformWith('batocera');
    const outside = path.join(await scratch(), 'secret.png');
    await writeFile(outside, 'secret');
    await mkdir(path.join(dir, 'covers'));
    await symlink(outside, path.join(dir, 'covers', 'F-Zero (USA).png'));
    await mkdir(path.join(dir, 'images'));
    await symlink(outside, path.join(dir, 'images', 'Chrono Trigger (USA)-image.png'));
    // A symlink inside the folder to another file inside it is fine.
    await touch(path.join(dir, 'images', 'real.png'));
    await symlink(path.join(dir, 'images', 'real.png'), path.join(dir, 'images', 'Chrono Trigger (USA)-thumb.png'));
    const issues = new IssueLog();
    const session = await new GamelistProvider({ esdeMediaPath: null }).open(platform(dir), issues);
    const before = issues.items.length;
    const fzero = await session?.lookup(rom('F-Zero (USA).sfc'));
    expect(fzero?.name).toBe('F-Zero');
    expect(fzero?.media).toEqual({});
    const ct = await session?.lookup(rom('Chrono Trigger (USA).sfc'));
    expect(ct?.metadata?.image_url).toBeNull();
    expect(ct?.media.cover).toBeUndefined();
    expect(ct?.metadata?.thumbnail_url).toBe(`file://${path.join(dir, 'images', 'Chrono Trigger (USA)-thumb.png')}`);
    expect(issues.items.slice(before).map((i) => i.kind)).toEqual(['path-outside-root', 'path-outside-root']);

    // An entry whose own path is a symlink leaving the folder is skipped.
    await symlink(outside, path.join(dir, 'Chrono Trigger (USA).sfc'));
    const again = new IssueLog();
    const s2 = await new GamelistProvider({ esdeMediaPath: null }).open(platform(dir), again);
    expect(await s2?.lookup(rom('Chrono Trigger (USA).sfc'))).toBeNull();
    expect(again.items.at(-1)?.kind).toBe('path-outside-root');
  });

  it('fingerprints from stat calls: null with nothing, changes with the gamelist and ES-DE folders', async () => {
    const dir = path.join(await scratch(), 'snes');
    await mkdir(dir);
    const esde = path.join(await scratch(), 'media');
    const provider = new GamelistProvider({ esdeMediaPath: esde });
    expect(await provider.fingerprint(platform(dir))).toBeNull();
    expect(await provider.open(platform(dir), new IssueLog())).toBeNull();
    await writeFile(path.join(dir, 'gamelist.xml'), '<gameList/>');
    const one = await provider.fingerprint(platform(dir));
    expect(one).toMatch(/^[0-9a-f]{32}$/);
    expect(await provider.fingerprint(platform(dir))).toBe(one);
    await appendFile(path.join(dir, 'gamelist.xml'), '\n');
    const two = await provider.fingerprint(platform(dir));
    expect(two).not.toBe(one);
    await mkdir(path.join(esde, 'snes', 'covers'), { recursive: true });
    const three = await provider.fingerprint(platform(dir));
    expect(three).not.toBe(two);
    await new Promise((r) => setTimeout(r, 20));
    await touch(path.join(esde, 'snes', 'covers', 'x.png'));
    expect(await provider.fingerprint(platform(dir))).not.toBe(three);
  });
});
