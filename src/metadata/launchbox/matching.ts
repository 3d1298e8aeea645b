/**
 * How a ROM file name meets a LaunchBox title (RomM's LaunchBox handler rules): the lookup keys stored at import
 * (`nameKey`, `foldTitle`) and the candidate keys built from a file name, tried in RomM's order: exact names, then
 * alternate names, then folded names. Pure.
 */
import { fsNameNoExt, fsNameNoTags } from '../../library/fs-names.ts';

/** Articles No-Intro moves to the end of a title ("Legend of Zelda, The"); RomM's list. */
const ARTICLES = ['the', 'a', 'an', 'le', 'la', 'les', 'el', 'los', 'las', 'il', 'lo', 'gli', 'der', 'die', 'das', 'het'];
const INVERTED_ARTICLE_RE = new RegExp(`^(.+?), (${ARTICLES.join('|')})(:.*)?$`, 'i');
const DASH_COLON_RE = /\s?-\s/g;
const LAUNCHBOX_TAG_RE = /\(launchbox-(\d+)\)/i;
const MARK_RE = /^\p{M}$/u;
const ALNUM_RE = /^[\p{L}\p{N}]$/u;

/** Stored key of a name: lower-cased and trimmed. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Letters and digits only, for punctuation-blind comparison: "Burnout: Revenge" and "Burnout Revenge" both give
 * `burnoutrevenge`, "Astérix" gives `asterix`. Letters of every script are kept (a Japanese title is not reduced to
 * its digits); a combining mark is dropped only on a Latin letter, where it is an accent, and kept elsewhere, where
 * it spells the word (Devanagari, Thai). '' means "no key".
 */
export function foldTitle(title: string): string {
  let out = '';
  let last = '';
  for (const ch of caseFold(title).normalize('NFKD')) {
    if (MARK_RE.test(ch)) {
      if (last >= 'a' && last <= 'z') continue;
    } else if (!ALNUM_RE.test(ch)) {
      continue;
    }
    out += ch;
    last = ch;
  }
  return out;
}

/** Lower case plus the full case folds that matter for titles (ß → ss, final sigma → σ), as Python's casefold. */
function caseFold(s: string): string {
  return s.toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');
}

/** "Legend of Zelda, The: Ocarina of Time" → "The Legend of Zelda: Ocarina of Time"; null when not inverted. */
export function deinvertArticle(term: string): string | null {
  const m = INVERTED_ARTICLE_RE.exec(term.trim());
  if (!m) return null;
  return `${m[2]} ${m[1]}${m[3] ?? ''}`;
}

/** LaunchBox writes subtitles after a colon where file names have " - ". */
export function dashToColon(term: string): string {
  return term.replace(DASH_COLON_RE, ': ');
}

/** The LaunchBox database id a file name carries as `(launchbox-12345)`, or null. */
export function launchboxIdTag(fsName: string): number | null {
  const m = LAUNCHBOX_TAG_RE.exec(fsName);
  if (!m?.[1]) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Lower-cased extension-less forms of a file name, most specific first (`game (usa)`, then `game`). */
export function fileNameForms(fileName: string): string[] {
  const forms = [fsNameNoExt(fileName), fsNameNoTags(fileName)].map((f) => f.trim().toLowerCase()).filter(Boolean);
  return [...new Set(forms)];
}

/**
 * The search term RomM builds from a ROM file name: tags dropped, underscores as spaces (the rewrites are anchored
 * on spaces), " - " as ": ", lower case.
 */
export function searchTermFromFileName(fsName: string): string {
  return dashToColon(fsNameNoTags(fsName).replace(/_/g, ' ')).toLowerCase();
}

/** Exact name candidates of a term: the term, its lower case, and the de-inverted form of each, deduplicated. */
export function nameCandidates(term: string): string[] {
  const clean = term.trim();
  if (!clean) return [];
  const list = [clean];
  if (clean.toLowerCase() !== clean) list.push(clean.toLowerCase());
  for (const c of [...list]) {
    const d = deinvertArticle(c);
    if (d) list.push(d);
  }
  return [...new Set(list)];
}

/** The stored keys to probe for a term, in order: name keys (also used against alternate names) and folded keys. */
export interface CandidateKeys {
  names: string[];
  folded: string[];
}

export function candidateKeys(term: string): CandidateKeys {
  const candidates = nameCandidates(term);
  const names = [...new Set(candidates.map(nameKey).filter(Boolean))];
  const folded = [...new Set(candidates.map(foldTitle).filter(Boolean))];
  return { names, folded };
}

/** LaunchBox's media file naming: characters a file name cannot hold become `_`. */
export function sanitizeFilename(stem: string): string {
  return (stem ?? '')
    .trim()
    .replace(/\u2019/g, "'")
    .replace(/[:']/g, '_')
    .replace(/[\\/|<>"?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[ .]+|[ .]+$/g, '');
}
