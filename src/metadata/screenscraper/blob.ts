/**
 * A ScreenScraper game → RomM's answer (pure): the name of the ROM's region, the summary in the preferred language,
 * RomM's `ss_metadata` blob (score, dates, taxonomies, and one URL per media kind chosen by region priority) and the
 * media to download as `{ url }` (box front as cover, screenshot, manual, title screen, video and the other extras).
 * URLs are stored without credentials; the media URLs keep only what the download needs (the developer id).
 */
import { REGION_PROVIDER_CODES } from '../../library/tags.ts';
import type { ExtraMedia, MediaUrl, ProviderMatch } from '../types.ts';
import { SS_ALL_SECRET_KEYS, stripQueryKeys } from './client.ts';
import type { SsGame, SsMedia, SsTaxon, SsText } from './types.ts';

export interface SsBuildContext {
  /** Regions parsed from the ROM's file name (`USA`, `Japan`…). */
  romRegions: readonly string[];
  /** `scan.priority.region` short codes. */
  regionPriority: readonly string[];
  /** `scan.priority.region_mode`: `prefer_config` puts the configured regions before the ROM's for media. */
  regionMode?: 'prefer_rom_tags' | 'prefer_config';
  /** `scan.priority.language`. */
  languagePriority: readonly string[];
}

/** ScreenScraper media type → RomM's `<key>_url` / `<key>_path` blob keys (path null when never stored). */
const MEDIA_KEYS: readonly (readonly [types: readonly string[], key: string, stored: boolean])[] = [
  [['box-2D-back'], 'box2d_back', true], [['bezel-16-9'], 'bezel', true], [['box-2D'], 'box2d', true],
  [['fanart'], 'fanart', true], [['box-texture'], 'fullbox', false], [['wheel-hd', 'wheel'], 'logo', true],
  [['manuel'], 'manual', false], [['screenmarquee'], 'marquee', true],
  [['miximage1', 'miximage2', 'mixrbv1'], 'miximage', true], [['mixrbv2'], 'miximage_v2', true],
  [['support-2D'], 'physical', true], [['ss'], 'screenshot', false], [['box-2D-side'], 'box2d_side', true],
  [['steamgrid'], 'steamgrid', false], [['box-3D'], 'box3d', true], [['sstitle'], 'title_screen', true],
  [['video'], 'video', true], [['video-normalized'], 'video_normalized', true],
];

/** Blob keys → the extra media kinds the media store keeps (the pass records `<kind>_path`). */
const EXTRA_OF: Partial<Record<string, ExtraMedia>> = {
  title_screen: 'title_screen', marquee: 'marquee', fanart: 'fanart', box2d_back: 'box2d_back', box3d: 'box3d',
  miximage: 'miximage', physical: 'physical', video: 'video',
};

const FALLBACK_REGIONS = ['us', 'wor', 'ss', 'eu', 'jp', 'cus'];

/** RomM's region order: the ROM's own regions (sorted by the priority), then the priority, then the defaults, `unk`. */
export function preferredRegions(ctx: SsBuildContext, forMedia = false): string[] {
  const priority = ctx.regionPriority;
  const rank = (c: string) => (priority.includes(c) ? priority.indexOf(c) : priority.length);
  const romCodes = ctx.romRegions.map((r) => REGION_PROVIDER_CODES[r]).filter((c): c is string => !!c).sort((a, b) => rank(a) - rank(b));
  const ordered = forMedia && ctx.regionMode === 'prefer_config' ? [...priority, ...romCodes] : [...romCodes, ...priority];
  return [...new Set([...ordered, ...FALLBACK_REGIONS]), 'unk'];
}

/** The first media of each kind, in region order; only the game's own media (`parent` = `jeu`). */
export function selectMedia(medias: readonly SsMedia[], regions: readonly string[]): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const region of regions) {
    for (const m of medias) {
      if ((m.region ?? 'unk') !== region || m.parent !== 'jeu' || typeof m.type !== 'string') continue;
      const entry = MEDIA_KEYS.find(([types]) => types.includes(m.type as string));
      const url = entry ? webUrl(m.url) : null;
      if (entry && url && !chosen.has(entry[1])) chosen.set(entry[1], url);
    }
  }
  return chosen;
}

