/**
 * IGDB queries: Apicalypse bodies POSTed to `/games` and `/search`, written as RomM writes them
 * (`search "…"; fields …; where …; limit …;`), so the answer cache keys on the same text for the same question.
 */

/** The fields RomM reads from `/games`. */
export const GAMES_FIELDS: readonly string[] = [
  'id', 'name', 'slug', 'summary', 'total_rating', 'aggregated_rating', 'first_release_date', 'artworks.url', 'cover.url',
  'screenshots.url', 'platforms.id', 'platforms.name', 'alternative_names.name', 'genres.name', 'franchise.name',
  'franchises.name', 'collections.name', 'game_modes.name', 'involved_companies.company.name',
  ...['expansions', 'expanded_games', 'dlcs', 'remakes', 'remasters', 'ports', 'similar_games'].flatMap((k) => [
    `${k}.id`, `${k}.slug`, `${k}.name`, `${k}.cover.url`,
  ]),
  'age_ratings.rating_category', 'videos.video_id', 'game_localizations.id', 'game_localizations.name',
  'game_localizations.cover.url', 'game_localizations.region.identifier', 'game_localizations.region.category',
  ...['campaigncoop', 'checksum', 'dropin', 'lancoop', 'offlinecoop', 'offlinecoopmax', 'offlinemax', 'onlinecoop',
    'onlinecoopmax', 'onlinemax', 'splitscreen', 'splitscreenonline', 'platform.id', 'platform.name'].map((f) => `multiplayer_modes.${f}`),
];

/** The fields RomM reads from `/search`. */
export const SEARCH_FIELDS: readonly string[] = ['game.id', 'name'];

/** RomM's page size for every IGDB query. */
export const PAGE_LIMIT = 200;

/** IGDB game types RomM searches first: expanded game, main game, port, remake, remaster, standalone expansion. */
export const MATCH_GAME_TYPES: readonly number[] = [10, 0, 11, 8, 9, 4];

export interface ApicalypseQuery {
  search?: string;
  fields: readonly string[];
  where?: string;
  limit?: number;
}

export function apicalypse(q: ApicalypseQuery): string {
  const parts: string[] = [];
  if (q.search) parts.push(`search "${quoted(q.search)}";`);
  parts.push(`fields ${q.fields.join(',')};`);
  if (q.where) parts.push(`where ${q.where};`);
  if (q.limit !== undefined) parts.push(`limit ${q.limit};`);
  return parts.join(' ');
}

/**
 * Text safe inside an Apicalypse string: transliterated to ASCII as RomM's `unidecode` does for the common Latin
 * letters, with quotes, backslashes and control characters removed so a user's search cannot end the string and
 * add clauses of its own.
 */
export function quoted(text: string): string {
  const folded = text
    .replace(/[ßæœøłđþÆŒØŁĐÞ]/g, (c) => FOLD[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
  return folded.replace(/["\\\p{Cc}]/gu, ' ').replace(/\s+/g, ' ').trim();
}

const FOLD: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', þ: 'th', Æ: 'AE', Œ: 'OE', Ø: 'O', Ł: 'L', Đ: 'D', Þ: 'Th',
};

/** `id=1 | id=2`, from positive integers only. */
export function idFilter(ids: readonly number[]): string {
  return ids.filter((id) => Number.isSafeInteger(id) && id > 0).map((id) => `id=${id}`).join(' | ');
}
