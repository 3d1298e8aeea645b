/**
 * Virtual collection ids (spec §7.3): URL-safe base64, with padding, of Python's
 * `json.dumps({"name": name, "type": type})` — reproduced byte for byte (`": "`/`", "` separators, non-ASCII
 * escaped as `\uXXXX`), so ids made by RomM keep working.
 */
import { pyString } from './py-json.ts';

export function encodeVirtualCollectionId(name: string, type: string): string {
  const json = `{"name": ${pyString(name)}, "type": ${pyString(type)}}`;
  return Buffer.from(json, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** `{name, type}` from an id, or null when the id is not one (RomM answers 500; romshelf an empty set). */
export function decodeVirtualCollectionId(id: string): { name: string; type: string } | null {
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(id)) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(id.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
    if (!json || typeof json !== 'object') return null;
    const { name, type } = json as Record<string, unknown>;
    return typeof name === 'string' && typeof type === 'string' ? { name, type } : null;
  } catch {
    return null;
  }
}

/** Virtual collection type → rom_facets kind (spec §7.3). */
export const VIRTUAL_TYPE_FACETS: Record<string, string> = {
  genre: 'genre', franchise: 'franchise', collection: 'collection', mode: 'game_mode', company: 'company',
};
