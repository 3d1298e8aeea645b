/**
 * `roms.field_sources`: which source filled each field (`manual` = a user's edit, which no scan overwrites), and
 * the origin identity of each stored media file (`origin:cover` → `realpath|size|mtime`), so a rescan does not
 * re-encode a cover whose file did not change.
 */
export type FieldSources = Record<string, string>;

export const MANUAL = 'manual';

/** Fields a user edit marks `manual` (PUT /api/roms/{id}). */
export const EDITABLE_FIELDS = ['name', 'summary', 'cover', 'manual'] as const;

export function parseFieldSources(text: string | null | undefined): FieldSources {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** Serialized with sorted keys, so an unchanged map serializes to the same text (and no row is rewritten). */
export function serializeFieldSources(fs: FieldSources): string {
  const sorted = Object.keys(fs).sort().map((k) => [k, fs[k]] as const);
  return JSON.stringify(Object.fromEntries(sorted));
}

/** Sources shown to users: the `origin:*` bookkeeping left out. */
export function visibleFieldSources(fs: FieldSources): FieldSources {
  return Object.fromEntries(Object.entries(fs).filter(([k]) => !k.startsWith('origin:')));
}
