export type RomFileCategory =
  | 'game' | 'dlc' | 'hack' | 'manual' | 'patch' | 'update' | 'mod' | 'demo'
  | 'translation' | 'prototype' | 'cheat' | 'soundtrack' | 'screenshot';

/** RomM's `RomFileCategory` enum order: the first category that matches a folder name wins. */
export const ROM_FILE_CATEGORIES: readonly RomFileCategory[] = [
  'game', 'dlc', 'hack', 'manual', 'patch', 'update', 'mod', 'demo', 'translation', 'prototype', 'cheat',
  'soundtrack', 'screenshot',
];

/**
 * Category of a file inside a folder ROM from its library-relative directory: a path component equal to the
 * category or the category + "s" (so `manuals` matches but `patches` does not, as in RomM).
 */
export function fileCategory(relativeDir: string): RomFileCategory | null {
  const parts = new Set(relativeDir.toLowerCase().split(/[\\/]+/).filter(Boolean));
  for (const category of ROM_FILE_CATEGORIES) {
    if (parts.has(category) || parts.has(`${category}s`)) return category;
  }
  return null;
}
