import { describe, expect, it } from 'vitest';
import type { CollectionAccessRow } from '../../../src/db/repositories/collections-repository.ts';
import { SmartSources, sourcesOf } from '../../../src/domain/collections/smart-sources.ts';

const OWNER = 1;
const OTHER = 2;
const COLLECTIONS: CollectionAccessRow[] = [
  { id: 10, user_id: OWNER, is_public: 0, is_favorite: 0 },
  { id: 11, user_id: OWNER, is_public: 1, is_favorite: 0 },
  { id: 12, user_id: OWNER, is_public: 0, is_favorite: 1 },
  { id: 20, user_id: OTHER, is_public: 1, is_favorite: 1 },
];

function lookup() {
  const calls: [number[], number[]][] = [];
  const sources = new SmartSources({
    sourceAccess: (ids, favouritesOf) => {
      calls.push([[...ids], [...favouritesOf]]);
      return Promise.resolve(COLLECTIONS.filter((c) => ids.includes(c.id) || (c.is_favorite && favouritesOf.includes(c.user_id))));
    },
  });
  return { sources, calls };
}

const smart = (id: number, userId: number, criteria: unknown) => ({ id, user_id: userId, filter_criteria: JSON.stringify(criteria) });

describe('smart collection sources', () => {
  it('names the collection and the owner\'s favourites the criteria draw from', () => {
    expect(sourcesOf(smart(1, OWNER, { collection_id: 10, favorite: false }))).toEqual({ collectionId: 10, favouritesOf: OWNER });
    expect(sourcesOf(smart(1, OWNER, { genres: ['RPG'] }))).toEqual({});
    expect(sourcesOf({ id: 1, user_id: OWNER, filter_criteria: 'not json' })).toEqual({});
  });

  it('cached membership: the owner sees it, others only when every source is readable to them', async () => {
    const { sources, calls } = lookup();
    const rows = [
      smart(1, OWNER, { collection_id: 10 }),
      smart(2, OWNER, { collection_id: 11 }),
      smart(3, OWNER, { favorite: true }),
      smart(4, OTHER, { favorite: true }),
      smart(5, OWNER, { genres: ['RPG'] }),
      smart(6, OWNER, { collection_id: 999 }),
    ];
    expect([...await sources.membershipVisible(OWNER, rows)].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(calls).toHaveLength(1);
    expect([...await sources.membershipVisible(OTHER, rows)].sort()).toEqual([2, 4, 5, 6]);
    expect([...await sources.membershipVisible(null, rows)].sort()).toEqual([2, 4, 5, 6]);
    expect(calls).toHaveLength(3);
  });

  it('live evaluation: an unreadable named collection empties the set or answers 403', async () => {
    const { sources } = lookup();
    await expect(sources.filterFor(OTHER, { collection_id: 10 }, 'empty')).resolves.toEqual({ smart: null });
    await expect(sources.filterFor(OTHER, { collection_id: 10 }, 'forbid')).rejects.toMatchObject({ status: 403 });
    await expect(sources.filterFor(OWNER, { collection_id: 10 }, 'forbid')).resolves.toEqual({ collectionId: 10 });
    await expect(sources.filterFor(OTHER, { collection_id: 11 }, 'forbid')).resolves.toEqual({ collectionId: 11 });
    await expect(sources.filterFor(OTHER, { collection_id: 999 }, 'forbid')).resolves.toEqual({ collectionId: 999 });
    await expect(sources.filterFor(OTHER, { collection_id: 999 }, 'empty')).resolves.toEqual({ smart: null });
  });
});
