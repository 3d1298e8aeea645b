/**
 * Hasheous's answer to a hash lookup (`POST /Lookup/ByHash`), read defensively: the game's id and name, the DAT
 * signatures the hashes matched (RomM's `hasheous_metadata` flags, which the `verified` filter reads), the ids
 * Hasheous maps the game to in other databases, and its logo. Anything of the wrong type is ignored; an answer
 * without a usable game id is not a match.
 */

/** RomM's `hasheous_metadata`: one flag per DAT family, keyed by Hasheous's `SignatureSourceType` names. */
export interface HasheousMetadata {
  tosec_match: boolean;
  mame_arcade_match: boolean;
  mame_mess_match: boolean;
  nointro_match: boolean;
  redump_match: boolean;
  mame_redump_match: boolean;
  whdload_match: boolean;
  ra_match: boolean;
  fbneo_match: boolean;
  puredos_match: boolean;
}

/** Blob key → the signature name Hasheous answers with (spelled exactly as its API does). */
const SIGNATURE_FLAGS: readonly [keyof HasheousMetadata, string][] = [
  ['tosec_match', 'TOSEC'], ['mame_arcade_match', 'MAMEArcade'], ['mame_mess_match', 'MAMEMess'],
  ['nointro_match', 'NoIntros'], ['redump_match', 'Redump'], ['mame_redump_match', 'MAMERedump'],
  ['whdload_match', 'WHDLoad'], ['ra_match', 'RetroAchievements'], ['fbneo_match', 'FBNeo'], ['puredos_match', 'PureDOSDAT'],
];

export interface HashMatch {
  hasheousId: number;
  name: string | null;
  metadata: HasheousMetadata;
  /** Ids of the game in other databases, as Hasheous maps them (null when unmapped). */
  igdbId: number | null;
  raId: number | null;
  tgdbId: number | null;
  /** Path of the game's logo on the Hasheous host (`/api/v1/images/…`), or null. */
  logoPath: string | null;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** A positive integer id given as a number or as digits; anything else (a slug, a float, junk) is null. */
export function positiveId(v: unknown): number | null {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d{1,15}$/.test(text)) return null;
  const n = Number(text);
  return n > 0 ? n : null;
}

/** A trimmed non-empty string of at most `max` characters (longer text is cut), or null. */
export function text(v: unknown, max = 10_000): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t.slice(0, max);
}

export function hasheousMetadata(signatureNames: ReadonlySet<string>): HasheousMetadata {
  const out = {} as HasheousMetadata;
  for (const [key, name] of SIGNATURE_FLAGS) out[key] = signatureNames.has(name);
  return out;
}

/** The match in a ByHash answer, or null when the answer names no game. */
export function parseHashMatch(body: unknown): HashMatch | null {
  const game = obj(body);
  const hasheousId = positiveId(game?.id);
  if (!game || hasheousId === null) return null;

  const signatures = new Set(Object.keys(obj(game.signatures) ?? {}));
  const ids = { igdb: null as number | null, ra: null as number | null, tgdb: null as number | null };
  for (const entry of Array.isArray(game.metadata) ? game.metadata : []) {
    const m = obj(entry);
    const source = typeof m?.source === 'string' ? m.source.toLowerCase() : '';
    // Hasheous is moving IGDB from slugs to numeric ids: a slug is no id.
    const id = positiveId(m?.immutableId);
    if (id === null) continue;
    if (source === 'igdb') ids.igdb ??= id;
    else if (source === 'retroachievements') ids.ra ??= id;
    else if (source === 'thegamesdb') ids.tgdb ??= id;
  }

  let logoPath: string | null = null;
  for (const entry of Array.isArray(game.attributes) ? game.attributes : []) {
    const a = obj(entry);
    if (a?.attributeName !== 'Logo') continue;
    const link = text(a.link, 2048);
    // Only a path on the Hasheous host itself: never a URL pointing elsewhere.
    if (link && /^\/(?!\/)[\w./%-]*$/.test(link)) logoPath = link;
    break;
  }

  return { hasheousId, name: text(game.name, 1000), metadata: hasheousMetadata(signatures), igdbId: ids.igdb, raId: ids.ra, tgdbId: ids.tgdb, logoPath };
}
