import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libretroIdFor } from '../../../../src/metadata/libretro/names.ts';
import { libretroArtUrl, LibretroProvider, pyQuote } from '../../../../src/metadata/libretro/provider.ts';
import { LIBRETRO_SYSTEMS, libretroSystems } from '../../../../src/metadata/libretro/systems.ts';
import { CATALOGUE } from '../../../../src/library/platform-catalogue-data.ts';
import type { MetadataIssueKind, MetadataPlatform, MetadataRom } from '../../../../src/metadata/types.ts';

const SNES = 'Nintendo - Super Nintendo Entertainment System';
let root: string;

const platform = (slug: string): MetadataPlatform => ({ id: 1, slug, fsSlug: slug, name: slug, romsDir: '/nowhere' });
const rom = (fsName: string, fsNameNoExt = fsName.replace(/\.[a-z0-9]+$/, '')): MetadataRom => ({
  id: 1, platformId: 1, fsName, fsNameNoExt, fsNameNoTags: fsNameNoExt.replace(/\s*\(.*$/, ''), regions: [], crc: null, md5: null, sha1: null, ids: {},
});
const issues = () => {
  const list: { kind: MetadataIssueKind; path: string }[] = [];
  return { list, add: (kind: MetadataIssueKind, p: string) => void list.push({ kind, path: p }) };
};

async function png(file: string, color: string) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, await sharp({ create: { width: 8, height: 8, channels: 3, background: color } }).png().toBuffer());
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'libretro-'));
  await png(path.join(root, SNES, 'Named_Boxarts', 'Super Mario World (USA).png'), 'red');
  await png(path.join(root, SNES, 'Named_Boxarts', 'Tom _ Jerry (USA).png'), 'blue');
  await png(path.join(root, SNES, 'Named_Snaps', 'Super Mario World (USA).png'), 'green');
  await png(path.join(root, SNES, 'Named_Titles', 'Super Mario World (USA).png'), 'white');
  await writeFile(path.join(root, SNES, 'Named_Boxarts', 'readme.txt'), 'not art');
  await png(path.join(root, 'MAME', 'Named_Boxarts', 'sf2.png'), 'black');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('libretro systems table', () => {
  it('maps catalogue slugs to libretro-thumbnails system names', () => {
    expect(libretroSystems('snes')).toEqual([SNES]);
    expect(libretroSystems('n64')).toEqual(['Nintendo - Nintendo 64']);
    expect(libretroSystems('psx')).toEqual(['Sony - PlayStation']);
    expect(libretroSystems('arcade')[0]).toBe('MAME');
    expect(libretroSystems('xbox')).toEqual(['Microsoft - Xbox']);
    expect(libretroSystems('switch')).toEqual([]);
    expect(libretroSystems('__proto__')).toEqual([]);
  });

  it('only names slugs of the catalogue', () => {
    const slugs = new Set(CATALOGUE.map((e) => e[0]));
    for (const slug of ['snes', 'nes', 'gba', 'genesis', 'psx', 'arcade', 'dc', 'pc-8800-series']) expect(slugs.has(slug)).toBe(true);
    for (const slug of Object.keys(LIBRETRO_SYSTEMS)) expect(slugs.has(slug), slug).toBe(true);
  });
});

