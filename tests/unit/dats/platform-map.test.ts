import { describe, expect, it } from 'vitest';
import { mappedSlugs, platformSlugForDat } from '../../../src/dats/platform-map.ts';
import { knownPlatformSlugs } from '../../../src/library/platform-catalogue.ts';

describe('DAT platform mapping', () => {
  it.each([
    ['Nintendo - Nintendo Entertainment System (Headered)', 'nes'],
    ['Nintendo - Nintendo Entertainment System (Headerless) (Parent-Clone)', 'nes'],
    ['Nintendo - Super Nintendo Entertainment System', 'snes'],
    ['Nintendo - Family Computer Disk System (FDS)', 'fds'],
    ['Sony - PlayStation', 'psx'],
    ['Sony - PlayStation 2', 'ps2'],
    ['Sony - PlayStation Portable (PSN)', 'psp'],
    ['Sega - Mega Drive - Genesis', 'genesis'],
    ['Sega - Mega-CD - Sega CD', 'segacd'],
    ['Sega - Master System - Mark III', 'sms'],
    ['NEC - PC Engine - TurboGrafx 16', 'tg16'],
    ['Atari - 7800 (Headerless)', 'atari7800'],
    ['Atari - Lynx (LYX)', 'lynx'],
    ['Nintendo - Game Boy Color', 'gbc'],
    ['Nintendo - New Nintendo 3DS (Digital)', 'new-nintendo-3ds'],
    ['Nintendo Famicom & Entertainment System - Games - [NES] (TOSEC-v2023-01-01_CM)', 'nes'],
    ['Commodore Amiga - Games - [ADF] (TOSEC-v2024)', 'amiga'],
    ['Sinclair ZX Spectrum - Games - [TAP]', 'zxs'],
    ['Sega Mega Drive & Genesis - Games', 'genesis'],
    ['snes', 'snes'],
    ['megadriv', 'genesis'],
    ['MAME', 'arcade'],
    ['MAME 0.262 (arcade)', 'arcade'],
    ['FinalBurn Neo - Arcade Games', 'arcade'],
  ])('%s → %s', (name, slug) => {
    expect(platformSlugForDat(name)).toBe(slug);
  });

  it('maps unknown names to nothing', () => {
    expect(platformSlugForDat('My Homebrew Collection')).toBeNull();
    expect(platformSlugForDat('')).toBeNull();
  });

  it('only produces slugs of the platform catalogue', () => {
    const known = new Set(knownPlatformSlugs());
    expect(mappedSlugs().filter((s) => !known.has(s))).toEqual([]);
  });
});
