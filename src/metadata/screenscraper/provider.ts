/**
 * The ScreenScraper source (`ss`), enabled by SCREENSCRAPER_USER and SCREENSCRAPER_PASSWORD. A ROM is found as RomM
 * finds it: by its stored `ss_id`, else by jeuInfos with its hashes and file name, else by a `(ssfr-N)` tag, else by
 * a name search. Each pass reads the account's thread allowance once and never runs more calls at once; a spent
 * daily quota or refused credentials stop the source for the rest of the pass.
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import type { MetadataPlatform, MetadataProvider, MetadataRom, MetadataSearch, PlatformSession, ProviderMatch } from '../types.ts';
import { buildSsMatch, type SsBuildContext } from './blob.ts';
import { ScreenScraperClient, type ScreenScraperClientOptions } from './client.ts';
import { bestMatch, isNotGame, SPLIT_RE, ssIdTag, ssSearchTerm } from './matching.ts';
import { SS_ARCADE_SYSTEMS, ssSystem } from './platforms.ts';
import type { SsGame } from './types.ts';

export interface ScreenScraperProviderOptions {
  /** config.metadata.online.screenscraper. */
  config: { user: string | null; password: string | null; devId: string | null; devPassword: string | null; url: string };
  cache?: MetadataCacheRepository | null;
  timeoutMs?: number;
  /** `scan.priority.region` (default RomM's). */
  regionPriority?: readonly string[];
  regionMode?: 'prefer_rom_tags' | 'prefer_config';
  /** `scan.priority.language` (default RomM's: English). */
  languagePriority?: readonly string[];
  /** Injected in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const CD_EXTENSIONS = new Set(['iso', 'cue', 'chd', 'gdi', 'cdi', 'bin']);
const MAX_RESULTS = 20;

export class ScreenScraperProvider implements MetadataProvider {
  readonly id = 'ss' as const;
  readonly heartbeatFlag = 'SS_API_ENABLED';
  readonly online = true;
  readonly client: ScreenScraperClient | null;
  private readonly context: Omit<SsBuildContext, 'romRegions'>;

  constructor(opts: ScreenScraperProviderOptions) {
    const c = opts.config;
    if (c.user && c.password) {
      const clientOpts: ScreenScraperClientOptions = {
        baseUrl: c.url, cache: opts.cache ?? null, timeoutMs: opts.timeoutMs ?? 30_000,
        credentials: { user: c.user, password: c.password, devId: c.devId, devPassword: c.devPassword },
      };
      if (opts.fetch) clientOpts.fetch = opts.fetch;
      if (opts.sleep) clientOpts.sleep = opts.sleep;
      this.client = new ScreenScraperClient(clientOpts);
    } else {
      this.client = null;
    }
    this.context = {
      regionPriority: opts.regionPriority ?? ['us', 'wor', 'ss', 'eu', 'jp'],
      regionMode: opts.regionMode ?? 'prefer_rom_tags',
      languagePriority: opts.languagePriority ?? ['en'],
    };
  }

  available(): Promise<boolean> {
    return Promise.resolve(this.client !== null);
  }

  async health(): Promise<boolean> {
    return this.client ? this.client.healthy() : false;
  }

  /** Online: nothing to stat; a quick scan visits only ROMs the pass has not seen. */
  fingerprint(platform: MetadataPlatform): Promise<string | null> {
    return Promise.resolve(this.client && ssSystem(platform.slug) ? 'online:v1' : null);
  }

  async prepare(): Promise<void> {
    await this.client?.begin();
  }

  open(platform: MetadataPlatform): Promise<PlatformSession | null> {
    const system = ssSystem(platform.slug);
    if (!this.client || !system) return Promise.resolve(null);
    return Promise.resolve(new ScreenScraperSession(this.client, system.id, this.context));
  }

  async search(query: MetadataSearch): Promise<ProviderMatch[]> {
    const system = ssSystem(query.platform.slug);
    if (!this.client || !system) return [];
    const ctx: SsBuildContext = { ...this.context, romRegions: [] };
    const term = query.term.trim();
    if (query.by === 'id') {
      const id = /^\d{1,12}$/.test(term) ? Number(term) : 0;
      if (!id) return [];
      const game = await this.client.gameInfo({ gameId: id });
      return game && !isNotGame(game) ? [buildSsMatch(game, ctx)] : [];
    }
    if (!term) return [];
    const games = await this.client.search(ssSearchTerm(term), system.id);
    // RomM keeps the entries that have a ScreenScraper-region name (the canonical ones).
    return games.filter((g) => !isNotGame(g) && (g.noms ?? []).some((n) => n.region === 'ss'))
      .slice(0, MAX_RESULTS).map((g) => buildSsMatch(g, ctx));
  }
}

class ScreenScraperSession implements PlatformSession {
  constructor(private readonly client: ScreenScraperClient, private readonly systemId: number, private readonly context: Omit<SsBuildContext, 'romRegions'>) {}

  async lookup(rom: MetadataRom): Promise<ProviderMatch | null> {
    const game = await this.find(rom);
    return game ? buildSsMatch(game, { ...this.context, romRegions: rom.regions }) : null;
  }

  private async find(rom: MetadataRom): Promise<SsGame | null> {
    const stored = Number(rom.ids.ss_id ?? 0);
    if (Number.isSafeInteger(stored) && stored > 0) {
      const game = await this.client.gameInfo({ gameId: stored });
      if (game) return isNotGame(game) ? null : game;
    }
    const byHash = await this.client.gameInfo({
      systemId: this.systemId, crc: rom.crc, md5: rom.md5, sha1: rom.sha1, romName: rom.fsName, romType: romType(rom),
    });
    // A "not a game" entry (BIOS, demo disc menu) ends the search, as in RomM.
    if (byHash) return isNotGame(byHash) ? null : byHash;

    const tagged = ssIdTag(rom.fsName);
    if (tagged !== null) {
      const game = await this.client.gameInfo({ gameId: tagged });
      if (game && !isNotGame(game)) return game;
    }
    const title = rom.fsNameNoTags.trim();
    if (!title) return null;
    // Arcade sets are searched as named (RomM first maps MAME short names to titles with its MAME index).
    const term = SS_ARCADE_SYSTEMS.has(this.systemId) ? title : ssSearchTerm(title);
    const found = bestMatch(term, await this.client.search(term, this.systemId));
    if (found || !title.includes(' : ')) return found;
    const last = title.split(SPLIT_RE).pop()?.trim() ?? '';
    return last ? bestMatch(last, await this.client.search(last, this.systemId), true) : null;
  }
}

/** RomM's `romtype`: a folder ROM is a `dossier`, a disc image an `iso`, anything else a `rom`. */
function romType(rom: MetadataRom): 'rom' | 'iso' | 'dossier' {
  const dot = rom.fsName.lastIndexOf('.');
  if (dot <= 0 || rom.fsNameNoExt === rom.fsName) return 'dossier';
  return CD_EXTENSIONS.has(rom.fsName.slice(dot + 1).toLowerCase()) ? 'iso' : 'rom';
}
