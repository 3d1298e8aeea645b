/**
 * Name matching as RomM's ScreenScraper handler does it (pure): a `(ssfr-N)` tag names the game; otherwise the file
 * name without tags is searched (punctuation kept, as ScreenScraper needs it, accents folded), and the answer whose
 * name is closest by Jaro-Winkler (at least 0.75) wins, the lowest id among equal names. A title with " : " is
 * searched again by its last part.
 */
import { jaroWinkler } from '../libretro/jaro-winkler.ts';
import { normalizeSearchTerm } from '../libretro/names.ts';
import type { SsGame } from './types.ts';

export const MIN_SIMILARITY = 0.75;
const TAG_RE = /\(ssfr-(\d+)\)/i;
const LEADING_ARTICLE_RE = /^(a|an|the)\b/i;
const COMMA_ARTICLE_RE = /,\s(a|an|the)\b(?=\s*[^\p{L}\p{N}_\s]|$)/giu;
const COMBINING_RE = /\p{M}/gu;
const TERM_NORMALIZER_RE = /\s*[:-]\s+/g;
export const SPLIT_RE = /[:\-/]/;

/** The id of a `(ssfr-12345)` tag in a file name, or null. */
export function ssIdTag(fsName: string): number | null {
  const m = TAG_RE.exec(fsName);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** What ScreenScraper is asked: lower case, articles dropped, punctuation kept, ` - ` for `:`/`-` separators, ASCII. */
export function ssSearchTerm(name: string): string {
  let s = name.toLowerCase().replace(/_/g, ' ');
  s = s.replace(LEADING_ARTICLE_RE, '').replace(COMMA_ARTICLE_RE, '');
  s = s.normalize('NFD').replace(COMBINING_RE, '').trim();
  return s.replace(TERM_NORMALIZER_RE, ' - ');
}

export function isNotGame(game: SsGame): boolean {
  if (game.notgame === 'true') return true;
  return (game.noms ?? []).some((n) => (n.text ?? '').toUpperCase().startsWith('ZZZ(NOTGAME)'));
}

/** The best candidate for `term`, or null below the threshold. */
export function bestMatch(term: string, games: readonly SsGame[], splitGameName = false): SsGame | null {
  const byName = new Map<string, SsGame>();
  for (const g of games) {
    if (isNotGame(g)) continue;
    for (const n of g.noms ?? []) {
      if (!n.text) continue;
      const seen = byName.get(n.text);
      if (!seen || Number(g.id) < Number(seen.id)) byName.set(n.text, g);
    }
  }
  const wanted = normalizeSearchTerm(term);
  let best: string | null = null;
  let bestScore = 0;
  for (const name of byName.keys()) {
    const candidate = splitGameName && SPLIT_RE.test(name) ? normalizeSearchTerm(name.split(SPLIT_RE).pop() ?? name) : normalizeSearchTerm(name);
    const score = jaroWinkler(wanted, candidate);
    if (score > bestScore) {
      bestScore = score;
      best = name;
      if (score === 1) break;
    }
  }
  return best !== null && bestScore >= MIN_SIMILARITY ? byName.get(best) ?? null : null;
}
