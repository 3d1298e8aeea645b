import { company, description, mix, pick } from '../metadata-text.ts';
import type { IgdbGame } from './catalogue.ts';

/**
 * A catalogue game as IGDB's `/v4/games` holds it, every reference expanded (the endpoint then trims it to the
 * requested `fields`), and as Hasheous's IGDB metadata proxy returns it (expanded columns as objects keyed by id,
 * dates as ISO strings, companies as ids), both shaped after RomM's recorded answers
 * (backend/tests/handler/cassettes/test_fastapi/test_scan_rom.yaml). Image URLs are protocol-relative like IGDB's,
 * on `imageHost` (the fake itself: no request ever leaves the machine).
 */

// IGDB's own ids for these genres and game modes.
const GENRES: [number, string][] = [[4, 'Fighting'], [5, 'Shooter'], [8, 'Platform'], [9, 'Puzzle'], [10, 'Racing'], [12, 'Role-playing (RPG)'],
  [13, 'Simulator'], [14, 'Sport'], [15, 'Strategy'], [25, "Hack and slash/Beat 'em up"], [31, 'Adventure'], [33, 'Arcade']];
const MODES: [number, string][] = [[1, 'Single player'], [2, 'Multiplayer'], [3, 'Co-operative']];
const FRANCHISES = ['Mario', 'Sonic The Hedgehog', 'Mega Man', 'Final Fantasy', 'Castlevania', 'Street Fighter', 'Metroid', 'Pac-Man'];
// ESRB/PEGI rating categories as IGDB numbers them (RomM's IGDB_AGE_RATINGS keys).
const RATINGS = [3, 8, 13, 6, 11];

type Obj = Record<string, unknown>;

const imageId = (prefix: string, n: number) => `${prefix}${n.toString(36)}`;

export function fullGame(game: IgdbGame, imageHost: string): Obj {
  const s = game.seed;
  const img = (size: string, id: string) => `//${imageHost}/igdb/image/upload/${size}/${id}.jpg`;
  const cover = imageId('co', game.id);
  const genres = [pick(GENRES, s, 1), pick(GENRES, s, 2)].filter((g, k, a) => a.findIndex((x) => x[0] === g[0]) === k);
  const franchise = mix(s, 3) % 4 === 0 ? pick(FRANCHISES, s, 4) : null;
  const out: Obj = {
    id: game.id,
    age_ratings: [{ id: game.id * 10 + 1, rating_category: pick(RATINGS, s, 5), organization: 1 }],
    aggregated_rating: 50 + (mix(s, 6) % 500) / 10,
    alternative_names: mix(s, 7) % 3 === 0 ? [{ id: game.id * 10 + 2, name: `${game.name} (Alt)` }] : undefined,
    cover: { id: game.id * 10 + 3, image_id: cover, url: img('t_thumb', cover) },
    first_release_date: 473385600 + (mix(s, 8) % 946684800),
    franchise: franchise ? { id: 800 + FRANCHISES.indexOf(franchise), name: franchise } : undefined,
    franchises: franchise ? [{ id: 800 + FRANCHISES.indexOf(franchise), name: franchise }] : undefined,
    game_modes: [pick(MODES, s, 9)].map(([id, name]) => ({ id, name })),
    game_type: 0,
    genres: genres.map(([id, name]) => ({ id, name })),
    involved_companies: [
      { id: game.id * 10 + 4, company: { id: 1 + (mix(s, 37) % 500), name: company(s, 37) }, developer: true, publisher: false },
      { id: game.id * 10 + 5, company: { id: 1 + (mix(s, 41) % 500), name: company(s, 41) }, developer: false, publisher: true },
    ],
    name: game.name,
    platforms: [{ id: game.platform.id, name: game.platform.name }],
    screenshots: [0, 1].map((k) => {
      const id = imageId('sc', game.id * 2 + k);
      return { id: game.id * 10 + 6 + k, image_id: id, url: img('t_thumb', id) };
    }),
    slug: game.slug,
    summary: description(s, game.name),
    total_rating: 40 + (mix(s, 10) % 600) / 10,
    url: `https://www.igdb.com/games/${game.slug}`,
    videos: mix(s, 11) % 2 === 0 ? [{ id: game.id * 10 + 8, video_id: `v${game.id.toString(36).padStart(10, '0')}` }] : undefined,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** A field tree from Apicalypse `fields a,b.c,b.d.e` (`*` = everything at that level). */
export type FieldTree = true | { [k: string]: FieldTree };

export function fieldTree(fields: string[]): FieldTree {
  const root: { [k: string]: FieldTree } = {};
  for (const f of fields) {
    if (f === '*') return true;
    let node = root;
    const parts = f.split('.');
    parts.forEach((p, k) => {
      if (k === parts.length - 1) {
        if (p === '*') node['*'] = true;
        else if (node[p] === undefined) node[p] = true;
      } else {
        if (node[p] === true || node[p] === undefined) node[p] = {};
        node = node[p];
      }
    });
  }
  return root;
}

/** IGDB's trimming: a bare reference field gives ids, a dotted one expands it; `id` is always there. */
export function project(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((v) => project(v, tree));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Obj;
  if (tree === true) return 'id' in obj ? obj.id : obj;
  if (tree['*']) return obj;
  const out: Obj = { id: obj.id };
  for (const [k, sub] of Object.entries(tree)) {
    if (!(k in obj)) continue;
    const v = obj[k];
    out[k] = sub === true && (v === null || typeof v !== 'object') ? v : project(v, sub);
  }
  return out;
}

/** Hasheous's `MetadataProxy/IGDB/Game` answer for the same game. */
export function hasheousProxyGame(full: Obj): Obj {
  const keyed = (list: unknown) => (Array.isArray(list) ? Object.fromEntries(list.map((v: Obj) => [String(v.id), v])) : undefined);
  const out: Obj = { ...full };
  for (const k of ['age_ratings', 'alternative_names', 'franchises', 'game_modes', 'genres', 'platforms', 'screenshots', 'videos']) {
    if (k in full) out[k] = keyed(full[k]);
  }
  out.involved_companies = keyed((full.involved_companies as Obj[]).map((c) => ({ ...c, company: (c.company as Obj).id, game: full.id })));
  out.first_release_date = new Date((full.first_release_date as number) * 1000).toISOString().replace('.000Z', '+00:00');
  delete out.franchise;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
