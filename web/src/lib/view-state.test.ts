import { describe, expect, it } from 'vitest';
import {
  activeFilterCount, DEFAULT_VIEW, type GalleryView, viewFromQuery, viewToApiParams, viewToFilterCriteria, viewToQuery,
} from './view-state';

const busy: GalleryView = {
  search: 'mario kart',
  sort: 'fs_size_bytes',
  dir: 'desc',
  layout: 'list',
  filters: {
    regions: { values: ['USA', 'Europe'], logic: 'all' },
    languages: { values: ['En'], logic: 'any' },
    tags: { values: ['Beta'], logic: 'none' },
    platforms: { values: ['3', '7'], logic: 'any' },
  },
  bools: { favorite: true, missing: false },
  at: 1234,
};

describe('view state in the URL', () => {
  it('omits every default, so the plain gallery URL has no query', () => {
    expect(viewToQuery(DEFAULT_VIEW)).toBe('');
    expect(viewFromQuery('')).toEqual(DEFAULT_VIEW);
  });

  it('round-trips a view through the query string', () => {
    const query = viewToQuery(busy);
    expect(viewFromQuery(query)).toEqual(busy);
  });

  it('writes lists as repeated keys and logic only when not "any"', () => {
    const q = new URLSearchParams(viewToQuery(busy));
    expect(q.getAll('regions')).toEqual(['USA', 'Europe']);
    expect(q.get('regions_logic')).toBe('all');
    expect(q.get('languages_logic')).toBeNull();
    expect(q.get('missing')).toBe('false');
  });

  it('falls back to defaults for unknown or malformed values', () => {
    const v = viewFromQuery('sort=DROP TABLE&dir=sideways&view=cards&at=-5&favorite=maybe&genres_logic=xor&genres=RPG');
    expect(v.sort).toBe('name');
    expect(v.dir).toBe('asc');
    expect(v.layout).toBe('grid');
    expect(v.at).toBe(0);
    expect(v.bools).toEqual({});
    expect(v.filters.genres).toEqual({ values: ['RPG'], logic: 'any' });
  });

  it('reads FastAPI-style booleans', () => {
    expect(viewFromQuery('favorite=1&matched=off').bools).toEqual({ favorite: true, matched: false });
  });

  it('counts active filters', () => {
    expect(activeFilterCount(busy)).toBe(6);
    expect(activeFilterCount(DEFAULT_VIEW)).toBe(0);
  });
});

describe('filters to /api/roms parameters', () => {
  it('maps search, sort, lists with logic and booleans', () => {
    expect(viewToApiParams(busy, { kind: 'all' })).toEqual({
      order_by: 'fs_size_bytes',
      order_dir: 'desc',
      search_term: 'mario kart',
      platform_ids: [3, 7],
      regions: ['USA', 'Europe'],
      regions_logic: 'all',
      languages: ['En'],
      tags: ['Beta'],
      tags_logic: 'none',
      favorite: true,
      missing: false,
    });
  });

  it('narrows to the scope: a platform scope wins over the platform filter', () => {
    const p = viewToApiParams(busy, { kind: 'platform', id: 9 });
    expect(p.platform_ids).toEqual([9]);
    expect(viewToApiParams(DEFAULT_VIEW, { kind: 'collection', id: 4 })).toMatchObject({ collection_id: 4 });
    expect(viewToApiParams(DEFAULT_VIEW, { kind: 'smart', id: 5 })).toMatchObject({ smart_collection_id: 5 });
    expect(viewToApiParams(DEFAULT_VIEW, { kind: 'virtual', id: 'eyJ9' })).toMatchObject({ virtual_collection_id: 'eyJ9' });
  });

  it('drops an empty search and non-numeric platform ids', () => {
    const p = viewToApiParams({ ...DEFAULT_VIEW, search: '   ', filters: { platforms: { values: ['x'], logic: 'any' } } }, { kind: 'all' });
    expect(p).toEqual({ order_by: 'name', order_dir: 'asc' });
  });

  it('builds smart-collection criteria in RomM keys', () => {
    expect(viewToFilterCriteria(busy, { kind: 'all' })).toEqual({
      order_by: 'fs_size_bytes',
      order_dir: 'desc',
      search_term: 'mario kart',
      platform_ids: [3, 7],
      regions: ['USA', 'Europe'],
      regions_logic: 'all',
      languages: ['En'],
      languages_logic: 'any',
      tags: ['Beta'],
      tags_logic: 'none',
      favorite: true,
      missing: false,
    });
  });
});

describe('DAT status filter and 1G1R', () => {
  const dat: GalleryView = { ...DEFAULT_VIEW, filters: { dat_statuses: { values: ['bad_dump', 'unknown'], logic: 'none' } }, oneGame: true };

  it('round-trips through the URL and leaves the flag out when off', () => {
    const query = viewToQuery(dat);
    expect(new URLSearchParams(query).get('1g1r')).toBe('true');
    expect(viewFromQuery(query)).toEqual(dat);
    expect(viewFromQuery('1g1r=false').oneGame).toBeUndefined();
    expect(viewToQuery({ ...DEFAULT_VIEW, oneGame: false })).toBe('');
  });

  it('sends dat_statuses with its logic and group_by_dat_parent', () => {
    expect(viewToApiParams(dat, { kind: 'platform', id: 2 })).toEqual({
      order_by: 'name', order_dir: 'asc', platform_ids: [2],
      dat_statuses: ['bad_dump', 'unknown'], dat_statuses_logic: 'none', group_by_dat_parent: true,
    });
    expect(viewToApiParams(DEFAULT_VIEW, { kind: 'all' })).not.toHaveProperty('group_by_dat_parent');
  });

  it('counts both as active filters', () => {
    expect(activeFilterCount(dat)).toBe(2);
  });
});
