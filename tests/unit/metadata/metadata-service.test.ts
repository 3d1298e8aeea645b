import { describe, expect, it } from 'vitest';
import type { MetadataRepository } from '../../../src/db/repositories/metadata-repository.ts';
import { MetadataService } from '../../../src/domain/metadata/metadata-service.ts';
import type { MetadataProvider } from '../../../src/metadata/types.ts';

function provider(id: 'igdb' | 'libretro', flag: string, on: () => boolean, calls: { n: number }): MetadataProvider {
  return {
    id, heartbeatFlag: flag, fingerprint: () => Promise.resolve(null), open: () => Promise.resolve(null),
    available: () => { calls.n++; return Promise.resolve(on()); },
  };
}

describe('MetadataService availability', () => {
  it('checks providers once for a burst of heartbeats, again after a few seconds', async () => {
    let t = 0;
    let igdbOn = false;
    const calls = { n: 0 };
    const service = new MetadataService({} as MetadataRepository, [
      provider('igdb', 'IGDB_API_ENABLED', () => igdbOn, calls), provider('libretro', 'LIBRETRO_API_ENABLED', () => true, calls),
    ], () => t);
    for (let i = 0; i < 5; i++) {
      expect(await service.heartbeatFlags()).toEqual({ IGDB_API_ENABLED: false, LIBRETRO_API_ENABLED: true, ANY_SOURCE_ENABLED: true });
    }
    expect(await service.availableSources()).toEqual(['libretro']);
    expect(calls.n).toBe(2);
    igdbOn = true;
    t = 6_000;
    expect((await service.heartbeatFlags()).IGDB_API_ENABLED).toBe(true);
    expect(calls.n).toBe(4);
  });
});
