import { libretroSafeName, normalizeSearchTerm, removeExtension } from '../../../src/metadata/libretro/names.ts';
import { libretroSystems } from '../../../src/metadata/libretro/systems.ts';
import type { Hashes } from '../../../src/scanner/hash/types.ts';
import type { LibraryRom } from '../metadata-platforms.ts';
import { mix } from '../metadata-text.ts';
import { IGDB_PLATFORMS } from './igdb-platforms.ts';

/**
 * What the fake providers know about the generated library, decided per ROM from its index so every run agrees:
 * which dumps Hasheous knows by hash (85 %), which titles IGDB has (90 %, one game per title and platform, regional
 * variants share it), which of those Hasheous maps to IGDB (95 %) and RetroAchievements (40 %), and which names
 * libretro has box art (80 %), snaps and title screens (60 % each) for. The rest stay unmatched, as in a real
 * library.
 */

export interface CatalogueRom {
  index: number;
  slug: string;
  fileName: string;
  title: string;
  hashes: Hashes;
  hasheousId: number | null;
  /** The IGDB game of this title on this platform, when IGDB has it. */
  igdbId: number | null;
  /** Whether Hasheous's answer names that IGDB id. */
  hasheousIgdb: boolean;
  raId: number | null;
}

export interface IgdbGame {
  id: number;
  name: string;
  slug: string;
  platform: { id: number; name: string };
  /** Index of the first ROM of the title, the seed of its generated fields. */
  seed: number;
}

export interface Catalogue {
  roms: CatalogueRom[];
  byHash: Map<string, CatalogueRom>;
  games: Map<number, IgdbGame>;
  /** IGDB platform id → search token → game ids. */
  tokens: Map<number, Map<string, Set<number>>>;
  /** libretro system → art folder → file names (sorted, as a listing shows them). */
  libretro: Map<string, Map<string, string[]>>;
  raGames: Map<number, CatalogueRom>;
}

const pct = (i: number, salt: number, percent: number) => mix(i, salt) % 100 < percent;

export const searchTokens = (s: string): string[] => normalizeSearchTerm(s).split(' ').filter(Boolean);

export function igdbSlug(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'game';
}

/** The bytes of ROM `i`: distinct per ROM, so its hashes name it. */
export const romContent = (rom: LibraryRom, i: number): string => `romshelf-bench-online ${rom.platform.slug} ${i}\n`;

export function buildCatalogue(roms: LibraryRom[], hashesOf: (i: number) => Hashes): Catalogue {
  const cat: Catalogue = { roms: [], byHash: new Map(), games: new Map(), tokens: new Map(), libretro: new Map(), raGames: new Map() };
  const gameOfTitle = new Map<string, IgdbGame | null>();
  const art = new Map<string, Map<string, Set<string>>>();
  let nextGame = 1000;
  roms.forEach((rom, index) => {
    const platform = IGDB_PLATFORMS[rom.platform.slug] ?? null;
    const titleKey = `${rom.platform.slug}\t${normalizeSearchTerm(rom.title)}`;
    let game = gameOfTitle.get(titleKey);
    if (game === undefined) {
      game = platform && pct(gameOfTitle.size, 1, 90)
        ? { id: nextGame++, name: rom.title, slug: igdbSlug(rom.title), platform, seed: index }
        : null;
      gameOfTitle.set(titleKey, game);
      if (game) {
        cat.games.set(game.id, game);
        const byToken = cat.tokens.get(platform!.id) ?? new Map<string, Set<number>>();
        cat.tokens.set(platform!.id, byToken);
        for (const t of searchTokens(game.name)) {
          const set = byToken.get(t) ?? new Set<number>();
          set.add(game.id);
          byToken.set(t, set);
        }
      }
    }
    const known = pct(index, 2, 85);
    const entry: CatalogueRom = {
      index, slug: rom.platform.slug, fileName: rom.fileName, title: rom.title, hashes: hashesOf(index),
      hasheousId: known ? 100_000 + index : null,
      igdbId: game?.id ?? null,
      hasheousIgdb: known && game !== null && pct(index, 3, 95),
      raId: known && pct(index, 4, 40) ? 1 + index : null,
    };
    cat.roms.push(entry);
    if (known) for (const h of [entry.hashes.md5, entry.hashes.sha1, entry.hashes.crc]) if (h) cat.byHash.set(h.toLowerCase(), entry);
    if (entry.raId) cat.raGames.set(entry.raId, entry);

    const system = libretroSystems(rom.platform.slug)[0];
    if (system) {
      const name = `${libretroSafeName(removeExtension(rom.fileName))}.png`;
      const folders = art.get(system) ?? new Map<string, Set<string>>();
      art.set(system, folders);
      const add = (folder: string) => {
        const set = folders.get(folder) ?? new Set<string>();
        set.add(name);
        folders.set(folder, set);
      };
      if (pct(index, 5, 80)) add('Named_Boxarts');
      if (pct(index, 6, 60)) add('Named_Snaps');
      if (pct(index, 7, 60)) add('Named_Titles');
    }
  });
  for (const [system, folders] of art) {
    cat.libretro.set(system, new Map([...folders].map(([f, names]) => [f, [...names].sort()])));
  }
  return cat;
}
