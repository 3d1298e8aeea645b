import { sql } from 'kysely';
import { cleanText } from '../../common/text.ts';
import { and, likeContains, likePrefix, or, type Cond } from './sql.ts';

/** Caps that keep any search term a bounded SQL statement (SQLite's expression depth is 1000). */
const MAX_TERMS = 16;
const MAX_WORDS = 16;
const MAX_WORD = 200;

const isHashLength = (n: number): n is 8 | 32 | 40 => n === 8 || n === 32 || n === 40;

export interface SearchTerm {
  words: string[];
  phrase: string;
  hash: { length: 8 | 32 | 40; value: string } | null;
}

/** `a b|c` → alternatives `a b` and `c` (spec §3.5); words lower-cased for the lower-cased haystack. */
export function parseSearchTerm(raw: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const part of cleanText(raw, 10_000).split('|')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const words = [...new Set(trimmed.toLowerCase().split(/\s+/).filter(Boolean).map((w) => w.slice(0, MAX_WORD)))].slice(0, MAX_WORDS);
    const hex = /^[0-9a-f]+$/i.test(trimmed) ? trimmed.toLowerCase() : '';
    const len = hex.length;
    const hash = isHashLength(len) ? { length: len, value: hex } : null;
    terms.push({ words, phrase: words.join(' '), hash });
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

const HASH_COLUMNS: Record<8 | 32 | 40, { rom: string[]; file: string[] }> = {
  8: { rom: ['crc_hash'], file: ['crc_hash'] },
  32: { rom: ['md5_hash', 'ra_hash'], file: ['md5_hash', 'ra_hash'] },
  40: { rom: ['sha1_hash'], file: ['sha1_hash', 'chd_sha1_hash'] },
};

function hashCondition(hash: NonNullable<SearchTerm['hash']>): Cond {
  const cols = HASH_COLUMNS[hash.length];
  const conds: Cond[] = cols.rom.map((c) => sql`${sql.ref(`r.${c}`)} = ${hash.value}`);
  for (const c of cols.file) {
    conds.push(sql`r.id in (select hf.rom_id from rom_files hf where ${sql.ref(`hf.${c}`)} = ${hash.value})`);
  }
  return or(conds);
}

/** A row matches when any alternative matches: all its words in name/file name, or its hash. */
export function searchCondition(terms: SearchTerm[]): Cond {
  return or(terms.map((t) => {
    const byName = and(t.words.map((w) => likeContains(sql.ref('r.search_text'), w)));
    return t.hash ? or([byName, hashCondition(t.hash)]) : byName;
  }));
}

/**
 * Relevance rank used when `order_by` is empty (on every engine): 0 when the name starts with an alternative's
 * phrase, 1 when the phrase appears as typed anywhere in name or file name, 2 otherwise.
 */
export function relevanceRank(terms: SearchTerm[]) {
  const usable = terms.filter((t) => t.phrase);
  if (usable.length === 0) return null;
  const prefix = or(usable.map((t) => likePrefix(sql.ref('r.search_text'), t.phrase)));
  const contains = or(usable.map((t) => likeContains(sql.ref('r.search_text'), t.phrase)));
  return sql<number>`(case when ${prefix} then 0 when ${contains} then 1 else 2 end)`;
}
