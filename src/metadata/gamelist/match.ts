/**
 * A gamelist entry (and the media found for it) as RomM's gamelist handler answers: the `GamelistMetadata` blob
 * with exactly RomM's keys, `url_cover` / `url_screenshots` / `url_manual` as `file://` URIs, and the files the
 * media store copies.
 */
import { createHash } from 'node:crypto';
import type { ExtraMedia, MediaFile, MediaRefs, ProviderMatch } from '../types.ts';
import type { GamelistMediaKind, GamelistTextField } from './fields.ts';

export type FoundMedia = Partial<Record<GamelistMediaKind, MediaFile>>;

/** RomM's `GamelistMetadata` (handler/metadata/gamelist_handler.py). */
export interface GamelistMetadata {
  box2d_url: string | null;
  box2d_back_url: string | null;
  box3d_url: string | null;
  fanart_url: string | null;
  image_url: string | null;
  manual_url: string | null;
  marquee_url: string | null;
  miximage_url: string | null;
  miximage_v2_url: string | null;
  physical_url: string | null;
  screenshot_url: string | null;
  thumbnail_url: string | null;
  title_screen_url: string | null;
  video_url: string | null;
  rating: number | null;
  first_release_date: string | null;
  sort_name: string | null;
  companies: string[];
  franchises: string[];
  genres: string[];
  player_count: string | null;
  md5_hash: string | null;
  box2d_back_path: string | null;
  box3d_path: string | null;
  fanart_path: string | null;
  miximage_path: string | null;
  miximage_v2_path: string | null;
  physical_path: string | null;
  marquee_path: string | null;
  title_screen_path: string | null;
  video_path: string | null;
}

/** Extras recorded in the blob (kinds the media store keeps beside cover, screenshots and manual). */
const EXTRA_KINDS: Record<ExtraMedia, GamelistMediaKind> = {
  title_screen: 'title_screen', marquee: 'marquee', fanart: 'fanart', box2d_back: 'box2d_back', box3d: 'box3d',
  miximage: 'miximage', physical: 'physical', video: 'video',
};

/** `a, b,,c` → [a, b, c] (RomM's _split_comma_separated_values). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** RomM writes `file://` + path, unencoded; the pass reads `media`, never these. */
export const fileUri = (abs: string): string => `file://${abs.split('\\').join('/')}`;

/**
 * A stable id in UUID form for one entry of one platform: RomM stores a random uuid4 per scan, which would rewrite
 * every row on every rescan; this one only changes when the entry's path does.
 */
export function gamelistId(fsSlug: string, entryPath: string): string {
  const h = createHash('sha1').update(`gamelist\0${fsSlug}\0${entryPath}`).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function rating(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function gamelistMetadata(text: Partial<Record<GamelistTextField, string>>, media: FoundMedia): GamelistMetadata {
  const url = (kind: GamelistMediaKind): string | null => {
    const f = media[kind];
    return f ? fileUri(f.path) : null;
  };
  return {
    box2d_url: url('box2d'),
    box2d_back_url: url('box2d_back'),
    box3d_url: url('box3d'),
    fanart_url: url('fanart'),
    image_url: url('image'),
    manual_url: url('manual'),
    marquee_url: url('marquee'),
    miximage_url: url('miximage'),
    miximage_v2_url: url('miximage_v2'),
    physical_url: url('physical'),
    screenshot_url: url('screenshot'),
    thumbnail_url: url('thumbnail'),
    title_screen_url: url('title_screen'),
    video_url: url('video'),
    rating: rating(text.rating),
    first_release_date: text.releasedate ?? null,
    sort_name: text.sortname ?? null,
    companies: [...new Set([...splitList(text.developer), ...splitList(text.publisher)])],
    franchises: splitList(text.family),
    genres: splitList(text.genre),
    player_count: text.players ?? null,
    md5_hash: text.md5 ?? null,
    box2d_back_path: null,
    box3d_path: null,
    fanart_path: null,
    miximage_path: null,
    miximage_v2_path: null,
    physical_path: null,
    marquee_path: null,
    title_screen_path: null,
    video_path: null,
  };
}

export function buildMatch(
  id: string,
  text: Partial<Record<GamelistTextField, string>>,
  media: FoundMedia,
): ProviderMatch {
  const metadata = gamelistMetadata(text, media);
  const refs: MediaRefs = {};
  const cover = media.box2d ?? media.image;
  if (cover) refs.cover = cover;
  if (media.screenshot) refs.screenshots = [media.screenshot];
  if (media.manual) refs.manual = media.manual;
  const extras: Partial<Record<ExtraMedia, MediaFile>> = {};
  for (const [extra, kind] of Object.entries(EXTRA_KINDS) as [ExtraMedia, GamelistMediaKind][]) {
    const f = media[kind];
    if (f) extras[extra] = f;
  }
  if (Object.keys(extras).length > 0) refs.extras = extras;

  const urls: NonNullable<ProviderMatch['urls']> = {};
  const coverUrl = metadata.box2d_url ?? metadata.image_url;
  if (coverUrl) urls.cover = coverUrl;
  if (metadata.screenshot_url) urls.screenshots = [metadata.screenshot_url];
  if (metadata.manual_url) urls.manual = metadata.manual_url;

  const match: ProviderMatch = { source: 'gamelist', id, metadata: { ...metadata }, urls, media: refs };
  if (text.name) match.name = text.name;
  if (text.desc) match.summary = text.desc;
  if (text.sortname) match.sortName = text.sortname;
  return match;
}