describe('LibretroProvider', () => {
  it('is available with a system folder, not without', async () => {
    expect(await new LibretroProvider({ root }).available()).toBe(true);
    expect(await new LibretroProvider({ root: path.join(root, 'missing') }).available()).toBe(false);
    const empty = await mkdtemp(path.join(tmpdir(), 'libretro-empty-'));
    expect(await new LibretroProvider({ root: empty }).available()).toBe(false);
    await rm(empty, { recursive: true });
  });

  it('fingerprints the art folders by stat and changes when one changes', async () => {
    const p = new LibretroProvider({ root });
    const a = await p.fingerprint(platform('snes'));
    expect(a).toContain(SNES);
    expect(await p.fingerprint(platform('snes'))).toBe(a);
    await utimes(path.join(root, SNES, 'Named_Snaps'), new Date(), new Date(Date.now() + 5000));
    expect(await p.fingerprint(platform('snes'))).not.toBe(a);
    expect(await p.fingerprint(platform('n64'))).toBeNull(); // mapped, but no folder
    expect(await p.fingerprint(platform('switch'))).toBeNull(); // no system
  });

  it('looks a ROM up by its name and answers the three art files', async () => {
    const iss = issues();
    const session = await new LibretroProvider({ root, media: ['box2d', 'screenshot', 'title_screen'] }).open(platform('snes'), iss);
    expect(session).not.toBeNull();
    const m = await session!.lookup(rom('Super Mario World (USA).sfc'));
    expect(m).toMatchObject({
      source: 'libretro',
      id: libretroIdFor('Super Mario World (USA).png'),
      urls: {
        cover: 'https://thumbnails.libretro.com/Nintendo%20-%20Super%20Nintendo%20Entertainment%20System/Named_Boxarts/Super%20Mario%20World%20%28USA%29.png',
        screenshots: [
          libretroArtUrl(SNES, 'Named_Snaps', 'Super Mario World (USA).png'),
          libretroArtUrl(SNES, 'Named_Titles', 'Super Mario World (USA).png'),
        ],
      },
      media: {
        cover: { path: path.join(root, SNES, 'Named_Boxarts', 'Super Mario World (USA).png'), root },
        screenshots: [{ path: path.join(root, SNES, 'Named_Snaps', 'Super Mario World (USA).png'), root }],
        extras: { title_screen: { path: path.join(root, SNES, 'Named_Titles', 'Super Mario World (USA).png'), root } },
      },
    });
    expect(m).not.toHaveProperty('name');
    expect(m).not.toHaveProperty('metadata');
    expect(iss.list).toEqual([]);
  });

  it('applies the character substitutions, the fuzzy fallback and RomM default media', async () => {
    const session = await new LibretroProvider({ root }).open(platform('snes'), issues());
    const tj = await session!.lookup(rom('Tom & Jerry (USA).sfc'));
    expect(tj?.media.cover).toMatchObject({ path: path.join(root, SNES, 'Named_Boxarts', 'Tom _ Jerry (USA).png') });
    expect(tj?.media.screenshots).toBeUndefined();
    const eu = await session!.lookup(rom('Super Mario World (Europe) (Rev 1).zip'));
    expect(eu?.id).toBe(libretroIdFor('Super Mario World (USA).png'));
    // Default scan.media has `screenshot` but not `title_screen`: only the snap URL is recorded.
    expect(eu?.urls?.screenshots).toEqual([libretroArtUrl(SNES, 'Named_Snaps', 'Super Mario World (USA).png')]);
    expect(eu?.media.extras?.title_screen).toBeDefined();
    expect(await session!.lookup(rom('Chrono Trigger (USA).sfc'))).toBeNull();
    expect(await session!.lookup(rom('readme.txt'))).toBeNull();
  });

  it('answers null for a platform without art', async () => {
    expect(await new LibretroProvider({ root }).open(platform('n64'), issues())).toBeNull();
    const arcade = await new LibretroProvider({ root }).open(platform('arcade'), issues());
    expect((await arcade!.lookup(rom('sf2.zip')))?.media.cover).toMatchObject({ path: path.join(root, 'MAME', 'Named_Boxarts', 'sf2.png') });
  });

  it('quotes like urllib.parse.quote', () => {
    expect(pyQuote("Pokémon - Snap! (it's) [b]", '')).toBe('Pok%C3%A9mon%20-%20Snap%21%20%28it%27s%29%20%5Bb%5D');
    expect(pyQuote('a/b c', '/')).toBe('a/b%20c');
  });
});
