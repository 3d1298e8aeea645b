/**
 * An IGDB game as RomM keeps it: the `igdb_metadata` blob (RomM's keys and value shapes, so the facets derive as in
 * RomM), the localized name and cover, and the cover and screenshot URLs in RomM's sizes (`t_1080p`, `t_720p`).
 * Answers are untrusted JSON: every field is checked for its type and anything else is left out.
 */
import { IGDB_AGE_RATINGS, type IgdbAgeRating } from './age-ratings.ts';

/** A row of `/games` as far as RomM reads it; every field may be missing or of another type. */
export type IgdbGame = Record<string, unknown> & { id: number };

export interface IgdbRelatedGame {
  id: number;
  slug: string;
  name: string;
  cover_url: string;
  type: string;
}

export interface IgdbMultiplayerMode {
  campaigncoop: boolean; dropin: boolean; lancoop: boolean; offlinecoop: boolean; offlinecoopmax: number;
  offlinemax: number; onlinecoop: boolean; onlinecoopmax: number; onlinemax: number; splitscreen: boolean;
  splitscreenonline: boolean; platform: { igdb_id: number; name: string };
}

export interface IgdbMetadata {
  youtube_video_id: string | null;
  total_rating: string;
  aggregated_rating: string;
  first_release_date: number | null;
  genres: string[];
  franchises: string[];
  alternative_names: string[];
  collections: string[];
  game_modes: string[];
  companies: string[];
  platforms: { igdb_id: number; name: string }[];
  multiplayer_modes: IgdbMultiplayerMode[];
  player_count: string;
  age_ratings: IgdbAgeRating[];
  expansions: IgdbRelatedGame[];
  dlcs: IgdbRelatedGame[];
  remasters: IgdbRelatedGame[];
  remakes: IgdbRelatedGame[];
  expanded_games: IgdbRelatedGame[];
  ports: IgdbRelatedGame[];
  similar_games: IgdbRelatedGame[];
}

export const isGame = (v: unknown): v is IgdbGame => !!v && typeof v === 'object' && Number.isSafeInteger((v as { id?: unknown }).id) && (v as { id: number }).id > 0;

export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(obj) : []);
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean => v === true;
const names = (v: unknown): string[] => list(v).map((x) => text(x.name)).filter(Boolean);

/** RomM's `normalize_cover_url`: IGDB's protocol-relative `//images.igdb.com/…` becomes https. */
export function normalizeCoverUrl(url: string): string {
  return url ? `https:${url.replaceAll('https:', '')}` : url;
}

/** Python's `str(round(x, 2))`: ties to even, and `90.0` keeps its `.0`. */
export function pyRound2(x: number): string {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  const r = scaled - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) / 100 : Number(x.toFixed(2));
  return Number.isInteger(r) ? `${r}.0` : String(r);
}

function relatedGames(v: unknown, type: string): IgdbRelatedGame[] {
  return list(v).filter(isGame).map((g) => ({
    id: g.id, slug: text(g.slug), name: text(g.name),
    cover_url: normalizeCoverUrl(text(obj(g.cover).url).replaceAll('t_thumb', 't_1080p')), type,
  }));
}

function multiplayerModes(v: unknown): IgdbMultiplayerMode[] {
  return list(v).map((mm) => {
    const p = mm.platform && typeof mm.platform === 'object' ? obj(mm.platform) : null;
    return {
      campaigncoop: bool(mm.campaigncoop), dropin: bool(mm.dropin), lancoop: bool(mm.lancoop), offlinecoop: bool(mm.offlinecoop),
      offlinecoopmax: num(mm.offlinecoopmax) ?? 0, offlinemax: num(mm.offlinemax) ?? 0, onlinecoop: bool(mm.onlinecoop),
      onlinecoopmax: num(mm.onlinecoopmax) ?? 0, onlinemax: num(mm.onlinemax) ?? 0, splitscreen: bool(mm.splitscreen),
      splitscreenonline: bool(mm.splitscreenonline),
      platform: { igdb_id: p ? num(p.id) ?? -1 : -1, name: p ? text(p.name) : '' },
    };
  });
}

/** RomM's `derive_player_count`: `1`, or `1-N` from the modes of the ROM's platform (all modes when unknown). */
export function derivePlayerCount(modes: readonly IgdbMultiplayerMode[], platformId: number | null): string {
  const relevant = modes.filter((mm) => !platformId || mm.platform.igdb_id === platformId);
  let max = 1;
  for (const mm of relevant) {
    if (mm.campaigncoop || mm.lancoop || mm.offlinecoop || mm.onlinecoop || mm.dropin) max = Math.max(max, 2);
    max = Math.max(max, mm.offlinecoopmax, mm.onlinecoopmax, mm.offlinemax, mm.onlinemax);
  }
  return max > 1 ? `1-${max}` : '1';
}

