import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { call } from './http.ts';
import { seedRoms } from './seed.ts';

/**
 * 50 clients adding and removing at once must not lose each other's updates: every add of a ROM nobody removes
 * survives, every removal of a ROM nobody re-adds sticks (RomM's read-modify-write of the list lost them).
 */
describeEachEngine('collection membership under concurrency', (ctx) => {
  let t: TestApp;
  let owner: TestUser;
  let roms: number[];

  beforeAll(async () => {
    t = await createTestApp(ctx());
    owner = await createUser(t.services, 'viewer');
    roms = await seedRoms(ctx().db.kysely, Array.from({ length: 100 }, (_, i) => ({ name: `Rom ${i}` })));
  });
  afterAll(async () => t.app.close());

  it('50 concurrent adds and removes on one collection', async () => {
    const id = (await call(t, owner, 'POST', '/api/collections', { form: { name: 'Busy' } })).body.id as number;
    // Start with the second half present; 25 clients add first-half ROMs, 25 remove second-half ROMs.
    const firstHalf = roms.slice(0, 50);
    const secondHalf = roms.slice(50);
    await call(t, owner, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: secondHalf } });
    const jobs = Array.from({ length: 50 }, (_, i) => {
      if (i % 2 === 0) {
        const slice = firstHalf.slice(i, i + 4); // overlapping adds: the same ROM added by two clients
        return call(t, owner, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: slice } });
      }
      const slice = secondHalf.slice(i - 1, i + 3); // overlapping removes
      return call(t, owner, 'DELETE', `/api/collections/${id}/roms`, { json: { rom_ids: slice } });
    });
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const windows = (list: number[]) => new Set(Array.from({ length: 25 }, (_, k) => list.slice(2 * k, 2 * k + 4)).flat());
    const added = windows(firstHalf);
    const removed = windows(secondHalf);
    const expected = [...added, ...secondHalf.filter((r) => !removed.has(r))].sort((a, b) => a - b);
    const final = await call(t, owner, 'GET', `/api/collections/${id}`);
    expect([...final.body.rom_ids].sort((a: number, b: number) => a - b)).toEqual(expected);
    expect(final.body.rom_count).toBe(expected.length);
  });

  it('50 clients adding the same ROMs at once end with each ROM once', async () => {
    const id = (await call(t, owner, 'POST', '/api/collections', { form: { name: 'Same' } })).body.id as number;
    const results = await Promise.all(Array.from({ length: 50 }, () => call(t, owner, 'POST', `/api/collections/${id}/roms`, { json: { rom_ids: roms.slice(0, 10) } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = await call(t, owner, 'GET', `/api/collections/${id}`);
    expect(final.body.rom_count).toBe(10);
  });

  it('concurrent creates with one name make one collection and 409s', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => call(t, owner, 'POST', '/api/collections', { form: { name: 'Race' } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
  });
});
