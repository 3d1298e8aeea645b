import { describe, expect, it } from 'vitest';
import { knownPlatformSlugs, resolvePlatform, titleFromSlug } from '../../../src/library/platform-catalogue.ts';
import { fileCategory } from '../../../src/library/file-category.ts';
import { buildExclusions, globToRegExp } from '../../../src/library/exclusions.ts';

describe('platform catalogue', () => {
  it('knows at least 100 platforms', () => {
    expect(knownPlatformSlugs().length).toBeGreaterThanOrEqual(100);
  });

  it.each([
    ['megadrive', 'genesis'], ['genesis', 'genesis'], ['psx', 'psx'], ['ps1', 'psx'], ['ps2', 'ps2'], ['n64', 'n64'],
    ['gba', 'gba'], ['snes', 'snes'], ['sfc', 'snes'], ['fbneo', 'arcade'], ['mame', 'arcade'], ['pcengine', 'tg16'],
    ['SNES', 'snes'], ['gc', 'ngc'], ['dreamcast', 'dc'], ['mastersystem', 'sms'], ['sega32x', 'sega32'],
  ])('%s → %s', (folder, slug) => {
    expect(resolvePlatform(folder).slug).toBe(slug);
  });

  it('unknown folders become platforms named after the slug', () => {
    expect(resolvePlatform('my-odd_console')).toMatchObject({ slug: 'my-odd_console', name: 'My Odd_Console', igdb_id: null });
    expect(titleFromSlug('3do-m2')).toBe('3Do M2');
  });

  it('configured bindings win', () => {
    expect(resolvePlatform('md', { platforms: { md: 'sega32' } }).slug).toBe('sega32');
    expect(resolvePlatform('pal-snes', { versions: { 'pal-snes': 'snes' } }).name).toBe('Super Nintendo Entertainment System');
  });
});

describe('file categories', () => {
  it.each([
    ['roms/psx/Zelda/dlc', 'dlc'], ['roms/psx/Zelda/DLCs/x', 'dlc'], ['roms/psx/Zelda/Manuals', 'manual'],
    ['roms/psx/Zelda/patches', null], ['roms/psx/Zelda/patchs', 'patch'], ['roms/psx/Zelda', null],
    ['roms/psx/Zelda/hack/dlc', 'dlc'],
  ])('%s → %s', (dir, category) => {
    expect(fileCategory(dir)).toBe(category);
  });
});

describe('exclusions', () => {
  const ex = buildExclusions({ platforms: ['tmp-*'], singleFileNames: ['*.txt'], multiFileNames: ['Extras'], multiFilePartExtensions: ['nfo'] });
  it('defaults and configured patterns', () => {
    expect(ex.platformDir('@eaDir')).toBe(true);
    expect(ex.platformDir('.Trash-1000')).toBe(true);
    expect(ex.platformDir('tmp-old')).toBe(true);
    expect(ex.platformDir('snes')).toBe(false);
    expect(ex.singleFile('save.DB')).toBe(true);
    expect(ex.singleFile('gamelist.xml')).toBe(true);
    expect(ex.singleFile('file.bin:Zone.Identifier')).toBe(true);
    expect(ex.singleFile('readme.txt')).toBe(true);
    expect(ex.singleFile('Game.sfc')).toBe(false);
    expect(ex.romDir('extras')).toBe(true);
    expect(ex.romDir('__MACOSX')).toBe(true);
    expect(ex.part('info.nfo')).toBe(true);
    expect(ex.part('.DS_Store')).toBe(true);
    expect(ex.part('track01.bin')).toBe(false);
  });
  it('globs', () => {
    expect(globToRegExp('a?c[0-9]*').test('abc1xyz')).toBe(true);
    expect(globToRegExp('[!a]*').test('abc')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