export function buildIgdbMetadata(game: IgdbGame, platformId: number | null): IgdbMetadata {
  const videos = list(game.videos);
  const modes = multiplayerModes(game.multiplayer_modes);
  const franchise = text(obj(game.franchise).name);
  return {
    youtube_video_id: videos.length > 0 ? text(videos[0]?.video_id) || null : null,
    total_rating: pyRound2(num(game.total_rating) ?? 0),
    aggregated_rating: pyRound2(num(game.aggregated_rating) ?? 0),
    first_release_date: num(game.first_release_date),
    genres: names(game.genres),
    franchises: [...(franchise ? [franchise] : []), ...names(game.franchises)],
    alternative_names: names(game.alternative_names),
    collections: names(game.collections),
    game_modes: names(game.game_modes),
    companies: list(game.involved_companies).map((c) => text(obj(c.company).name)).filter(Boolean),
    platforms: list(game.platforms).filter(isGame).map((p) => ({ igdb_id: p.id, name: text(p.name) })),
    multiplayer_modes: modes,
    player_count: derivePlayerCount(modes, platformId),
    age_ratings: list(game.age_ratings).flatMap((r) => {
      const rating = IGDB_AGE_RATINGS.get(num(r.rating_category) ?? 0);
      return rating ? [{ ...rating }] : [];
    }),
    expansions: relatedGames(game.expansions, 'expansion'),
    dlcs: relatedGames(game.dlcs, 'dlc'),
    remasters: relatedGames(game.remasters, 'remaster'),
    remakes: relatedGames(game.remakes, 'remake'),
    expanded_games: relatedGames(game.expanded_games, 'expanded'),
    ports: relatedGames(game.ports, 'port'),
    similar_games: relatedGames(game.similar_games, 'similar'),
  };
}

/** RomM's scan.priority.region codes → IGDB `game_localizations.region.identifier`; null = the default data. */
const REGION_TO_LOCALE: Readonly<Record<string, string | null>> = {
  us: null, wor: null, eu: 'EU', jp: 'ja-JP', kr: 'ko-KR', cn: 'zh-CN', tw: 'zh-TW',
};

/** The ROM's best region by priority when IGDB localizes it, else the first localizable priority region. */
export function preferredLocale(romRegionCodes: readonly string[], regionPriority: readonly string[]): string | null {
  const priority = regionPriority.map((r) => r.toLowerCase());
  const rank = (c: string): number => (priority.includes(c) ? priority.indexOf(c) : priority.length);
  const codes = romRegionCodes.filter((c) => c in REGION_TO_LOCALE).sort((a, b) => rank(a) - rank(b));
  if (codes[0] !== undefined) return REGION_TO_LOCALE[codes[0]] ?? null;
  const first = priority.find((c) => c in REGION_TO_LOCALE);
  return first === undefined ? null : REGION_TO_LOCALE[first] ?? null;
}

/** Name and cover URL (IGDB's, before resizing) in the preferred locale, falling back to the default ones. */
export function localizedNameAndCover(game: IgdbGame, locale: string | null): { name: string; cover: string } {
  const name = text(game.name);
  const cover = text(obj(game.cover).url);
  if (!locale) return { name, cover };
  const loc = list(game.game_localizations).find((l) => text(obj(l.region).identifier) === locale);
  if (!loc) return { name, cover };
  return { name: text(loc.name) || name, cover: text(obj(loc.cover).url) || cover };
}

export interface IgdbRom {
  igdbId: number;
  name: string;
  summary: string;
  /** RomM's url_cover (`t_1080p`) and url_screenshots (`t_720p`). */
  urlCover: string;
  urlScreenshots: string[];
  metadata: IgdbMetadata;
}

/** RomM's `build_igdb_rom`. */
export function buildIgdbRom(game: IgdbGame, locale: string | null, platformId: number | null): IgdbRom {
  const { name, cover } = localizedNameAndCover(game, locale);
  return {
    igdbId: game.id, name, summary: text(game.summary),
    urlCover: normalizeCoverUrl(cover).replaceAll('t_thumb', 't_1080p'),
    urlScreenshots: list(game.screenshots).map((s) => normalizeCoverUrl(text(s.url)).replaceAll('t_thumb', 't_720p')).filter(Boolean),
    metadata: buildIgdbMetadata(game, platformId),
  };
}
