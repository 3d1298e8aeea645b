/**
 * The RetroAchievements source (`ra`), enabled by RETROACHIEVEMENTS_API_KEY. A ROM is found as RomM finds it: by a
 * `(ra-N)` tag in its file name, else by its stored `ra_id`, else by its hash in the console's game list (fetched
 * once per platform and kept REFRESH_RETROACHIEVEMENTS_CACHE_DAYS days). The hash is RetroAchievements' own where the
 * scanner has one, else the file's MD5, which is RetroAchievements' hash for most cartridge consoles.
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import type { MetadataPlatform, MetadataProvider, MetadataRom, MetadataSearch, PlatformSession, ProviderMatch } from '../types.ts';
import { buildRaMatch } from './blob.ts';
import { RaClient, type RaClientOptions, type RaGameDetails } from './client.ts';
import { raConsole } from './platforms.ts';

export interface RaProviderOptions {
  /** config.metadata.online.retroachievements. */
  config: { apiKey: string | null; url: string; refreshCacheDays: number };
  cache?: MetadataCacheRepository | null;
  timeoutMs?: number;
  /** Injected in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const TAG_RE = /\(ra-(\d+)\)/i;

export class RetroAchievementsProvider implements MetadataProvider {
  readonly id = 'ra' as const;
  readonly heartbeatFlag = 'RA_API_ENABLED';
  readonly online = true;
  readonly client: RaClient | null;

  constructor(opts: RaProviderOptions) {
    if (opts.config.apiKey) {
      const o: RaClientOptions = {
        baseUrl: opts.config.url, apiKey: opts.config.apiKey, refreshCacheDays: opts.config.refreshCacheDays,
        cache: opts.cache ?? null, timeoutMs: opts.timeoutMs ?? 30_000,
      };
      if (opts.fetch) o.fetch = opts.fetch;
      if (opts.sleep) o.sleep = opts.sleep;
      this.client = new RaClient(o);
    } else {
      this.client = null;
    }
  }

  available(): Promise<boolean> {
    return Promise.resolve(this.client !== null);
  }

  async health(): Promise<boolean> {
    return this.client ? this.client.healthy() : false;
  }

  fingerprint(platform: MetadataPlatform): Promise<string | null> {
    return Promise.resolve(this.client && raConsole(platform.slug) ? 'online:v1' : null);
  }

  prepare(): Promise<void> {
    this.client?.http.reset();
    return Promise.resolve();
  }

  async open(platform: MetadataPlatform): Promise<PlatformSession | null> {
    const console = raConsole(platform.slug);
    if (!this.client || !console) return null;
    return new RaSession(this.client, platform.id, await this.client.hashIndex(console.id));
  }

  /** By id only: RetroAchievements has no name search (RomM offers none either). */
  async search(query: MetadataSearch): Promise<ProviderMatch[]> {
    if (!this.client || query.by !== 'id' || !raConsole(query.platform.slug)) return [];
    const id = /^\d{1,10}$/.test(query.term.trim()) ? Number(query.term.trim()) : 0;
    const game = id ? await this.client.game(id) : null;
    // A search result is not stored yet: its badges are placed under ROM 0 until the ROM is matched and rescanned.
    return game ? [buildRaMatch(game, { platformId: query.platform.id, romId: 0 })] : [];
  }
}

class RaSession implements PlatformSession {
  constructor(private readonly client: RaClient, private readonly platformId: number, private readonly hashes: Map<string, number>) {}

  async lookup(rom: MetadataRom): Promise<ProviderMatch | null> {
    const game = await this.find(rom);
    return game ? buildRaMatch(game, { platformId: this.platformId, romId: rom.id }) : null;
  }

  private async find(rom: MetadataRom): Promise<RaGameDetails | null> {
    const tag = TAG_RE.exec(rom.fsName);
    const tagged = tag ? Number(tag[1]) : 0;
    if (Number.isSafeInteger(tagged) && tagged > 0) {
      const game = await this.client.game(tagged);
      if (game) return game;
    }
    const stored = Number(rom.ids.ra_id ?? 0);
    if (Number.isSafeInteger(stored) && stored > 0) {
      const game = await this.client.game(stored);
      if (game) return game;
    }
    const hash = (rom.raHash ?? rom.md5 ?? '').toLowerCase();
    const id = hash ? this.hashes.get(hash) : undefined;
    return id ? this.client.game(id) : null;
  }
}
