/**
 * metadata.pegasus.txt as RomM's export writes it (utils/pegasus_exporter.py): a collection header, then one block
 * per ROM separated by blank lines. Pure and streaming. Every value is made safe for the format: control characters
 * dropped, and line breaks (which would start a new key) folded into spaces, except in `description`, whose extra
 * lines are indented as the format wants (a blank line becomes ` .`).
 *
 * API:
 *   pegasusHeader(collection, shortname), pegasusGame(game), pegasusDate(ms), pegasusRating(avg)
 */
import { cleanText } from '../xml-escape.ts';

export interface PegasusGame {
  title: string;
  file: string;
  sortBy?: string;
  developer?: string;
  publisher?: string;
  genres: string[];
  tags: string[];
  players?: string;
  description?: string | null;
  release?: string;
  rating?: string;
  /** `assets.<key>: <path>` lines, in order. */
  assets: [string, string][];
  regions: string[];
  languages: string[];
  rommId: number;
}

/** One line's worth of text. */
const line = (v: string): string => cleanText(v).replace(/\s*\n\s*/g, ' ').trim();

function multiline(v: string): string {
  const lines = cleanText(v).trim().split('\n');
  if (lines.length <= 1) return lines[0] ?? '';
  return [lines[0] ?? '', ...lines.slice(1).map((l) => (l.trim() ? `  ${l}` : '  .'))].join('\n');
}

export function pegasusHeader(collection: string, shortname: string): string {
  return `collection: ${line(collection)}\nshortname: ${line(shortname)}\n`;
}

/** `YYYY-MM-DD` in UTC. */
export const pegasusDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** RomM's `int(clamp(average_rating, 0, 100))%`. */
export const pegasusRating = (avg: number): string => `${Math.trunc(Math.max(0, Math.min(100, avg)))}%`;

export function pegasusGame(g: PegasusGame): string {
  const out: string[] = [`game: ${line(g.title)}`, `file: ${line(g.file)}`];
  const add = (key: string, v: string | null | undefined): void => {
    if (v !== undefined && v !== null && line(v) !== '') out.push(`${key}: ${line(v)}`);
  };
  add('sort-by', g.sortBy);
  add('developer', g.developer);
  add('publisher', g.publisher);
  for (const genre of g.genres) add('genre', genre);
  for (const tag of g.tags) add('tag', tag);
  add('players', g.players);
  if (g.description && cleanText(g.description).trim() !== '') out.push(`description: ${multiline(g.description)}`);
  add('release', g.release);
  add('rating', g.rating);
  for (const [key, p] of g.assets) add(`assets.${line(key)}`, p);
  if (g.regions.length > 0) add('x-region', g.regions.join(', '));
  if (g.languages.length > 0) add('x-language', g.languages.join(', '));
  out.push(`x-romm-id: ${g.rommId}`);
  return `${out.join('\n')}\n`;
}
