/**
 * RomM's IGDB look-ups over the client: a game by id, the automatic match of a search term (`_search_rom`: the
 * games endpoint with RomM's game types, widened through `/search`'s alternative names when the best hit is only a
 * prefix of the term or nothing matched), and the manual-match candidates of a name.
 */
import { apicalypse, GAMES_FIELDS, idFilter, MATCH_GAME_TYPES, PAGE_LIMIT, quoted, SEARCH_FIELDS } from './apicalypse.ts';
import { isGame, obj, type IgdbGame } from './blob.ts';
import type { IgdbClient } from './client.ts';
import { findBestMatch, indexBySearchableName, isPrefixSupersetMatch } from './matching.ts';
import { IGDB_PLATFORM, platformsWhere } from './platforms.ts';

export class IgdbSearch {
  constructor(private readonly client: IgdbClient) {}

  async gameById(id: number): Promise<IgdbGame | null> {
    const rows = await this.games({ where: idFilter([id]) });
    return rows.find((g) => g.id === id) ?? rows[0] ?? null;
  }

  /**
   * RomM's `get_rom` search: with the game-type filter first, then without it. The game found is also recorded as
   * the answer of its by-id query, which the next scan asks (a matched ROM is refreshed by its id): no new call.
   */
  async matchTerm(term: string, platformId: number): Promise<IgdbGame | null> {
    const game = (await this.searchRom(term, platformId, true)) ?? (await this.searchRom(term, platformId, false));
    if (game) await this.client.prime('games', apicalypse({ where: idFilter([game.id]), fields: GAMES_FIELDS, limit: PAGE_LIMIT }), [game]);
    return game;
  }

  /** Manual match by name: the games search, then games whose alternative names contain the term; unique ids. */
  async candidates(term: string, platformId: number): Promise<IgdbGame[]> {
    const found = await this.games({ search: term, where: platformsWhere(platformId) });
    const ids = await this.alternativeIds(term, platformId);
    if (ids.length) found.push(...(await this.games({ where: idFilter(ids) })));
    const seen = new Set<number>();
    return found.filter((g) => !seen.has(g.id) && !!seen.add(g.id));
  }

  private async searchRom(term: string, platformId: number, withGameType: boolean): Promise<IgdbGame | null> {
    // ScummVM is a keyword in IGDB, not a platform.
    const base = platformId === IGDB_PLATFORM.scummvm ? `keywords=[${platformId}]` : platformsWhere(platformId);
    const typed = withGameType ? `${base} & game_type=(${MATCH_GAME_TYPES.join(',')})` : base;
    const first = await this.games({ search: term, where: typed });
    let index = indexBySearchableName(first);
    let best = findBestMatch(term, index.keys());
    // An exact hit is trusted; a fuzzy one is too unless it is only a prefix/superset of the term (a variant such
    // as "… Plus" may sit outside this first page or under an excluded game type).
    if (best && (best.score >= 1 || !isPrefixSupersetMatch(term, best.name))) return index.get(best.name) ?? null;

    const extra: IgdbGame[] = [];
    if (withGameType) extra.push(...(await this.games({ search: term, where: base })));
    const ids = await this.alternativeIds(term, platformId);
    if (ids.length) extra.push(...(await this.games({ where: `(${idFilter(ids)})` })));
    if (extra.length) {
      index = indexBySearchableName([...first, ...extra]);
      best = findBestMatch(term, index.keys());
    }
    return best ? index.get(best.name) ?? null : null;
  }

  /** Game ids of `/search` rows whose name or alternative name contains the term, in IGDB's order. */
  private async alternativeIds(term: string, platformId: number): Promise<number[]> {
    const t = quoted(term);
    if (!t) return [];
    const rows = await this.client.query<Record<string, unknown>>('search', apicalypse({
      fields: SEARCH_FIELDS, limit: PAGE_LIMIT,
      where: `${platformsWhere(platformId, 'game.platforms')} & (name ~ *"${t}"* | alternative_name ~ *"${t}"*)`,
    }));
    const ids = rows.map((r) => obj(r.game).id).filter((id): id is number => Number.isSafeInteger(id) && (id as number) > 0);
    return [...new Set(ids)];
  }

  private async games(q: { search?: string; where: string }): Promise<IgdbGame[]> {
    if (q.search !== undefined && !quoted(q.search)) return [];
    const rows = await this.client.query<Record<string, unknown>>('games', apicalypse({ ...q, fields: GAMES_FIELDS, limit: PAGE_LIMIT }));
    return rows.filter(isGame);
  }
}
