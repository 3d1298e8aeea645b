/**
 * SteamGridDB (`sgdb`), enabled by `STEAMGRIDDB_API_KEY`: a cover for a ROM and its `sgdb_id`, as RomM's scan takes
 * them (scan_handler.fetch_sgdb_details): a ROM with an sgdb_id is refreshed by id; otherwise the names the other
 * sources found for it (looked up first: `lookupLast`) and then its file name without tags are searched in turn
 * (matching.ts), and the first game with a static, unflagged cover wins. The cover is a `{ url }` for the media store
 * and `url_cover`; whether it beats another source's cover is config.yml's `scan.priority.artwork` (merge.ts).
 * No name, no blob: RomM has no sgdb_metadata column and never takes SteamGridDB's name.
 */
import type { LookupContext, MetadataProvider, MetadataRom, MetadataSearch, PlatformSession, ProviderMatch } from '../types.ts';
import type { SgdbClient, SgdbGame } from './client.ts';
import { firstCover } from './covers.ts';
import { bestGame, candidateNames, searchTermFor } from './matching.ts';

export class SgdbProvider implements MetadataProvider {
  readonly id = 'sgdb' as const;
  readonly heartbeatFlag = 'STEAMGRIDDB_API_ENABLED';
  readonly online = true;
  readonly lookupLast = true;

  /** Shared with the cover picker (`GET /api/search/cover`), so both keep to one rate limit. */
  constructor(readonly client: SgdbClient) {}

  available(): Promise<boolean> {
    return Promise.resolve(this.client.enabled);
  }

  /** RomM's heartbeat: game 1 can be read with the key (uncached). */
  async health(): Promise<boolean> {
    if (!this.client.enabled) return false;
    this.client.reset();
    return (await this.client.gameById(1, false).catch(() => null)) !== null;
  }

  prepare(): Promise<void> {
    this.client.reset();
    return Promise.resolve();
  }

  /** SteamGridDB is not per platform and cannot be stat-ed. */
  fingerprint(): Promise<string | null> {
    return Promise.resolve('online:v1');
  }

  open(): Promise<PlatformSession | null> {
    return Promise.resolve({ lookup: (rom: MetadataRom, context?: LookupContext) => this.lookup(rom, context?.earlier ?? []) });
  }

  /** Null when nothing matches; ProviderError when SteamGridDB fails (the pass counts it). */
  async lookup(rom: MetadataRom, earlier: readonly ProviderMatch[]): Promise<ProviderMatch | null> {
    const storedId = Number(rom.ids.sgdb_id);
    if (Number.isSafeInteger(storedId) && storedId > 0) {
      const game = await this.client.gameById(storedId);
      // RomM keeps the id with no cover when the game has none; a game gone from SteamGridDB is searched again.
      if (game) return this.matchOf(game, await firstCover(this.client, game));
    }
    const found = await this.byNames(candidateNames(earlier, rom.fsNameNoTags));
    return found ? this.matchOf(found.game, found.cover) : null;
  }

  /** The first candidate name whose best game has a cover (RomM moves on to the next name otherwise). */
  private async byNames(names: readonly string[]): Promise<{ game: SgdbGame; cover: string } | null> {
    for (const name of names) {
      const term = searchTermFor(name);
      if (!term) continue;
      const game = bestGame(term, await this.client.searchGames(term));
      if (!game) continue;
      const cover = await firstCover(this.client, game);
      if (cover) return { game, cover };
    }
    return null;
  }

  private matchOf(game: SgdbGame, cover: string | null): ProviderMatch {
    return { source: 'sgdb', id: game.id, ...(cover ? { urls: { cover }, media: { cover: { url: cover } } } : { media: {} }) };
  }

  /** Manual match (`GET /api/search/roms`): the game a name matches, or the game of an id. */
  async search(query: MetadataSearch): Promise<ProviderMatch[]> {
    if (query.by === 'id') {
      const id = Number(query.term);
      if (!Number.isSafeInteger(id) || id <= 0) return [];
      const game = await this.client.gameById(id);
      return game ? [{ ...this.matchOf(game, await firstCover(this.client, game)), name: game.name }] : [];
    }
    const found = await this.byNames([query.term]);
    return found ? [{ ...this.matchOf(found.game, found.cover), name: found.game.name }] : [];
  }
}