export function buildSsMatch(game: SsGame, ctx: SsBuildContext): ProviderMatch {
  const regions = preferredRegions(ctx);
  const media = selectMedia(Array.isArray(game.medias) ? game.medias : [], preferredRegions(ctx, true));
  const metadata: Record<string, unknown> = { ...ssMetadata(game, ctx, regions) };
  for (const [, key, stored] of MEDIA_KEYS) {
    const url = media.get(key);
    // Stored strings carry no credential at all (they are shown by the API).
    metadata[`${key}_url`] = url ? stripQueryKeys(url, SS_ALL_SECRET_KEYS) : null;
    if (stored) metadata[`${key}_path`] = null;
  }

  const id = Number(game.id);
  const match: ProviderMatch = { source: 'ss', id, metadata, media: {} };
  const name = pickByRegion(game.noms, regions);
  if (name) match.name = unescapeHtml(name.replace(/ : /g, ': '));
  const summary = pickByLanguage(game.synopsis, ctx.languagePriority.length ? ctx.languagePriority : ['en']);
  if (summary) match.summary = unescapeHtml(summary);

  const ref = (key: string): MediaUrl | null => {
    const url = media.get(key);
    return url ? { url } : null;
  };
  const urls: NonNullable<ProviderMatch['urls']> = {};
  const cover = ref('box2d');
  if (cover) {
    match.media.cover = cover;
    urls.cover = metadata.box2d_url as string;
  }
  const shot = ref('screenshot');
  if (shot) {
    match.media.screenshots = [shot];
    urls.screenshots = [metadata.screenshot_url as string];
  }
  const manual = ref('manual');
  if (manual) {
    match.media.manual = manual;
    urls.manual = metadata.manual_url as string;
  }
  const extras: NonNullable<ProviderMatch['media']['extras']> = {};
  for (const [key, kind] of Object.entries(EXTRA_OF)) {
    const r = kind ? ref(key) : null;
    if (r && kind) extras[kind] = r;
  }
  if (Object.keys(extras).length) match.media.extras = extras;
  if (Object.keys(urls).length) match.urls = urls;
  return match;
}

function ssMetadata(game: SsGame, ctx: SsBuildContext, regions: readonly string[]): Record<string, unknown> {
  const taxonomyLanguages = [...new Set([...ctx.languagePriority, 'en', 'fr'])];
  return {
    ss_score: normalizeScore(game.note?.text),
    alternative_names: texts(game.noms),
    age_ratings: (Array.isArray(game.classifications) ? game.classifications : [])
      .filter((c) => nonEmpty(c.type) && nonEmpty(c.text))
      .map((c) => ({ rating: c.text, category: c.type })),
    companies: [game.editeur?.text, game.developpeur?.text].filter(nonEmpty),
    genres: taxonNames(game.genres, 'en'),
    first_release_date: lowestDate(Array.isArray(game.dates) ? game.dates : [], regions),
    franchises: firstLanguage(game.familles, taxonomyLanguages),
    game_modes: firstLanguage(game.modes, taxonomyLanguages),
    player_count: playerCount(game.joueurs?.text),
  };
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

const texts = (list: SsText[] | undefined): string[] => (Array.isArray(list) ? list.map((n) => n.text).filter(nonEmpty) : []);

function taxonNames(list: SsTaxon[] | undefined, lang: string): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((t) => (Array.isArray(t.noms) ? t.noms : []).filter((n) => n.langue === lang).map((n) => n.text)).filter(nonEmpty);
}

function firstLanguage(list: SsTaxon[] | undefined, languages: readonly string[]): string[] {
  for (const lang of languages) {
    const names = taxonNames(list, lang);
    if (names.length) return names;
  }
  return [];
}

function pickByRegion(list: SsText[] | undefined, regions: readonly string[]): string {
  if (!Array.isArray(list)) return '';
  for (const region of regions) {
    const hit = list.find((n) => (n.region ?? 'unk') === region && nonEmpty(n.text));
    if (hit?.text) return hit.text;
  }
  return '';
}

function pickByLanguage(list: SsText[] | undefined, languages: readonly string[]): string {
  if (!Array.isArray(list)) return '';
  for (const lang of languages) {
    const hit = list.find((s) => s.langue === lang && nonEmpty(s.text));
    if (hit?.text) return hit.text;
  }
  return '';
}

/** ScreenScraper rates out of 20; RomM keeps half of it as Python prints a float ("7.0", "7.5"), "" when unreadable. */
export function normalizeScore(text: string | undefined): string {
  if (typeof text !== 'string' || !/^\s*[+-]?\d+\s*$/.test(text)) return '';
  const half = Number(text.trim()) / 2;
  return Number.isInteger(half) ? `${half}.0` : String(half);
}

function playerCount(text: string | undefined): string {
  if (!text || ['null', 'none'].includes(text.toLowerCase())) return '1';
  return text;
}

/** A release date (`YYYY-MM-DD` or `YYYY`) as UTC midnight seconds; the earliest of the first region that has one. */
function lowestDate(dates: readonly SsText[], regions: readonly string[]): number | null {
  const byText = (a: SsText, b: SsText) => ((a.text ?? '') < (b.text ?? '') ? -1 : (a.text ?? '') > (b.text ?? '') ? 1 : 0);
  for (const region of regions) {
    for (const d of dates.filter((x) => (x.region ?? 'unk') === region).sort(byText)) {
      const t = parseDate(d.text);
      if (t !== null) return t;
    }
  }
  for (const d of [...dates].sort(byText)) {
    const t = parseDate(d.text);
    if (t !== null) return t;
  }
  return null;
}

function parseDate(text: string | undefined): number | null {
  if (!text) return null;
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const year = /^(\d{4})$/.exec(text);
  const [y, m, d] = full ? [Number(full[1]), Number(full[2]), Number(full[3])] : year ? [Number(year[1]), 1, 1] : [NaN, NaN, NaN];
  if (!Number.isFinite(y) || y < 1) return null;
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return Math.floor(ms / 1000);
}

/** An http(s) URL, or null (anything else in an answer is ignored). */
function webUrl(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 4000) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Python's html.unescape for what ScreenScraper sends: the common named entities and numeric references. */
export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[ref.toLowerCase()] ?? all;
  });
}
