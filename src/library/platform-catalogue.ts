import { CATALOGUE } from './platform-catalogue-data.ts';

/** [slug, name, category, generation, family name, family slug, IGDB id, IGDB slug, space-separated aliases]. */
export type CatalogueEntry = readonly [
  slug: string, name: string, category: string | null, generation: number | null,
  familyName: string | null, familySlug: string | null, igdbId: number | null, igdbSlug: string | null,
  aliases: string,
];

export interface PlatformInfo {
  slug: string;
  name: string;
  category: string | null;
  generation: number | null;
  family_name: string | null;
  family_slug: string | null;
  igdb_id: number | null;
  igdb_slug: string | null;
  url: string | null;
}

const BY_KEY = new Map<string, CatalogueEntry>();
for (const entry of CATALOGUE) {
  BY_KEY.set(entry[0], entry);
  for (const alias of entry[8].split(' ').filter(Boolean)) BY_KEY.set(alias, entry);
}

/** Every known platform slug (the catalogue RomM's `/api/platforms/supported` draws from). */
export function knownPlatformSlugs(): string[] {
  return CATALOGUE.map((e) => e[0]);
}

/** `super-famicom` → `Super Famicom`: RomM's `slug.replace("-", " ").title()` for platforms it does not know. */
export function titleFromSlug(slug: string): string {
  return slug
    .replace(/-/g, ' ')
    .replace(/[A-Za-z]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

/** Configured folder → slug bindings (RomM's `system.platforms` and `system.versions`). */
export interface PlatformBindings {
  platforms?: Readonly<Record<string, string>>;
  versions?: Readonly<Record<string, string>>;
}

/**
 * Resolves a platform folder name: a configured binding wins, then the catalogue (slug or folder alias, in any
 * case), else the folder name itself becomes the slug and the name is derived from it.
 */
export function resolvePlatform(fsSlug: string, bindings: PlatformBindings = {}): PlatformInfo {
  const bound = bindings.platforms?.[fsSlug] ?? bindings.versions?.[fsSlug];
  const key = (bound ?? fsSlug).toLowerCase();
  const entry = BY_KEY.get(key) ?? BY_KEY.get(key.replace(/[\s_]+/g, '-')) ?? BY_KEY.get(key.replace(/[\s_-]+/g, ''));
  if (!entry) {
    const slug = bound ?? fsSlug;
    return {
      slug, name: titleFromSlug(slug), category: null, generation: null, family_name: null, family_slug: null,
      igdb_id: null, igdb_slug: null, url: null,
    };
  }
  const [slug, name, category, generation, familyName, familySlug, igdbId, igdbSlug] = entry;
  return {
    slug, name, category, generation, family_name: familyName, family_slug: familySlug, igdb_id: igdbId,
    igdb_slug: igdbSlug, url: igdbSlug ? `https://www.igdb.com/platforms/${igdbSlug}` : null,
  };
}
