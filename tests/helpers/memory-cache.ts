import type { CachedAnswer, MetadataCacheRepository } from '../../src/db/repositories/metadata-cache-repository.ts';

/** The answer cache of online providers, in memory (`rows` keyed `provider/key`), for unit tests of the clients. */
export class MemoryCache {
  readonly rows = new Map<string, CachedAnswer & { ttl: number; expires: number }>();

  get(p: string, k: string, now: number): Promise<CachedAnswer | null> {
    const r = this.rows.get(`${p}/${k}`);
    return Promise.resolve(r && r.expires > now ? { status: r.status, body: r.body } : null);
  }

  put(p: string, k: string, a: CachedAnswer, now: number, ttl: number): Promise<void> {
    this.rows.set(`${p}/${k}`, { ...a, ttl, expires: now + ttl });
    return Promise.resolve();
  }

  /** This cache where a client wants the repository. */
  get repository(): MetadataCacheRepository {
    return this as unknown as MetadataCacheRepository;
  }
}
