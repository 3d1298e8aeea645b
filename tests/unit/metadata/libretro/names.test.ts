import { describe, expect, it } from 'vitest';
import { jaroWinkler, jaroWinklerBound } from '../../../../src/metadata/libretro/jaro-winkler.ts';
import {
  libretroIdFor,
  libretroSafeName,
  normalizeSearchTerm,
  removeExtension,
  stripParenTags,
  thumbnailTargets,
  ThumbnailIndex,
} from '../../../../src/metadata/libretro/names.ts';

describe('libretro names', () => {
  it('replaces the characters libretro cannot use in file names', () => {
    expect(libretroSafeName('Tom & Jerry')).toBe('Tom _ Jerry');
    expect(libretroSafeName('a*b/c:d`e<f>g?h\\i|j"k')).toBe('a_b_c_d_e_f_g_h_i_j_k');
    expect(libretroSafeName("Sonic the Hedgehog 2 (World) (Rev A)")).toBe('Sonic the Hedgehog 2 (World) (Rev A)');
  });

  it('strips extensions like os.path.splitext and tags like RomM', () => {
    expect(removeExtension('Game (USA).png')).toBe('Game (USA)');
    expect(removeExtension('.hidden')).toBe('.hidden');
    expect(removeExtension('Super Mario Bros. 3 (USA)')).toBe('Super Mario Bros');
    expect(stripParenTags('Tetris (World) (Rev 1)')).toBe('Tetris');
  });

  it('normalizes search terms as RomM does', () => {
    expect(normalizeSearchTerm('The Legend of Zelda: A Link to the Past')).toBe('legend of zelda a link to the past');
    expect(normalizeSearchTerm('Legend of Zelda, The - Ocarina')).toBe('legend of zelda ocarina');
    expect(normalizeSearchTerm('Pokémon_Red')).toBe('pokemon red');
  });

  it('ids are the SHA-1 of the art file name with its extension', () => {
    expect(libretroIdFor('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(libretroIdFor('Tetris (World).png')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('tries the whole name first (folder ROMs), then the name without extension', () => {
    expect(thumbnailTargets({ fsName: 'Tom & Jerry (USA).nes', fsNameNoExt: 'Tom & Jerry (USA)' })).toEqual(['Tom _ Jerry (USA).nes', 'Tom _ Jerry (USA)']);
    expect(thumbnailTargets({ fsName: 'Final Fantasy VII (USA)', fsNameNoExt: 'Final Fantasy VII (USA)' })).toEqual(['Final Fantasy VII (USA)']);
  });
});

describe('jaroWinkler (strsimpy semantics)', () => {
  it('scores known pairs', () => {
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 4);
    // Prefix of 4 on strings shorter than 10: the coefficient is 0.1.
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
  });

  it('its bound is never below the score', () => {
    const words = ['super mario world', 'super mario bros', 'tetris', 'zelda', 'metroid', 'mario kart', 'super metroid', 'donkey kong country'];
    for (const a of words) for (const b of words) {
      const prefix = [...a].findIndex((c, i) => b[i] !== c);
      const p = prefix === -1 ? Math.min(a.length, b.length) : prefix;
      expect(jaroWinklerBound(a.length, b.length, Math.min(a.length, b.length), p) + 1e-12).toBeGreaterThanOrEqual(jaroWinkler(a, b));
    }
  });
});

describe('ThumbnailIndex', () => {
  const index = new ThumbnailIndex([
    'Super Mario World (USA).png',
    'Tom _ Jerry (USA).png',
    'Legend of Zelda, The - A Link to the Past (USA).png',
    'Tetris (World).png',
    'Tetris (Japan).png',
    'Final Fantasy VII (USA) (Disc 1).png',
    'notes.txt.png',
  ]);

  it('matches the exact name case-insensitively', () => {
    expect(index.find(['super mario world (usa)'])).toBe('Super Mario World (USA).png');
    expect(index.find(thumbnailTargets({ fsName: 'Tom & Jerry (USA).sfc', fsNameNoExt: 'Tom & Jerry (USA)' }))).toBe('Tom _ Jerry (USA).png');
  });

  it('falls back to the tag-stripped fuzzy match', () => {
    // Another region: exact fails, the stripped names are equal.
    expect(index.find(['Super Mario World (Europe)'])).toBe('Super Mario World (USA).png');
    // Of two files with the same stripped name, the first in name order answers.
    expect(index.find(['Tetris (USA)'])).toBe('Tetris (Japan).png');
    expect(index.find(['Legend of Zelda, The - A Link to the Past (Europe) (Rev 1)'])).toBe('Legend of Zelda, The - A Link to the Past (USA).png');
  });

  it('answers null below the 0.8 similarity', () => {
    expect(index.find(['Chrono Trigger (USA)'])).toBeNull();
    expect(index.find([])).toBeNull();
  });

  it('finds the same answer with and without the pruning on a large listing', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `Game ${i.toString(36)} Adventure ${i % 97} (USA).png`);
    const big = new ThumbnailIndex(names);
    // Brute force over the same candidates, RomM's way.
    const brute = (q: string) => {
      const nq = normalizeSearchTerm(stripParenTags(q));
      let best: string | null = null;
      let bestScore = 0;
      const seen = new Set<string>();
      for (const f of [...names].sort()) {
        const s = stripParenTags(removeExtension(f));
        if (seen.has(s)) continue;
        seen.add(s);
        const score = jaroWinkler(nq, normalizeSearchTerm(s));
        if (score > bestScore) {
          bestScore = score;
          best = f;
          if (score === 1) break;
        }
      }
      return bestScore >= 0.8 ? best : null;
    };
    for (const q of ['Game 1z Adventure 5 (Europe)', 'Game zz Adventur', 'Adventure Game 12', 'Totally different title']) {
      expect(big.find([q])).toBe(brute(q));
    }
  });
});
