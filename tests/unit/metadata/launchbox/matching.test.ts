import { describe, expect, it } from 'vitest';
import {
  candidateKeys, dashToColon, deinvertArticle, fileNameForms, foldTitle, launchboxIdTag, nameCandidates, nameKey,
  sanitizeFilename, searchTermFromFileName,
} from '../../../../src/metadata/launchbox/matching.ts';
import { launchboxPlatform, launchboxPlatformName, platformFileName } from '../../../../src/metadata/launchbox/platforms.ts';

describe('foldTitle', () => {
  it.each([
    ['Burnout: Revenge', 'burnoutrevenge'],
    ['Astérix at the Olympic Games', 'asterixattheolympicgames'],
    ['AC/DC Live', 'acdclive'],
    ['Area-51', 'area51'],
    ['Pokémon Snap', 'pokemonsnap'],
    ['Ÿs: Ancient Ys Vanished', 'ysancientysvanished'],
    ['Straße', 'strasse'],
    ['三國立志傳2', '三國立志傳2'],
    ['ファイナルファンタジーVII', 'ファイナルファンタジーvii'.normalize('NFKD')],
    ['ドラゴンクエスト', 'ドラゴンクエスト'.normalize('NFKD')],
    ['Зона 51', 'зона51'],
    // A mark on a Cyrillic letter is kept (decomposed), as RomM keeps it.
    ['Ёжик в тумане', 'ёжиквтумане'.normalize('NFKD')],
    ['हिन्दी गेम', 'हिन्दीगेम'],
    ['สนุกเกอร์', 'สนุกเกอร์'],
    ['Ⅲ: Ｆｕｌｌwidth', 'iiifullwidth'],
    [':: -- ::', ''],
  ])('%s → %s', (title, expected) => {
    expect(foldTitle(title)).toBe(expected);
  });

  it('keeps titles of other scripts apart when they share only digits', () => {
    expect(foldTitle('三國立志傳2')).not.toBe(foldTitle('忍者村大战2'));
    expect(foldTitle('三國立志傳2')).not.toBe('2');
  });

  it('keeps Japanese voicing marks (a mark on a non-Latin letter spells the word)', () => {
    // NFKD splits ガ into カ + U+3099; dropping the mark would make ガ and カ the same.
    expect(foldTitle('ガ')).not.toBe(foldTitle('カ'));
  });
});

describe('deinvertArticle', () => {
  it.each([
    ['Legend of Zelda, The: Ocarina of Time', 'The Legend of Zelda: Ocarina of Time'],
    ['legend of zelda, the: ocarina of time', 'the legend of zelda: ocarina of time'],
    ['New Tetris, The', 'The New Tetris'],
    ["Bug's Life, A", "A Bug's Life"],
    ['Stadt, Die', 'Die Stadt'],
    ['Aventures de Tintin, Les', 'Les Aventures de Tintin'],
    ['Adventures of Batman, Robin, The', 'The Adventures of Batman, Robin'],
  ])('%s → %s', (term, expected) => {
    expect(deinvertArticle(term)).toBe(expected);
  });

  it.each(['Grand Theft Auto, They', 'Super Mario 64', 'Banjo-Kazooie, Gruntilda', 'Ёжик, Тот'])('%s is not inverted', (term) => {
    expect(deinvertArticle(term)).toBeNull();
  });
});

describe('name keys and candidates', () => {
  it('lower-cases and trims', () => {
    expect(nameKey('  Paper Mario ')).toBe('paper mario');
    expect(nameKey('ЁЖИК')).toBe('ёжик');
  });

  it('turns " - " and "- " into ": " but leaves hyphenated words', () => {
    expect(dashToColon('Zelda - Ocarina')).toBe('Zelda: Ocarina');
    expect(dashToColon('Zelda- Ocarina')).toBe('Zelda: Ocarina');
    expect(dashToColon('Spider-Man')).toBe('Spider-Man');
  });

  it('builds the search term from a file name: no tags, no extension, underscores as spaces, lower case', () => {
    expect(searchTermFromFileName('Legend of Zelda, The - Ocarina of Time (USA) (Rev 1).z64')).toBe('legend of zelda, the: ocarina of time');
    expect(searchTermFromFileName('Burnout_Revenge_-_Demo (Europe).iso')).toBe('burnout revenge: demo');
    expect(searchTermFromFileName('ファイナルファンタジーVII (Japan) (Disc 1).chd')).toBe('ファイナルファンタジーvii');
  });

  it('lists candidates in RomM order: as given, lower case, then de-inverted forms', () => {
    expect(nameCandidates('Legend of Zelda, The')).toEqual(['Legend of Zelda, The', 'legend of zelda, the', 'The Legend of Zelda', 'the legend of zelda']);
    expect(nameCandidates('paper mario')).toEqual(['paper mario']);
    expect(nameCandidates('   ')).toEqual([]);
  });

  it('gives name keys and folded keys, deduplicated, empty folds dropped', () => {
    expect(candidateKeys('legend of zelda, the: ocarina of time')).toEqual({
      names: ['legend of zelda, the: ocarina of time', 'the legend of zelda: ocarina of time'],
      folded: ['legendofzeldatheocarinaoftime', 'thelegendofzeldaocarinaoftime'],
    });
    expect(candidateKeys('!!!').folded).toEqual([]);
  });

  it('reads the (launchbox-N) tag', () => {
    expect(launchboxIdTag('Game (USA) (launchbox-12345).zip')).toBe(12345);
    expect(launchboxIdTag('Game (LaunchBox-7).zip')).toBe(7);
    expect(launchboxIdTag('Game (launchbox-).zip')).toBeNull();
    expect(launchboxIdTag('Game (launchbox-0).zip')).toBeNull();
    expect(launchboxIdTag('Game [launchbox-12].zip')).toBeNull();
  });

  it('gives a file name its extension-less forms', () => {
    expect(fileNameForms('Super Mario World (USA).sfc')).toEqual(['super mario world (usa)', 'super mario world']);
    expect(fileNameForms('tetris.gb')).toEqual(['tetris']);
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['  Zelda  ', 'Zelda'],
    ['Zelda: Ocarina', 'Zelda_ Ocarina'],
    ['Link\u2019s Awakening', 'Link_s Awakening'],
    ['AC/DC|Live\\', 'AC_DC_Live_'],
    ['A   B', 'A B'],
    ['A__B', 'A_B'],
    ['Game...', 'Game'],
    ['..', ''],
    ['', ''],
  ])('%j → %j', (stem, expected) => {
    expect(sanitizeFilename(stem)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = sanitizeFilename("Bug's Life: A / B?");
    expect(sanitizeFilename(once)).toBe(once);
  });
});

describe('LaunchBox platforms', () => {
  it('maps romshelf slugs to LaunchBox names', () => {
    expect(launchboxPlatformName('snes')).toBe('Super Nintendo Entertainment System');
    expect(launchboxPlatformName('n64')).toBe('Nintendo 64');
    expect(launchboxPlatformName('ps2')).toBe('Sony Playstation 2');
    expect(launchboxPlatform('SNES')).toEqual({ id: 53, name: 'Super Nintendo Entertainment System' });
    expect(launchboxPlatformName('no-such-platform')).toBeNull();
  });

  it('makes platform names safe as file names', () => {
    expect(platformFileName('Dragon 32/64')).toBe('Dragon 32_64');
    expect(platformFileName('..')).toBe('');
  });
});
