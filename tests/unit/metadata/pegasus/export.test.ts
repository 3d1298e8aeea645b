import { describe, expect, it } from 'vitest';
import { pegasusCollection } from '../../../../src/metadata/pegasus/collections.ts';
import { pegasusDate, pegasusGame, pegasusHeader, pegasusRating } from '../../../../src/metadata/pegasus/export.ts';

const base = { genres: [], tags: [], assets: [] as [string, string][], regions: [], languages: [], rommId: 7 };

describe('metadata.pegasus.txt writer', () => {
  it('writes RomM\'s keys in order with indented description lines', () => {
    expect(pegasusGame({
      ...base, title: 'Chrono Trigger', file: 'Chrono Trigger (USA).sfc', developer: 'Square', genres: ['RPG', 'Adventure'],
      description: 'Line one\n\nLine three\n', release: '1995-03-11', rating: '95%', assets: [['box_front', 'assets/covers/c.png']],
      regions: ['USA', 'Japan'],
    })).toBe([
      'game: Chrono Trigger', 'file: Chrono Trigger (USA).sfc', 'developer: Square', 'genre: RPG', 'genre: Adventure',
      'description: Line one', '  .', '  Line three', 'release: 1995-03-11', 'rating: 95%',
      'assets.box_front: assets/covers/c.png', 'x-region: USA, Japan', 'x-romm-id: 7', '',
    ].join('\n'));
  });

  it('a line break in a value cannot start a new key', () => {
    const out = pegasusGame({ ...base, title: 'Evil\nfile: /etc/passwd', file: 'e.sfc\r\nlaunch: rm -rf /', tags: ['a\u0000b\nc'] });
    expect(out.split('\n').filter((l) => /^(file|launch):/.test(l))).toEqual(['file: e.sfc launch: rm -rf /']);
    expect(out).toContain('game: Evil file: /etc/passwd\n');
    expect(out).toContain('tag: ab c\n');
  });

  it('header, dates, ratings and collection names as RomM writes them', () => {
    expect(pegasusHeader('Super Nintendo Entertainment System', 'snes')).toBe('collection: Super Nintendo Entertainment System\nshortname: snes\n');
    expect(pegasusDate(Date.UTC(1995, 2, 11, 23))).toBe('1995-03-11');
    expect(pegasusRating(95.7)).toBe('95%');
    expect(pegasusRating(130)).toBe('100%');
    expect(pegasusRating(-3)).toBe('0%');
    expect(pegasusCollection({ slug: 'sms', name: 'x', custom_name: '' })).toEqual(['Sega Master System', 'mastersystem']);
    expect(pegasusCollection({ slug: 'homebrew', name: 'Homebrew', custom_name: 'My Box' })).toEqual(['My Box', 'homebrew']);
    expect(pegasusCollection({ slug: 'homebrew', name: 'Homebrew', custom_name: '' })).toEqual(['Homebrew', 'homebrew']);
  });
});
