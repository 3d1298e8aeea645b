import { expect, it } from 'vitest';
import { describeEachEngine } from '../../helpers/engines.ts';
import { MetadataCacheRepository } from '../../../src/db/repositories/metadata-cache-repository.ts';

describeEachEngine('metadata answer cache', (ctx) => {
  it('stores many answers at once without a deadlock, and the same key twice keeps the later answer', async () => {
    const cache = new MetadataCacheRepository(ctx().db.kysely);
    const now = 1_000_000;
    // Concurrent lookups of one pass store different keys at once; on InnoDB a delete-then-insert transaction deadlocked.
    await Promise.all(Array.from({ length: 40 }, (_, i) => cache.put('moby', `key-${i}`, { status: 200, body: `b${i}` }, now, 1000)));
    await Promise.all(Array.from({ length: 10 }, (_, i) => cache.put('moby', 'same', { status: 200, body: `s${i}` }, now, 1000)));
    for (let i = 0; i < 40; i++) expect(await cache.get('moby', `key-${i}`, now)).toEqual({ status: 200, body: `b${i}` });
    expect((await cache.get('moby', 'same', now))?.body).toMatch(/^s\d$/);

    await cache.put('moby', 'key-1', { status: 404, body: '' }, now + 10, 1000);
    expect(await cache.get('moby', 'key-1', now + 10)).toEqual({ status: 404, body: '' });
    expect(await cache.get('moby', 'key-2', now + 1000)).toBeNull();
    expect(await cache.purgeExpired(now + 1000)).toBe(40);
  });
});
