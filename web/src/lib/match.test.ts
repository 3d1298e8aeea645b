import { describe, expect, it } from 'vitest';
import type { SearchRom } from './api/types';
import { matchBadges, matchCover, matchFields, safeImageUrl } from './match';

const origin = 'https://romshelf.local';
const entry = (extra: Partial<SearchRom>): SearchRom => ({ name: 'Super Mario World', platform_id: 3, is_identified: true, is_unidentified: false, ...extra });

describe('match helpers', () => {
  it('picks the first HTTPS or same-origin cover in provider order', () => {
    expect(matchCover(entry({ ss_url_cover: 'https://ss.example/c.png', igdb_url_cover: '' }), origin)).toBe('https://ss.example/c.png');
    expect(matchCover(entry({ igdb_url_cover: 'https://img.igdb/a.jpg', ss_url_cover: 'https://ss.example/c.png' }), origin)).toBe('https://img.igdb/a.jpg');
    expect(matchCover(entry({ igdb_url_cover: 'javascript:alert(1)', ss_url_cover: 'http://plain.example/c.png' }), origin)).toBeNull();
    expect(safeImageUrl('data:image/svg+xml,<svg/>', origin)).toBeNull();
    expect(safeImageUrl('/assets/x.png', origin)).toBe('https://romshelf.local/assets/x.png');
  });

  it('lists the providers that know a candidate and the form that applies it', () => {
    const e = entry({ igdb_id: 1070, ss_id: 5121, moby_id: null, libretro_id: 'Super Mario World (USA)', sgdb_id: 0 });
    expect(matchBadges(e).map((b) => b.label)).toEqual(['IGDB', 'ScreenScraper', 'libretro']);
    expect(matchFields(e)).toEqual({ igdb_id: '1070', ss_id: '5121', libretro_id: 'Super Mario World (USA)' });
  });
});
