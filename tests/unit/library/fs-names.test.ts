import { describe, expect, it } from 'vitest';
import { fsExtension, fsNameNoExt, fsNameNoTags, nameSortKey, searchText } from '../../../src/library/fs-names.ts';

describe('fs name derivations (spec §8.2)', () => {
  it.each([
    ['Game (USA).zip', 'zip', 'Game (USA)', 'Game'],
    ['Game (USA).tar.gz', 'tar.gz', 'Game (USA)', 'Game'],
    ['Game 1.5', '5', 'Game 1', 'Game 1'],
    ['Folder Game (Europe) [!]', '', 'Folder Game (Europe) [!]', 'Folder Game'],
    ['Final Fantasy VII (Europe) (Disc 1).cue', 'cue', 'Final Fantasy VII (Europe) (Disc 1)', 'Final Fantasy VII'],
    ['Mid (Tag) Title (USA).nes', 'nes', 'Mid (Tag) Title (USA)', 'Mid (Tag) Title'],
  ])('%s', (name, ext, noExt, noTags) => {
    expect(fsExtension(name)).toBe(ext);
    expect(fsNameNoExt(name)).toBe(noExt);
    expect(fsNameNoTags(name)).toBe(noTags);
  });

  it('name_sort_key: lower case, one leading article dropped, digits padded to 12', () => {
    expect(nameSortKey('The Legend of Zelda')).toBe('legend of zelda');
    expect(nameSortKey('A Boy and His Blob')).toBe('boy and his blob');
    expect(nameSortKey('The The Game')).toBe('the game');
    expect(nameSortKey('Les Misérables')).toBe('misérables');
    expect(nameSortKey('Theme Park')).toBe('theme park');
    expect(nameSortKey('Mega Man 10')).toBe('mega man 000000000010');
    expect(nameSortKey('Mega Man 9') < nameSortKey('Mega Man 10')).toBe(true);
    expect(nameSortKey(null)).toBe('');
    expect(nameSortKey('x'.repeat(600))).toHaveLength(500);
  });

  it('search_text is lower-cased name and fs_name', () => {
    expect(searchText('Sonic', 'Sonic (USA).md')).toBe('sonic sonic (usa).md');
  });
});
