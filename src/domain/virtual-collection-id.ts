/**
 * Virtual collection ids (spec §7.3): URL-safe base64, with padding, of Python's
 * `json.dumps({"name": name, "type": type})` — reproduced byte for byte (`": "`/`", "` separators, non-ASCII
 * escaped as `\uXXXX`), so ids made by RomM keep working.
 */

function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function encodeVirtualCollectionId(name: string, type: string): string {
  const json = `{"name": ${pyJsonString(name)}, "type": ${pyJsonString(type)}}`;
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
