/**
 * A RetroAchievements game → RomM's answer (pure): the title, the title screen as cover and the in-game image as
 * screenshot (RomM's choice), and RomM's `ra_metadata` blob with the achievements as RomM stores them: badge URLs on
 * media.retroachievements.org and badge paths under the ROM's resources (`roms/<platform>/<rom>/retroachievements/
 * badges/`), which `merged_ra_metadata` serves under /assets/romm/resources.
 */
import type { ProviderMatch } from '../types.ts';
import type { RaAchievement, RaGameDetails } from './client.ts';

export const RA_MEDIA_HOST = 'https://media.retroachievements.org';
const BADGE_RE = /^[A-Za-z0-9_-]{1,64}$/;
const IMAGE_RE = /^\/Images\/[A-Za-z0-9_.-]{1,100}$/;

export interface RaRomKey {
  platformId: number;
  romId: number;
}

export function buildRaMatch(game: RaGameDetails, rom: RaRomKey): ProviderMatch {
  const match: ProviderMatch = { source: 'ra', id: game.ID, metadata: raMetadata(game, rom), media: {} };
  if (typeof game.Title === 'string' && game.Title.trim()) match.name = game.Title.trim();
  const cover = imageUrl(game.ImageTitle);
  const shot = imageUrl(game.ImageIngame);
  const urls: NonNullable<ProviderMatch['urls']> = {};
  if (cover) {
    match.media.cover = { url: cover };
    urls.cover = cover;
  }
  if (shot) {
    match.media.screenshots = [{ url: shot }];
    urls.screenshots = [shot];
  }
  if (Object.keys(urls).length) match.urls = urls;
  return match;
}

export function raMetadata(game: RaGameDetails, rom: RaRomKey): Record<string, unknown> {
  const badges = `roms/${rom.platformId}/${rom.romId}/retroachievements/badges`;
  const achievements = Object.values(game.Achievements && typeof game.Achievements === 'object' ? game.Achievements : {})
    .filter((a): a is RaAchievement => !!a && typeof a === 'object')
    .map((a) => {
      // The badge name becomes a file name: anything but RetroAchievements' digit names is left out.
      const badge = typeof a.BadgeName === 'string' && BADGE_RE.test(a.BadgeName) ? a.BadgeName : '';
      return {
        ra_id: num(a.ID), title: str(a.Title), description: str(a.Description), points: num(a.Points),
        num_awarded: num(a.NumAwarded), num_awarded_hardcore: num(a.NumAwardedHardcore), badge_id: badge,
        badge_url_lock: `${RA_MEDIA_HOST}/Badge/${badge}_lock.png`, badge_path_lock: `${badges}/${badge}_lock.png`,
        badge_url: `${RA_MEDIA_HOST}/Badge/${badge}.png`, badge_path: `${badges}/${badge}.png`,
        display_order: num(a.DisplayOrder), type: str(a.type),
      };
    });
  return {
    first_release_date: releaseDate(game.Released),
    genres: [game.Genre].filter(nonEmpty),
    companies: [game.Publisher, game.Developer].filter(nonEmpty),
    achievements,
  };
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** `Released` ("YYYY-MM-DD …") as UTC midnight seconds, or null. */
function releaseDate(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim().split(/\s+/)[0] ?? '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? Math.floor(ms / 1000) : null;
}

function imageUrl(path: unknown): string | null {
  return typeof path === 'string' && IMAGE_RE.test(path) ? `${RA_MEDIA_HOST}${path}` : null;
}
