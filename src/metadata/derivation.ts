/**
 * Facets and sortable values derived from a ROM's provider metadata blobs (spec §8.3), the same rules RomM's
 * generated columns encode. Pure: the edit service and the scanner call it whenever a blob changes and store
 * the result in `rom_facets` (kinds genre, franchise, collection, company, game_mode, age_rating) and in the
 * `first_release_date`, `average_rating` and `player_count` columns.
 *
 * API:
 *   deriveMetadata(blobs) → DerivedMetadata
 *   derivedFacetRows(romId, derived) → { rom_id, kind, value }[]
 *   METADATA_FACET_KINDS
 */
import type { FacetKind } from '../db/schema.ts';

export type Provider =
  | 'manual' | 'igdb' | 'moby' | 'ss' | 'ra' | 'launchbox' | 'hasheous' | 'flashpoint' | 'hltb' | 'gamelist';

/** Parsed blobs by provider; absent or non-object blobs count as `{}`. */
export type MetadataBlobs = Partial<Record<Provider, unknown>>;

export interface DerivedMetadata {
  genres: string[];
  franchises: string[];
  collections: string[];
  companies: string[];
  game_modes: string[];
  age_ratings: string[];
  first_release_date: number | null;
  average_rating: number | null;
  player_count: string;
}

export const METADATA_FACET_KINDS: readonly FacetKind[] = ['genre', 'franchise', 'collection', 'company', 'game_mode', 'age_rating'];

const ARRAY_SOURCES: Record<'genres' | 'franchises' | 'companies' | 'game_modes', Provider[]> = {
  genres: ['manual', 'igdb', 'moby', 'ss', 'launchbox', 'ra', 'flashpoint', 'gamelist'],
  franchises: ['manual', 'igdb', 'ss', 'flashpoint', 'gamelist'],
  companies: ['manual', 'igdb', 'ss', 'ra', 'launchbox', 'flashpoint', 'gamelist'],
  game_modes: ['manual', 'igdb', 'ss', 'flashpoint'],
};

const RELEASE_SOURCES: [Provider, number][] = [
  ['manual', 1], ['igdb', 1000], ['ss', 1000], ['ra', 1000], ['launchbox', 1000], ['flashpoint', 1000],
];

const RATING_SOURCES: [Provider, string, number][] = [
  ['igdb', 'total_rating', 1], ['moby', 'moby_score', 10], ['ss', 'ss_score', 10],
  ['launchbox', 'community_rating', 20], ['gamelist', 'rating', 100],
];

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A JSON scalar as SQL's JSON_UNQUOTE would render it; null for null/objects. */
function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** Facet values: strings (and numbers, as text), trimmed, non-empty, de-duplicated. */
function values(list: unknown[]): string[] {
  const out = new Set<string>();
  for (const item of list) {
    const text = scalarText(item)?.trim();
    if (text) out.add(text);
  }
  return [...out];
}

function firstNonEmptyArray(blobs: MetadataBlobs, key: string, sources: Provider[]): string[] {
  for (const src of sources) {
    const v = obj(blobs[src])[key];
    if (Array.isArray(v) && v.length > 0) return values(v);
  }
  return [];
}

function ageRatings(blobs: MetadataBlobs): string[] {
  const manual = obj(blobs.manual).age_ratings;
  // RomM's COALESCE takes any non-null manual value, even an empty list.
  if (manual !== undefined && manual !== null) return Array.isArray(manual) ? values(manual) : values([manual]);
  for (const src of ['igdb', 'ss'] as const) {
    const list = obj(blobs[src]).age_ratings;
    if (Array.isArray(list) && list.length > 0) return values(list.map((r) => obj(r).rating));
  }
  const esrb = obj(blobs.launchbox).esrb;
  if (esrb !== undefined && esrb !== null && esrb !== '') return values([esrb]);
  return [];
}

const EXCLUDED_TEXT = new Set(['null', 'None', '0', '0.0']);

function firstReleaseDate(blobs: MetadataBlobs): number | null {
  for (const [src, mult] of RELEASE_SOURCES) {
    const text = scalarText(obj(blobs[src]).first_release_date);
    if (text !== null && !EXCLUDED_TEXT.has(text) && /^[0-9]+$/.test(text)) {
      const n = Number(text) * mult;
      if (Number.isSafeInteger(n)) return n;
    }
  }
  const gl = scalarText(obj(blobs.gamelist).first_release_date);
  const m = gl === null ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(gl);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(ms);
    // Calendar-invalid dates (month 13, 30 February) yield NULL, as in RomM.
    const valid = y >= 1 && back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h <= 23 && mi <= 59 && s <= 59;
    if (valid) return ms;
  }
  return null;
}

