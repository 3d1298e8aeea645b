import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pyJsonDumps } from '../../../src/domain/collections/py-json.ts';
import { parseRomIds } from '../../../src/domain/collections/collections-service.ts';
import { parseCriteria } from '../../../src/domain/collections/smart-service.ts';
import { kindsForType } from '../../../src/domain/collections/virtual-service.ts';

const python = (value: unknown) =>
  execFileSync('python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin)))'], { input: JSON.stringify(value) }).toString();

describe('pyJsonDumps (filter_summary)', () => {
  it.each([
    [{ genres: ['RPG'], genres_logic: 'any' }],
    [{ search_term: 'Pokémon ドラゴン 🎮', nested: { a: [1, 2, null, true, false] } }],
    [{ q: 'quote " back \\ tab \t nl \n ctrl \u0001 del \u007f' }],
    [{}],
    [{ platform_ids: [1, 22, 333], n: -5 }],
  ])('matches Python json.dumps for %j', (value) => {
    expect(pyJsonDumps(value)).toBe(python(value));
  });
});

describe('input parsing', () => {
  it('parseCriteria accepts JSON objects and refuses the rest with RomM\'s 400', () => {
    expect(parseCriteria('{"a": 1}')).toEqual({ a: 1 });
    for (const bad of ['{', '', '[1]', '"x"', 'null', '3']) {
      expect(() => parseCriteria(bad)).toThrow(expect.objectContaining({ status: 400, detail: 'Invalid JSON for filter_criteria field' }));
    }
  });

  it('parseRomIds accepts integer arrays only', () => {
    expect(parseRomIds('[1, 2,3]')).toEqual([1, 2, 3]);
    expect(parseRomIds('[]')).toEqual([]);
    for (const bad of ['[1,', '{"a":1}', '["1"]', '[1.5]', '1']) {
      expect(() => parseRomIds(bad)).toThrow(expect.objectContaining({ status: 422, detail: 'Invalid list for rom_ids field in update collection' }));
    }
  });

  it('kindsForType maps RomM types to facet kinds', () => {
    expect(kindsForType('mode')).toEqual(['game_mode']);
    expect(kindsForType('all')).toEqual(['genre', 'franchise', 'collection', 'game_mode', 'company']);
    expect(kindsForType('region')).toEqual([]);
  });
});

describe('pickCovers', () => {
  it('takes the first five members with a cover, probing further only for collections still short', async () => {
    const { pickCovers } = await import('../../../src/domain/collections/cover-pick.ts');
    const withCover = new Set([3, 40, 41, 42, 43, 44, 45, 500]);
    const lookups: number[][] = [];
    const lookup = async (ids: number[]) => {
      lookups.push(ids);
      return ids.filter((id) => withCover.has(id)).map((id) => ({ id, path_cover_s: `s${id}`, path_cover_l: id === 40 ? '' : `l${id}` }));
    };
    const big = Array.from({ length: 1000 }, (_, i) => i);
    const out = await pickCovers([{ key: 'big', romIds: big }, { key: 'none', romIds: [1, 2] }], lookup);
    expect(out.get('big')).toEqual({ small: ['s3', 's40', 's41', 's42', 's43'], large: ['l3', 'l41', 'l42', 'l43'], rows: 5 });
    expect(out.get('none')).toMatchObject({ small: [], large: [] });
    expect(lookups.flat().length).toBeLessThan(100);
  });
});
