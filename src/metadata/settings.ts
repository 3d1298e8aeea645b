/**
 * RomM's `config.yml` settings of the metadata pass: `scan.priority.metadata` (which source wins a text field),
 * `scan.priority.artwork` with the per-field overrides `scan.priority.cover|screenshot|manual`, `scan.priority.region`
 * and `scan.media` (which media kinds are stored). Unknown slugs are dropped, as RomM's loader does.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isSourceId, type SourceId } from './types.ts';

export interface MetadataSettings {
  metadataPriority: SourceId[];
  artworkPriority: SourceId[];
  /** Per-field artwork priority, when config.yml sets one. */
  artworkOverrides: Partial<Record<ArtworkField, SourceId[]>>;
  regionPriority: string[];
  /** `scan.media`: box2d, screenshot, manual, title_screen, marquee, fanart, video… */
  media: string[];
}

export type ArtworkField = 'cover' | 'screenshot' | 'manual';

export const DEFAULT_METADATA_PRIORITY: SourceId[] = ['igdb', 'moby', 'ss', 'ra', 'launchbox', 'gamelist', 'hasheous', 'tgdb', 'flashpoint', 'hltb'];
export const DEFAULT_ARTWORK_PRIORITY: SourceId[] = ['sgdb', 'igdb', 'moby', 'ss', 'libretro', 'ra', 'launchbox', 'gamelist', 'hasheous', 'tgdb', 'flashpoint', 'hltb'];
export const DEFAULT_MEDIA = ['box2d', 'screenshot', 'manual'];

const get = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);

function sources(v: unknown): SourceId[] | null {
  if (!Array.isArray(v)) return null;
  return [...new Set(v.map(String).map((s) => s.trim().toLowerCase()).filter(isSourceId))];
}

export function metadataSettingsFromYaml(doc: unknown): MetadataSettings {
  const overrides: Partial<Record<ArtworkField, SourceId[]>> = {};
  for (const field of ['cover', 'screenshot', 'manual'] as const) {
    const list = sources(get(doc, 'scan', 'priority', field));
    if (list) overrides[field] = list;
  }
  const region = get(doc, 'scan', 'priority', 'region');
  const media = get(doc, 'scan', 'media');
  return {
    metadataPriority: sources(get(doc, 'scan', 'priority', 'metadata')) ?? DEFAULT_METADATA_PRIORITY,
    artworkPriority: sources(get(doc, 'scan', 'priority', 'artwork')) ?? DEFAULT_ARTWORK_PRIORITY,
    artworkOverrides: overrides,
    regionPriority: Array.isArray(region) ? region.map((r) => String(r).toLowerCase()) : ['us', 'wor', 'ss', 'eu', 'jp'],
    media: Array.isArray(media) ? media.map((m) => String(m).toLowerCase()) : DEFAULT_MEDIA,
  };
}

/** Reads config.yml; a missing file means defaults. */
export function loadMetadataSettings(configFile: string): MetadataSettings {
  let doc: unknown = {};
  try {
    doc = parse(readFileSync(configFile, 'utf8')) ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${configFile}: ${(err as Error).message}`);
  }
  return metadataSettingsFromYaml(doc);
}

/**
 * Sources in the order they win: the configured list filtered to `available`, then the available sources the list
 * leaves out (RomM's get_priority_ordered_metadata_sources).
 */
export function orderByPriority(available: readonly SourceId[], priority: readonly SourceId[]): SourceId[] {
  const first = priority.filter((s) => available.includes(s));
  return [...first, ...available.filter((s) => !first.includes(s))];
}