function averageRating(blobs: MetadataBlobs): number | null {
  const present: number[] = [];
  for (const [src, key, mult] of RATING_SOURCES) {
    const text = scalarText(obj(blobs[src])[key]);
    if (text !== null && !EXCLUDED_TEXT.has(text) && /^[0-9]+(\.[0-9]+)?$/.test(text)) present.push(Number(text) * mult);
  }
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

function playerCount(blobs: MetadataBlobs): string {
  for (const src of ['manual', 'ss', 'igdb', 'gamelist'] as const) {
    const text = scalarText(obj(blobs[src]).player_count);
    if (text !== null && text !== '1') return text.slice(0, 100);
  }
  return '1';
}

export function deriveMetadata(blobs: MetadataBlobs): DerivedMetadata {
  const collections = obj(blobs.igdb).collections;
  return {
    genres: firstNonEmptyArray(blobs, 'genres', ARRAY_SOURCES.genres),
    franchises: firstNonEmptyArray(blobs, 'franchises', ARRAY_SOURCES.franchises),
    collections: Array.isArray(collections) ? values(collections) : [],
    companies: firstNonEmptyArray(blobs, 'companies', ARRAY_SOURCES.companies),
    game_modes: firstNonEmptyArray(blobs, 'game_modes', ARRAY_SOURCES.game_modes),
    age_ratings: ageRatings(blobs),
    first_release_date: firstReleaseDate(blobs),
    average_rating: averageRating(blobs),
    player_count: playerCount(blobs),
  };
}

const KIND_FIELDS: [FacetKind, keyof DerivedMetadata][] = [
  ['genre', 'genres'], ['franchise', 'franchises'], ['collection', 'collections'],
  ['company', 'companies'], ['game_mode', 'game_modes'], ['age_rating', 'age_ratings'],
];

/** Facet values longer than the column are cut; the index key must stay within every engine's limit. */
export const FACET_VALUE_MAX = 400;

export function derivedFacetRows(romId: number, d: DerivedMetadata): { rom_id: number; kind: FacetKind; value: string }[] {
  const rows: { rom_id: number; kind: FacetKind; value: string }[] = [];
  for (const [kind, field] of KIND_FIELDS) {
    const seen = new Set<string>();
    for (const v of d[field] as string[]) {
      const value = v.slice(0, FACET_VALUE_MAX);
      if (!seen.has(value)) {
        seen.add(value);
        rows.push({ rom_id: romId, kind, value });
      }
    }
  }
  return rows;
}

/** Which provider supplied each derived field (the first source the derivation took it from), for display. */
export function derivedSources(blobs: MetadataBlobs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, sources] of Object.entries(ARRAY_SOURCES)) {
    const src = sources.find((s) => {
      const v = obj(blobs[s])[field];
      return Array.isArray(v) && values(v).length > 0;
    });
    if (src) out[field] = src;
  }
  const ratings = ageRatings(blobs);
  if (ratings.length > 0) {
    const manual = obj(blobs.manual).age_ratings;
    out.age_ratings = manual !== undefined && manual !== null ? 'manual'
      : (['igdb', 'ss'] as const).find((s) => Array.isArray(obj(blobs[s]).age_ratings) && (obj(blobs[s]).age_ratings as unknown[]).length > 0) ?? 'launchbox';
  }
  for (const [src] of RELEASE_SOURCES) {
    if (firstReleaseDate({ [src]: blobs[src] }) !== null) { out.first_release_date = src; break; }
  }
  if (!out.first_release_date && firstReleaseDate({ gamelist: blobs.gamelist }) !== null) out.first_release_date = 'gamelist';
  const rated = RATING_SOURCES.filter(([src]) => averageRating({ [src]: blobs[src] }) !== null).map(([src]) => src);
  if (rated.length > 0) out.average_rating = rated.join(', ');
  const players = (['manual', 'ss', 'igdb', 'gamelist'] as const).find((s) => playerCount({ [s]: blobs[s] }) !== '1');
  if (players) out.player_count = players;
  return out;
}
