/**
 * libretro thumbnail names (pure). A thumbnail is named after the game's DAT name with the characters
 * `&*\/:`<>?\|"` replaced by `_`. A ROM is matched as RomM's libretro handler does: case-insensitive exact name
 * (extension stripped on both sides), then a fuzzy fallback that strips `(...)` tags from both sides and takes the
 * best Jaro-Winkler score of the normalized names, at least 0.8 (first best wins, a perfect score stops).
 */
import { createHash } from 'node:crypto';
import { jaroWinkler, jaroWinklerBound } from './jaro-winkler.ts';

const FORBIDDEN_RE = /[&*/:`<>?\\|"]/g;
const PAREN_TAG_RE = /\([^)]*\)/g;
const LEADING_ARTICLE_RE = /^(a|an|the)\b/i;
const COMMA_ARTICLE_RE = /,\s(a|an|the)\b(?=\s*[^\p{L}\p{N}_\s]|$)/giu;
const NON_WORD_SPACE_RE = /[^\p{L}\p{N}_\s]/gu;
const SPACES_RE = /\s+/g;
const COMBINING_RE = /\p{M}/gu;

export const MIN_SIMILARITY = 0.8;

/** The DAT name as libretro names its thumbnail files. */
export const libretroSafeName = (name: string): string => name.replace(FORBIDDEN_RE, '_');

/** Python's os.path.splitext()[0]: the text before the last dot of the base name, unless that dot leads it. */
export function removeExtension(fileName: string): string {
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  const dot = fileName.lastIndexOf('.');
  if (dot <= slash + 1) return fileName;
  // A run of leading dots does not start an extension.
  for (let i = slash + 1; i < dot; i++) if (fileName[i] !== '.') return fileName.slice(0, dot);
  return fileName;
}

export const stripParenTags = (s: string): string => s.replace(PAREN_TAG_RE, '').trim();

/** RomM's search-term normalization: lower case, `_` as space, articles and punctuation dropped, accents removed. */
export function normalizeSearchTerm(name: string, removeArticles = true): string {
  let s = name.toLowerCase().replace(/_/g, ' ');
  if (removeArticles) s = s.replace(LEADING_ARTICLE_RE, '').replace(COMMA_ARTICLE_RE, '');
  s = s.replace(NON_WORD_SPACE_RE, ' ').replace(SPACES_RE, ' ');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFD').replace(COMBINING_RE, '');
  return s.trim();
}

/** RomM's libretro_id: SHA-1 hex of the matched art file name, extension included. */
export const libretroIdFor = (fileName: string): string => createHash('sha1').update(fileName, 'utf8').digest('hex');

/**
 * Names to look for, most specific first: the whole name (a folder ROM's name may hold dots), then the name without
 * its extension. The last one is the fuzzy query.
 */
export function thumbnailTargets(rom: { fsName: string; fsNameNoExt: string }): string[] {
  const targets = [libretroSafeName(rom.fsName), libretroSafeName(rom.fsNameNoExt)];
  return targets[0] === targets[1] ? [targets[1]!] : targets;
}

const BUCKETS = 64;

/** One folder of thumbnails (`Named_Boxarts`…), indexed for exact and fuzzy lookups. */
export class ThumbnailIndex {
  private readonly exact = new Map<string, string>();
  /** Tag-stripped names (first file wins), their normalized forms and character histograms for the bound. */
  private readonly fuzzyFiles: string[] = [];
  private readonly fuzzyNorm: string[] = [];
  private readonly fuzzyHist: Uint16Array;

  constructor(fileNames: Iterable<string>) {
    const sorted = [...fileNames].sort();
    const seen = new Set<string>();
    for (const file of sorted) {
      const base = removeExtension(file);
      const lower = base.toLowerCase();
      if (!this.exact.has(lower)) this.exact.set(lower, file);
      const stripped = stripParenTags(base);
      if (seen.has(stripped)) continue;
      seen.add(stripped);
      this.fuzzyFiles.push(file);
      this.fuzzyNorm.push(normalizeSearchTerm(stripped));
    }
    this.fuzzyHist = new Uint16Array(this.fuzzyNorm.length * BUCKETS);
    this.fuzzyNorm.forEach((n, i) => histogram(n, this.fuzzyHist.subarray(i * BUCKETS, (i + 1) * BUCKETS)));
  }

  get size(): number {
    return this.exact.size;
  }

  /** The file for the first target that matches exactly, else the fuzzy match of the last target, else null. */
  find(targets: readonly string[]): string | null {
    for (const t of targets) {
      const hit = this.exact.get(t.toLowerCase());
      if (hit) return hit;
    }
    const last = targets[targets.length - 1];
    return last === undefined ? null : this.fuzzy(last);
  }

  private fuzzy(target: string): string | null {
    const query = normalizeSearchTerm(stripParenTags(target));
    const qHist = histogram(query, new Uint16Array(BUCKETS));
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < this.fuzzyNorm.length; i++) {
      const cand = this.fuzzyNorm[i]!;
      // Skip what cannot beat the best so far nor reach the minimum (either way it cannot be the answer).
      const bound = jaroWinklerBound(query.length, cand.length, overlap(qHist, this.fuzzyHist, i * BUCKETS), commonPrefix(query, cand));
      if (bound + 1e-12 < MIN_SIMILARITY || bound <= bestScore - 1e-12) continue;
      const score = jaroWinkler(query, cand);
      if (score > bestScore) {
        bestScore = score;
        best = i;
        if (score === 1) break;
      }
    }
    return best >= 0 && bestScore >= MIN_SIMILARITY ? this.fuzzyFiles[best]! : null;
  }
}

function histogram(s: string, into: Uint16Array): Uint16Array {
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i) % BUCKETS;
    if (into[b]! < 0xffff) into[b]!++;
  }
  return into;
}

/** An upper bound of the characters two strings can match: per bucket, the smaller count. */
function overlap(q: Uint16Array, all: Uint16Array, at: number): number {
  let m = 0;
  for (let b = 0; b < BUCKETS; b++) m += Math.min(q[b]!, all[at + b]!);
  return m;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
