/**
 * How a ROM's file name becomes a MobyGames search and how the answer is chosen (pure), as RomM's MobyGames handler
 * does it: a `(moby-N)` tag names the game outright; otherwise the name without tags, lower-cased with its leading
 * article dropped and `x - y` written `x: y`, is searched on the platform, titles are de-duplicated (lowest game id
 * wins), and the best Jaro-Winkler score of the normalized titles wins when it reaches 0.6. When nothing does, the
 * last part of the name after `:`, `-` or `/` is searched and compared with the last part of each title.
 */
import { jaroWinkler } from '../libretro/jaro-winkler.ts';
import { normalizeSearchTerm } from '../libretro/names.ts';

export const MOBY_MIN_SIMILARITY = 0.6;

const MOBY_TAG_RE = /\(moby-(\d{1,12})\)/i;
const SPLIT_RE = /[:\-/]/;
const NORMALIZER_RE = /\s*[:-]\s+/g;
const LEADING_ARTICLE_RE = /^(a|an|the)\b/i;
const COMMA_ARTICLE_RE = /,\s(a|an|the)\b(?=\s*[^\p{L}\p{N}_\s]|$)/giu;
const COMBINING_RE = /\p{M}/gu;

/** The id of a `(moby-12345)` tag in a file name, or null. */
export function mobyIdTag(fsName: string): number | null {
  const m = MOBY_TAG_RE.exec(fsName);
  if (!m?.[1]) return null;
  const id = Number(m[1]);
  return id > 0 ? id : null;
}

/** RomM's search normalization that keeps punctuation: lower case, `_` as space, articles and accents dropped. */
function normalizeKeepPunctuation(name: string): string {
  let s = name.toLowerCase().replace(/_/g, ' ');
  s = s.replace(LEADING_ARTICLE_RE, '').replace(COMMA_ARTICLE_RE, '');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFD').replace(COMBINING_RE, '');
  return s.trim();
}

/** The first search term for a name without tags: `Sonic - The Hedgehog` → `sonic: the hedgehog`. */
export function primarySearchTerm(nameNoTags: string): string {
  return normalizeKeepPunctuation(nameNoTags).replace(NORMALIZER_RE, ': ');
}

/** The fallback term: the part after the last `:`, `-` or `/` (MobyGames' title search trips on those). */
export function fallbackSearchTerm(nameNoTags: string): string {
  const parts = nameNoTags.split(SPLIT_RE);
  return parts[parts.length - 1] ?? nameNoTags;
}

const FOLD: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', þ: 'th', Þ: 'Th',
  '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...',
};

/** ASCII for the title parameter (RomM sends unidecode's transliteration); letters without one stay as they are. */
export function asciiTitle(term: string): string {
  return term.normalize('NFKD').replace(COMBINING_RE, '').replace(/[^\x20-\x7e]/g, (c) => FOLD[c] ?? c);
}

export interface Titled {
  game_id: number;
  title: string;
}

/** The best of `games` for `term`, or null below the threshold. `split` compares the last part of each title. */
export function bestMatch<T extends Titled>(term: string, games: readonly T[], split = false): T | null {
  const byTitle = new Map<string, T>();
  for (const g of games) {
    const seen = byTitle.get(g.title);
    if (!seen || g.game_id < seen.game_id) byTitle.set(g.title, g);
  }
  const wanted = normalizeSearchTerm(term);
  let best: T | null = null;
  let bestScore = 0;
  for (const [title, game] of byTitle) {
    const parts = title.split(SPLIT_RE);
    const candidate = normalizeSearchTerm(split && parts.length > 1 ? parts[parts.length - 1] ?? title : title);
    const score = jaroWinkler(wanted, candidate);
    if (score > bestScore) {
      bestScore = score;
      best = game;
      if (score === 1) break;
    }
  }
  return bestScore >= MOBY_MIN_SIMILARITY ? best : null;
}
