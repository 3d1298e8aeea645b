/**
 * Filename tag parsing (spec §10.4): every `(...)`/`[...]` group, split on commas, each chunk classified by the
 * first matching rule: exact region code, exact language code, region name/code in any case, language name/code in
 * any case, version, `Reg-`, `Rev-`, else a free tag. Tables and precedence are RomM's.
 */

export const REGIONS: readonly (readonly [code: string, name: string])[] = [
  ['A', 'Australia'], ['AS', 'Asia'], ['B', 'Brazil'], ['C', 'Canada'], ['CH', 'China'], ['E', 'Europe'],
  ['F', 'France'], ['FN', 'Finland'], ['G', 'Germany'], ['GR', 'Greece'], ['H', 'Holland'], ['HK', 'Hong Kong'],
  ['I', 'Italy'], ['J', 'Japan'], ['K', 'Korea'], ['NL', 'Netherlands'], ['NO', 'Norway'], ['PD', 'Public Domain'],
  ['R', 'Russia'], ['S', 'Spain'], ['SW', 'Sweden'], ['T', 'Taiwan'], ['U', 'USA'], ['UK', 'England'],
  ['UNK', 'Unknown'], ['UNL', 'Unlicensed'], ['W', 'World'],
];

export const LANGUAGES: readonly (readonly [code: string, name: string])[] = [
  ['Ar', 'Arabic'], ['Da', 'Danish'], ['De', 'German'], ['El', 'Greek'], ['En', 'English'], ['Es', 'Spanish'],
  ['Fi', 'Finnish'], ['Fr', 'French'], ['It', 'Italian'], ['Ja', 'Japanese'], ['Ko', 'Korean'], ['Nl', 'Dutch'],
  ['No', 'Norwegian'], ['Pl', 'Polish'], ['Pt', 'Portuguese'], ['Ru', 'Russian'], ['Sr', 'Serbian'],
  ['Sv', 'Swedish'], ['Zh', 'Chinese'], ['nolang', 'No Language'],
];

/** Region name → the short code metadata providers use (`scan.priority.region`). */
export const REGION_PROVIDER_CODES: Readonly<Record<string, string>> = {
  Australia: 'au', Asia: 'asi', Brazil: 'br', Canada: 'ca', China: 'cn', England: 'uk', Europe: 'eu',
  Finland: 'fi', France: 'fr', Germany: 'de', Greece: 'gr', Holland: 'nl', 'Hong Kong': 'hk', Italy: 'it',
  Japan: 'jp', Korea: 'kr', Netherlands: 'nl', Norway: 'no', Russia: 'ru', Spain: 'sp', Sweden: 'se',
  Taiwan: 'tw', USA: 'us', World: 'wor',
};

const REGION_BY_CODE = new Map(REGIONS.map(([code, name]) => [code, name]));
const LANGUAGE_BY_CODE = new Map(LANGUAGES.map(([code, name]) => [code, name]));
const REGION_BY_ALIAS = aliasMap(REGIONS);
const LANGUAGE_BY_ALIAS = aliasMap(LANGUAGES);

function aliasMap(table: readonly (readonly [string, string])[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const [, name] of table) map.set(name.toLowerCase(), name);
  for (const [code, name] of table) map.set(code.toLowerCase(), name);
  return map;
}

const TAG_GROUP_RE = /\(([^)]+)\)|\[([^\]]+)\]/g;
const VERSION_RE = /^(?:version|ver|v)(?:[\s._-](.*)|([.\d].*))/i;
const REGION_PREFIX_RE = /^reg[\s|-](.*)$/i;
const REVISION_PREFIX_RE = /^rev[\s|-](.*)$/i;

export interface ParsedTags {
  regions: string[];
  languages: string[];
  /** '' when the name carries no version tag. */
  version: string;
  /** '' when the name carries no revision tag. */
  revision: string;
  tags: string[];
}

/** Canonical region name for a code or name in any case, or null. */
export function normalizeRegion(tag: string): string | null {
  return REGION_BY_ALIAS.get(tag.trim().toLowerCase()) ?? null;
}

export function normalizeLanguage(tag: string): string | null {
  return LANGUAGE_BY_ALIAS.get(tag.trim().toLowerCase()) ?? null;
}

/** Splits a file name into its tag chunks, in order of appearance. */
export function tagChunks(fsName: string): string[] {
  const chunks: string[] = [];
  for (const m of fsName.matchAll(TAG_GROUP_RE)) {
    const group = m[1] ?? m[2] ?? '';
    for (const chunk of group.split(',')) chunks.push(chunk.trim());
  }
  return chunks;
}

export function parseTags(fsName: string): ParsedTags {
  const regions: string[] = [];
  const languages: string[] = [];
  const tags: string[] = [];
  let version = '';
  let revision = '';
  for (const chunk of tagChunks(fsName)) {
    const exactRegion = REGION_BY_CODE.get(chunk);
    if (exactRegion) { regions.push(exactRegion); continue; }
    const exactLanguage = LANGUAGE_BY_CODE.get(chunk);
    if (exactLanguage) { languages.push(exactLanguage); continue; }
    const region = normalizeRegion(chunk);
    if (region) { regions.push(region); continue; }
    const language = normalizeLanguage(chunk);
    if (language) { languages.push(language); continue; }
    const v = VERSION_RE.exec(chunk);
    if (v) { version = (v[1] ?? v[2] ?? '').trim(); continue; }
    const reg = REGION_PREFIX_RE.exec(chunk);
    const rawRegion = reg?.[1]?.trim();
    if (rawRegion) { regions.push(normalizeRegion(rawRegion) ?? rawRegion); continue; }
    const rev = REVISION_PREFIX_RE.exec(chunk);
    if (rev) { revision = rev[1] ?? ''; continue; }
    if (chunk) tags.push(chunk);
  }
  // Facet rows are unique per (rom, kind, value), so the lists are too; first occurrence keeps its place.
  return { regions: unique(regions), languages: unique(languages), version, revision, tags: unique(tags) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
