/**
 * How RomM picks a SteamGridDB game for a ROM (sgdb_handler.get_details_by_names): for each candidate name in turn
 * (the names other sources found, then the file name without tags), search the name with its articles kept, keep
 * the lowest id of each game name, and take the best Jaro-Winkler score of the normalized names if it reaches 0.98.
 */
import { jaroWinkler } from '../libretro/jaro-winkler.ts';
import { normalizeSearchTerm } from '../libretro/names.ts';
import type { ProviderMatch, SourceId } from '../types.ts';
import type { SgdbGame } from './client.ts';

export const SGDB_MIN_SIMILARITY = 0.98;

/** The sources whose names RomM tries, in its order, before the file name. */
const NAME_SOURCES: readonly SourceId[] = ['igdb', 'hasheous', 'ss', 'moby', 'launchbox', 'gamelist'];

/** Candidate names for a ROM, RomM's order, without blanks or repeats. */
export function candidateNames(earlier: readonly ProviderMatch[], fsNameNoTags: string): string[] {
  const names = [...NAME_SOURCES.map((s) => earlier.find((m) => m.source === s)?.name), fsNameNoTags];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n.trim() !== ''))];
}

/** The term sent to the search: normalized, articles kept. */
export const searchTermFor = (name: string): string => normalizeSearchTerm(name, false);

/** The game of the search results that matches the term, or null. */
export function bestGame(term: string, games: readonly SgdbGame[]): SgdbGame | null {
  const byName = new Map<string, SgdbGame>();
  for (const g of games) {
    const seen = byName.get(g.name);
    if (!seen || g.id < seen.id) byName.set(g.name, g);
  }
  const query = normalizeSearchTerm(term);
  let best: SgdbGame | null = null;
  let bestScore = 0;
  for (const [name, game] of byName) {
    const score = jaroWinkler(query, normalizeSearchTerm(name));
    if (score > bestScore) {
      bestScore = score;
      best = game;
      if (score === 1) break;
    }
  }
  return best && bestScore >= SGDB_MIN_SIMILARITY ? best : null;
}
