/**
 * RomM's name matching for IGDB: the search term from the file name (tags stripped, `(igdb-N)` tags, Sony serials,
 * PS2 OPL names, MAME and ScummVM short names through their indexes), its normalization (articles, punctuation,
 * accents), and the Jaro-Winkler pick among every searchable title of the candidates (threshold 0.75).
 */
import { fsNameNoExt, fsNameNoTags } from '../../library/fs-names.ts';
import { jaroWinkler } from '../libretro/jaro-winkler.ts';
import type { TitleIndexes } from '../online/title-indexes.ts';
import { list, text, type IgdbGame } from './blob.ts';
import { ARCADE_IGDB_IDS, IGDB_PLATFORM } from './platforms.ts';

export const MIN_SIMILARITY = 0.75;

const W = '\\p{L}\\p{N}_';
const LEADING_ARTICLE = new RegExp(`^(?:a|an|the)(?![${W}])`, 'iu');
const COMMA_ARTICLE = new RegExp(`,\\s(?:a|an|the)(?![${W}])(?=\\s*[^${W}\\s]|$)`, 'giu');
const NON_WORD_SPACE = new RegExp(`[^${W}\\s]`, 'gu');

/** RomM's `normalize_search_term`: `Legend of Zelda, The - A Link…` and `The Legend of Zelda: A Link…` agree. */
export function normalizeSearchTerm(name: string): string {
  let s = name.toLowerCase().replaceAll('_', ' ');
  s = s.replace(LEADING_ARTICLE, '').replace(COMMA_ARTICLE, '');
  s = s.replace(NON_WORD_SPACE, ' ').replace(/\s+/gu, ' ');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFD').replace(/\p{Mn}/gu, '');
  return s.trim();
}

/** RomM's `find_best_match`: the first candidate with the highest score, if it reaches the threshold. */
export function findBestMatch(term: string, candidates: Iterable<string>, min = MIN_SIMILARITY): { name: string; score: number } | null {
  const wanted = normalizeSearchTerm(term);
  let best: { name: string; score: number } | null = null;
  for (const name of candidates) {
    const score = jaroWinkler(wanted, normalizeSearchTerm(name));
    if (score > (best?.score ?? 0)) {
      best = { name, score };
      if (score === 1) break;
    }
  }
  return best && best.score >= min ? best : null;
}

/** One title's words are a proper prefix of the other's (`Portable Ops` / `Portable Ops Plus`): widen the search. */
export function isPrefixSupersetMatch(term: string, candidate: string): boolean {
  const a = normalizeSearchTerm(term).split(' ').filter(Boolean);
  const b = normalizeSearchTerm(candidate).split(' ').filter(Boolean);
  if (!a.length || !b.length) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return shorter.length < longer.length && shorter.every((w, i) => longer[i] === w);
}

/**
 * Every searchable title → its game: primary names first (the lowest id wins a shared name), then alternative and
 * localized titles not already claimed, so a file named by a localized title still matches.
 */
export function indexBySearchableName(games: readonly IgdbGame[]): Map<string, IgdbGame> {
  const index = new Map<string, IgdbGame>();
  for (const g of games) {
    const name = text(g.name);
    const seen = index.get(name);
    if (name && (!seen || g.id < seen.id)) index.set(name, g);
  }
  for (const g of games) {
    for (const alt of [...list(g.alternative_names), ...list(g.game_localizations)]) {
      const name = text(alt.name);
      if (name && !index.has(name)) index.set(name, g);
    }
  }
  return index;
}

const IGDB_TAG = /\(igdb-(\d+)\)/i;
const PS2_OPL = /^([A-Z]{4}_\d{3}\.\d{2})\..*$/;
const SONY_SERIAL = /.*([a-zA-Z]{4}-\d{5}).*$/;

/** `Game (igdb-1234).zip` → 1234. */
export function igdbIdTag(fsName: string): number | null {
  const m = IGDB_TAG.exec(fsName);
  const id = m?.[1] ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * RomM's search term before normalization: the file name without tags, replaced by the title a platform's index
 * gives for a serial (PS1/PS2/PSP), an OPL name (PS2), a MAME short name (arcade) or a ScummVM id.
 */
export async function searchTermFor(fsName: string, platformId: number, indexes: TitleIndexes | null): Promise<string> {
  let term = fsNameNoTags(fsName);
  if (!indexes) return term;
  const opl = PS2_OPL.exec(fsName)?.[1];
  if (platformId === IGDB_PLATFORM.ps2 && opl) term = (await indexes.title('ps2-opl', opl)) ?? term;
  const serial = SONY_SERIAL.exec(fsName)?.[1]?.toUpperCase();
  if (serial) {
    const kind = platformId === IGDB_PLATFORM.psx ? 'ps1-serial' : platformId === IGDB_PLATFORM.ps2 ? 'ps2-serial'
      : platformId === IGDB_PLATFORM.psp ? 'psp-serial' : null;
    if (kind) term = (await indexes.title(kind, serial)) ?? term;
  }
  if (ARCADE_IGDB_IDS.includes(platformId)) {
    const description = await indexes.title('mame', term);
    if (description) term = fsNameNoTags(description);
  }
  if (platformId === IGDB_PLATFORM.scummvm) term = (await indexes.title('scummvm', fsNameNoExt(term))) ?? term;
  return term;
}
