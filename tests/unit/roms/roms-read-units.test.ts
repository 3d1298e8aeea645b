import { describe, expect, it } from 'vitest';
import { decodeVirtualCollectionId, encodeVirtualCollectionId } from '../../../src/domain/collections/virtual-id.ts';
import { parseSearchTerm } from '../../../src/db/rom-query/search.ts';
import { parseQueryBool, parseQueryDateTime } from '../../../src/contract/query.ts';
import { codepointCompare, isTopLevel, toSiblingSchema } from '../../../src/domain/roms/mapper-parts.ts';
import { filterFromCriteria } from '../../../src/domain/roms/filter.ts';
import { likeEscape } from '../../../src/db/rom-query/sql.ts';

describe('virtual collection ids', () => {
  it('match Python’s base64(json.dumps({"name", "type"})) byte for byte', () => {
    // Values produced by CPython 3 `base64.urlsafe_b64encode(json.dumps({...}).encode())`.
    expect(encodeVirtualCollectionId('RPG', 'genre')).toBe('eyJuYW1lIjogIlJQRyIsICJ0eXBlIjogImdlbnJlIn0=');
    expect(encodeVirtualCollectionId('Nintendo', 'company')).toBe('eyJuYW1lIjogIk5pbnRlbmRvIiwgInR5cGUiOiAiY29tcGFueSJ9');
    expect(encodeVirtualCollectionId('Pokémon "X"', 'franchise')).toBe('eyJuYW1lIjogIlBva1x1MDBlOW1vbiBcIlhcIiIsICJ0eXBlIjogImZyYW5jaGlzZSJ9');
    expect(encodeVirtualCollectionId('日本', 'genre')).toBe('eyJuYW1lIjogIlx1NjVlNVx1NjcyYyIsICJ0eXBlIjogImdlbnJlIn0=');
  });

  it('decode back, and reject garbage without throwing', () => {
    expect(decodeVirtualCollectionId(encodeVirtualCollectionId('Pokémon "X"', 'franchise'))).toEqual({ name: 'Pokémon "X"', type: 'franchise' });
    expect(decodeVirtualCollectionId('!!!')).toBeNull();
    expect(decodeVirtualCollectionId(Buffer.from('[1,2]').toString('base64'))).toBeNull();
    expect(decodeVirtualCollectionId(Buffer.from('{"name": 1}').toString('base64'))).toBeNull();
  });
});

describe('search terms', () => {
  it('split on |, lower-case words, detect hashes', () => {
    expect(parseSearchTerm(' Super  Mario | ZELDA |  ')).toEqual([
      { words: ['super', 'mario'], phrase: 'super mario', hash: null },
      { words: ['zelda'], phrase: 'zelda', hash: null },
    ]);
    expect(parseSearchTerm('AABBCCDD')[0]?.hash).toEqual({ length: 8, value: 'aabbccdd' });
    expect(parseSearchTerm('a'.repeat(32))[0]?.hash?.length).toBe(32);
    expect(parseSearchTerm('f'.repeat(40))[0]?.hash?.length).toBe(40);
    expect(parseSearchTerm('abcdefg1')[0]?.hash).toBeNull();
    expect(parseSearchTerm('abc')[0]?.hash).toBeNull();
  });

  it('bound the statement for hostile input', () => {
    const terms = parseSearchTerm(Array.from({ length: 100 }, (_, i) => `t${i} ${'w '.repeat(100)}${'x'.repeat(1000)}`).join('|'));
    expect(terms.length).toBeLessThanOrEqual(16);
    for (const t of terms) {
      expect(t.words.length).toBeLessThanOrEqual(16);
      expect(Math.max(...t.words.map((w) => w.length))).toBeLessThanOrEqual(200);
    }
    expect(parseSearchTerm('a\u0000b')[0]?.words).toEqual(['ab']);
    expect(likeEscape('100%_!')).toBe('100!%!_!!');
  });
});

describe('query parsing', () => {
  it('reads booleans like pydantic', () => {
    for (const v of ['true', 'TRUE', '1', 'yes', 'On', 't', 'Y']) expect(parseQueryBool(v)).toBe(true);
    for (const v of ['false', '0', 'NO', 'off', 'f', 'n']) expect(parseQueryBool(v)).toBe(false);
    expect(parseQueryBool(undefined, true)).toBe(true);
    expect(() => parseQueryBool('maybe')).toThrow();
  });

  it('reads ISO datetimes, naive as UTC', () => {
    expect(parseQueryDateTime('d', '2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseQueryDateTime('d', '2026-01-02T03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseQueryDateTime('d', '2026-01-02 03:04:05.5+01:00')).toBe(Date.UTC(2026, 0, 2, 2, 4, 5, 500));
    expect(parseQueryDateTime('d', '2026-01-02')).toBe(Date.UTC(2026, 0, 2));
    expect(parseQueryDateTime('d', undefined)).toBeUndefined();
    for (const bad of ['2026-02-30', '2026-01-02T25:00', 'yesterday', '']) expect(() => parseQueryDateTime('d', bad)).toThrow();
  });
});

describe('mapper parts', () => {
  it('computes sort_comparator as RomM does', () => {
    const s = (name: string | null, noTags = 'Fallback') => toSiblingSchema({ rom_id: 1, id: 2, name, fs_name_no_tags: noTags, fs_name_no_ext: noTags, is_main_sibling: 1 });
    expect(s('The Legend of Zelda').sort_comparator).toBe('legend of zelda');
    expect(s('A Boy and His Blob').sort_comparator).toBe('boy and his blob');
    expect(s('And Yet It Moves').sort_comparator).toBe('yet it moves');
    expect(s('Theme Park').sort_comparator).toBe('theme park');
    expect(s(null, 'the Game').sort_comparator).toBe('game');
    expect(s('X').is_main_sibling).toBe(true);
  });

  it('tells top-level files as RomM does', () => {
    expect(isTopLevel({ file_path: 'roms/gba', file_name: 'a.gba' }, 'roms/gba/a.gba')).toBe(true);
    expect(isTopLevel({ file_path: 'roms/psx/Game', file_name: 'd1.bin' }, 'roms/psx/Game')).toBe(true);
    expect(isTopLevel({ file_path: 'roms/psx/Game/ost', file_name: 't.mp3' }, 'roms/psx/Game')).toBe(false);
  });

  it('sorts strings by code point, as Python does', () => {
    expect(['b', 'B', 'a', '\u{1F600}', '\uFF01'].sort(codepointCompare)).toEqual(['B', 'a', 'b', '\uFF01', '\u{1F600}']);
  });
});

describe('smart collection criteria', () => {
  it('read current and legacy keys with the list’s semantics', () => {
    expect(filterFromCriteria({ platform_id: 3, selected_genre: 'RPG', selected_status: ['finished'], statuses_logic: 'none', matched: true, last_played: true, smart_collection_id: 9, order_by: 'name' }))
      .toEqual({ platformIds: [3], facets: { genres: { values: ['RPG'], logic: 'any' } }, statuses: { values: ['finished'], logic: 'none' }, bools: { matched: true } });
    expect(filterFromCriteria('nonsense')).toEqual({});
    expect(filterFromCriteria({ genres: ['A', 'B'], genres_logic: 'all', search_term: 'x' })).toEqual({ searchTerm: 'x', facets: { genres: { values: ['A', 'B'], logic: 'all' } } });
  });
});
