/**
 * gamelist.xml as RomM's export writes it (utils/gamelist_exporter.py): one `<game>` per ROM, elements in RomM's
 * order, `<scrap name="RomM">`. Pure and streaming: the caller writes the head, one game at a time, then the tail.
 * Two additions keep what romshelf writes readable back by its own reader without loss: the cover also goes in
 * `<cover>` (RomM's reader looks for it, its writer only fills `<thumbnail>`), and every genre and franchise is
 * written, comma-separated, where RomM keeps the first.
 *
 * API:
 *   GAMELIST_XML_HEAD, GAMELIST_XML_TAIL, gamelistGameXml(game, scrapDate), gamelistDate(ms)
 */
import { xmlAttr, xmlText } from '../xml-escape.ts';

/** One `<game>`: values already final (paths or URLs for media); absent or empty values are left out. */
export interface GamelistGame {
  path: string;
  name: string;
  desc?: string | null;
  thumbnail?: string;
  video?: string;
  screenshot?: string;
  image?: string;
  manual?: string;
  developer?: string;
  publisher?: string;
  genre?: string;
  family?: string;
  players?: string;
  lang?: string;
  region?: string;
  releasedate?: string;
  rating?: string;
  id?: string | null;
  cover?: string;
  box3d?: string;
  boxback?: string;
  fanart?: string;
  marquee?: string;
  miximage?: string;
  miximage_v2?: string;
  physicalmedia?: string;
  title_screen?: string;
  bezel?: string;
}

const ORDER: readonly (keyof GamelistGame)[] = [
  'path', 'name', 'desc', 'thumbnail', 'video', 'screenshot', 'image', 'manual', 'developer', 'publisher', 'genre',
  'family', 'players', 'lang', 'region', 'releasedate', 'rating', 'id', 'cover', 'box3d', 'boxback', 'fanart',
  'marquee', 'miximage', 'miximage_v2', 'physicalmedia', 'title_screen', 'bezel',
];

export const GAMELIST_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<gameList>\n';
export const GAMELIST_XML_TAIL = '</gameList>\n';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYYMMDDTHHMMSS` in UTC, the date format of gamelist.xml. */
export function gamelistDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

export function gamelistGameXml(game: GamelistGame, scrapDate: string): string {
  let out = '  <game>\n';
  for (const key of ORDER) {
    const value = game[key];
    if (value === undefined || value === null || value === '') continue;
    out += `    <${key}>${xmlText(value)}</${key}>\n`;
  }
  out += `    <scrap name="RomM" date="${xmlAttr(scrapDate)}" />\n  </game>\n`;
  return out;
}
