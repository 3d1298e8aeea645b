/**
 * Deterministic field values for the generated gamelist.xml and Metadata.xml: the same index always gives the same
 * text, so a cached library and a regenerated one are identical.
 */

/** A 32-bit mix of (i, salt): cheap, well spread, reproducible. */
export function mix(i: number, salt = 0): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

export const pick = <T>(list: readonly T[], i: number, salt = 0): T => list[mix(i, salt) % list.length] as T;

const COMPANIES = ['Nintendo', 'Sega', 'Capcom', 'Konami', 'Namco', 'Taito', 'Hudson Soft', 'Square', 'Enix', 'Irem', 'SNK', 'Data East',
  'Tecmo', 'Atlus', 'Sunsoft', 'Jaleco', 'Acclaim', 'Ocean', 'Electronic Arts', 'Activision', 'Ubisoft', 'Psygnosis', 'Bandai',
  'Koei', 'Technos', 'Treasure', 'Rare', 'Codemasters', 'THQ', 'Midway', 'Atari', 'Infogrames', 'Taito & Friends', 'Éditions Ludiques'];
const GENRES = ['Action', 'Platform', 'Shooter', 'Role-Playing', 'Adventure', 'Puzzle', 'Racing', 'Sports', 'Fighting', 'Strategy',
  'Simulation', 'Beat \'em Up', 'Music', 'Board Game', 'Education', 'Pinball', 'Quiz', 'Horror', 'Stealth', 'Sandbox'];
const ESRB = ['E - Everyone', 'E10+ - Everyone 10+', 'T - Teen', 'M - Mature', 'EC - Early Childhood', 'Not Rated', 'RP - Rating Pending'];
const PLAYERS = ['1', '1', '1', '1-2', '1-2', '2', '1-4', '1-8'];
const WORDS = ['the', 'hero', 'must', 'travel', 'across', 'a', 'vast', 'kingdom', 'to', 'rescue', 'princess', 'from', 'an', 'ancient',
  'evil', 'armed', 'with', 'sword', 'and', 'magic', 'fight', 'through', 'dungeons', 'castles', 'forests', 'deserts', 'space', 'stations',
  'race', 'against', 'rivals', 'collect', 'power-ups', 'defeat', 'bosses', 'unlock', 'secret', 'levels', 'in', 'this', 'classic',
  'game', 'for', 'one', 'or', 'two', 'players', 'featuring', 'colourful', 'graphics', 'memorable', 'music', '«', 'edition', '»', 'über'];

export const company = (i: number, salt: number): string => pick(COMPANIES, i, salt);
export const esrb = (i: number): string => pick(ESRB, i, 7);
export const players = (i: number): string => pick(PLAYERS, i, 11);

/** One or two genres. */
export function genres(i: number): string[] {
  const first = pick(GENRES, i, 3);
  const second = pick(GENRES, i, 5);
  return mix(i, 13) % 3 === 0 || first === second ? [first] : [first, second];
}

/** A description of 40-110 words, sentence-cased. */
export function description(i: number, title: string): string {
  const n = 40 + (mix(i, 17) % 70);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(WORDS[mix(i * 131 + k, 19) % WORDS.length] as string);
  const text = words.join(' ');
  return `${title}: ${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A release date between 1977 and 2012 as [year, month, day]. */
export function releaseDate(i: number): [number, number, number] {
  const r = mix(i, 23);
  return [1977 + (r % 36), 1 + ((r >>> 8) % 12), 1 + ((r >>> 16) % 28)];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ES-DE's `releasedate`: `YYYYMMDDT000000`. */
export function esdeDate(i: number): string {
  const [y, m, d] = releaseDate(i);
  return `${y}${pad(m)}${pad(d)}T000000`;
}

/** LaunchBox's `ReleaseDate`: ISO with the publisher's offset, e.g. `1991-06-23T00:00:00-07:00`. */
export function launchboxDate(i: number): string {
  const [y, m, d] = releaseDate(i);
  return `${y}-${pad(m)}-${pad(d)}T00:00:00${pick(['-07:00', '-05:00', '+01:00', '+09:00'], i, 29)}`;
}

/** A stable GUID-shaped image file name, as LaunchBox names its images. */
export function guid(i: number, salt: number): string {
  const h = [mix(i, salt), mix(i, salt + 1), mix(i, salt + 2), mix(i, salt + 3)].map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
