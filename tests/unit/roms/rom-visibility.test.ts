import { describe, expect, it } from 'vitest';
import { permissionHides } from '../../../src/db/rom-query/filters.ts';
import { NOTHING_HIDDEN, type HiddenSets } from '../../../src/db/repositories/hidden.ts';
import type { RomVisibilityRepository } from '../../../src/db/repositories/rom-visibility-repository.ts';
import { RomVisibility } from '../../../src/domain/roms/visibility.ts';

/** A repository over a fixed ROM → platform map that counts its queries. */
function fakeRepo(platformOf: Record<number, number>) {
  const calls: string[] = [];
  const repo = {
    platformOfRom: (id: number) => {
      calls.push('platformOfRom');
      return Promise.resolve(platformOf[id] ?? null);
    },
    romOfFile: (fileId: number) => {
      calls.push('romOfFile');
      const romId = fileId - 1000;
      return Promise.resolve(platformOf[romId] === undefined ? null : { romId, platformId: platformOf[romId] });
    },
    romIdsOnPlatforms: (ids: readonly number[]) => {
      calls.push('romIdsOnPlatforms');
      return Promise.resolve(Object.entries(platformOf).filter(([, p]) => ids.includes(p)).map(([r]) => Number(r)));
    },
  };
  return { repo: repo as unknown as RomVisibilityRepository, calls };
}

const visibility = (hidden: HiddenSets, platformOf: Record<number, number> = { 1: 10, 2: 10, 3: 20, 4: 30 }) => {
  const { repo, calls } = fakeRepo(platformOf);
  return { v: new RomVisibility({ hiddenFor: () => Promise.resolve(hidden) }, repo), calls };
};

describe('hide lists in the ROM query engine', () => {
  it('adds no condition at all for callers without hides', () => {
    expect(permissionHides({ userId: 1, regionPriority: [] })).toEqual([]);
    expect(permissionHides({ userId: 1, regionPriority: [], hidden: NOTHING_HIDDEN })).toEqual([]);
    expect(permissionHides({ userId: 1, regionPriority: [], hidden: { platformIds: [2], romIds: [] } })).toHaveLength(1);
  });
});

describe('RomVisibility', () => {
  it('answers without a query when the caller hides nothing', async () => {
    const { v, calls } = visibility(NOTHING_HIDDEN);
    await expect(v.assertRom(1, 7)).resolves.toBeUndefined();
    await expect(v.assertFile(1001, 7, () => new Error('x') as never)).resolves.toBeUndefined();
    expect(await v.dropHidden([1, 2, 3], 7)).toEqual([1, 2, 3]);
    const schemas = [{ rom_ids: [1, 2], rom_count: 2 }];
    expect(await v.dropHiddenMembers(schemas, 7)).toBe(schemas);
    expect(calls).toEqual([]);
  });

  it('masks a hidden ROM, a ROM of a hidden platform and their files as missing', async () => {
    const { v } = visibility({ platformIds: [20], romIds: [1] });
    await expect(v.assertRom(1, 7)).rejects.toMatchObject({ status: 404, detail: "Rom with id '1' not found" });
    await expect(v.assertRom(3, 7)).rejects.toMatchObject({ status: 404, detail: "Rom with id '3' not found" });
    await expect(v.assertRom(2, 7)).resolves.toBeUndefined();
    // An unknown id is left to the route's own 404.
    await expect(v.assertRom(99, 7)).resolves.toBeUndefined();
    const fileMissing = () => ({ status: 404, detail: 'File not found' }) as never;
    await expect(v.assertFile(1003, 7, fileMissing)).rejects.toMatchObject({ detail: 'File not found' });
    await expect(v.assertFile(1002, 7, fileMissing)).resolves.toBeUndefined();
  });

  it('drops hidden members from id lists and collections, keeping their order', async () => {
    const { v } = visibility({ platformIds: [10], romIds: [4] });
    expect(await v.dropHidden([4, 3, 2, 1], 7)).toEqual([3]);
    const kept = { rom_ids: [3], rom_count: 1, name: 'a' };
    const out = await v.dropHiddenMembers([{ rom_ids: [1, 3, 4], rom_count: 3, name: 'b' }, kept], 7);
    expect(out).toEqual([{ rom_ids: [3], rom_count: 1, name: 'b' }, kept]);
    expect(out[1]).toBe(kept);
  });
});
