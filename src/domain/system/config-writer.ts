import { isMap, isScalar, type Document } from 'yaml';
import { badRequest, unprocessable } from '../../common/errors.ts';
import { DEFAULT_EXCLUDED_DIRS, DEFAULT_EXCLUDED_EXTENSIONS, DEFAULT_EXCLUDED_FILES } from '../../library/exclusions.ts';
import { SOURCE_IDS } from '../../metadata/types.ts';
import { editConfigFile, mapDelete, mapSet, seqAdd, seqRemove, seqValues } from './config-editor.ts';

/**
 * RomM's exclusion types (the `Config` attribute names its `POST /api/config/exclude` takes), the config.yml list
 * each one edits, and the defaults it is merged with.
 */
export const EXCLUSION_TYPES = {
  EXCLUDED_PLATFORMS: { keys: ['exclude', 'platforms'], defaults: DEFAULT_EXCLUDED_DIRS, extension: false },
  EXCLUDED_SINGLE_EXT: { keys: ['exclude', 'roms', 'single_file', 'extensions'], defaults: DEFAULT_EXCLUDED_EXTENSIONS, extension: true },
  EXCLUDED_SINGLE_FILES: { keys: ['exclude', 'roms', 'single_file', 'names'], defaults: DEFAULT_EXCLUDED_FILES, extension: false },
  EXCLUDED_MULTI_FILES: { keys: ['exclude', 'roms', 'multi_file', 'names'], defaults: DEFAULT_EXCLUDED_DIRS, extension: false },
  EXCLUDED_MULTI_PARTS_EXT: { keys: ['exclude', 'roms', 'multi_file', 'parts', 'extensions'], defaults: DEFAULT_EXCLUDED_EXTENSIONS, extension: true },
  EXCLUDED_MULTI_PARTS_FILES: { keys: ['exclude', 'roms', 'multi_file', 'parts', 'names'], defaults: DEFAULT_EXCLUDED_FILES, extension: false },
} as const satisfies Record<string, { keys: readonly string[]; defaults: readonly string[]; extension: boolean }>;
export type ExclusionType = keyof typeof EXCLUSION_TYPES;

/** RomM's `MetadataMediaType` values, and the subsets its gamelist.xml export accepts. */
export const MEDIA_TYPES = [
  'bezel', 'box2d', 'box2d_back', 'box2d_side', 'box3d', 'miximage', 'miximage_v2', 'physical', 'screenshot',
  'title_screen', 'marquee', 'logo', 'fanart', 'video', 'video_normalized', 'manual',
] as const;
export const GAMELIST_THUMBNAIL_TYPES = ['box2d', 'box3d', 'miximage', 'miximage_v2', 'physical'] as const;
export const GAMELIST_IMAGE_TYPES = ['title_screen', 'miximage', 'miximage_v2', 'box2d', 'screenshot'] as const;

/** RomM's `ScanSettingsPayload`: the whole `scan` section; a null artwork override clears it. */
export interface ScanSettingsInput {
  metadata_priority: string[];
  artwork_priority: string[];
  cover_priority?: string[] | null | undefined;
  screenshot_priority?: string[] | null | undefined;
  manual_priority?: string[] | null | undefined;
  region_priority: string[];
  language_priority: string[];
  media: string[];
  gamelist_export: boolean;
  gamelist_thumbnail: string;
  gamelist_image: string;
  pegasus_export: boolean;
}

/** Longest name, slug or glob accepted (a file name is at most 255 bytes on common file systems). */
export const MAX_VALUE_LENGTH = 255;
/** Entries one list or binding map may hold; more is not a configuration but an attempt to bloat the file. */
export const MAX_ENTRIES = 1000;
const isControl = (value: string): boolean => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const CODE = /^[\p{L}\p{N}_-]{1,32}$/u;

function text(value: string, what: string, max = MAX_VALUE_LENGTH): string {
  if (value.trim() === '') throw badRequest(`${what} must not be empty`);
  if (value.length > max) throw badRequest(`${what} is longer than ${max} characters`);
  if (isControl(value)) throw badRequest(`${what} contains control characters`);
  return value;
}

function folderName(value: string, what: string): string {
  text(value, what);
  if (value.includes('/') || value.includes('\\') || value === '.' || value === '..') {
    throw badRequest(`${what} must be a single folder name`);
  }
  return value;
}

function exclusionType(type: string): (typeof EXCLUSION_TYPES)[ExclusionType] {
  if (!Object.hasOwn(EXCLUSION_TYPES, type)) {
    throw badRequest(`Unknown exclusion type '${type.slice(0, 64)}'; valid types: ${Object.keys(EXCLUSION_TYPES).join(', ')}`);
  }
  return EXCLUSION_TYPES[type as ExclusionType];
}

/** RomM's source validator: known slugs only, duplicates dropped in priority order; null stays null. */
function sources<T extends string[] | null | undefined>(list: T, field: string): T {
  if (!list) return list;
  const invalid = [...new Set(list.filter((s) => !(SOURCE_IDS as readonly string[]).includes(s)))].sort();
  if (invalid.length) throw unprocessable(`${field}: Unknown metadata source(s): ${invalid.map((s) => `'${s.slice(0, 64)}'`).join(', ')}`);
  return [...new Set(list)] as T;
}

/** RomM's region/language normaliser (trim, lower-case, blanks and duplicates dropped), plus a shape check. */
function codes(list: string[], field: string): string[] {
  const cleaned = [...new Set(list.map((c) => c.trim().toLowerCase()).filter((c) => c !== ''))];
  const bad = cleaned.find((c) => !CODE.test(c));
  if (bad !== undefined) throw unprocessable(`${field}: invalid code '${bad.slice(0, 64)}' (letters, digits, '-' and '_', at most 32)`);
  return cleaned;
}

function oneOf(value: string, allowed: readonly string[], field: string): string {
  if (!allowed.includes(value)) throw unprocessable(`Invalid ${field}; valid options: ${[...allowed].sort().join(', ')}`);
  return value;
}

/**
 * The write side of `/api/config`: each change is one edit of config.yml (comments and unrelated keys kept), run one
 * at a time so two concurrent requests cannot lose each other's change. Re-adding an existing entry and removing a
 * missing one change nothing and succeed, as in RomM.
 */
export class ConfigWriter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string, private readonly onWritten: () => void) {}

  private serial(task: () => Promise<boolean>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run.then((written) => {
      if (written) this.onWritten();
    });
  }

  /** Applies `edit`; it returns false when there is nothing to change, and then the file is not rewritten. */
  private edit(edit: (doc: Document) => boolean): Promise<void> {
    return this.serial(() => editConfigFile(this.file, edit));
  }

  addBinding(kind: 'platforms' | 'versions', fsSlug: string, slug: string): Promise<void> {
    folderName(fsSlug, 'fs_slug');
    text(slug, 'slug', 100);
    return this.edit((doc) => {
      const keys = ['system', kind];
      const map = doc.getIn(keys, true);
      const entries = isMap(map) ? map.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
      // RomM keeps an existing binding: the user removes it first to change it.
      if (entries.includes(fsSlug)) return false;
      if (entries.length >= MAX_ENTRIES) throw badRequest(`system.${kind} already holds ${MAX_ENTRIES} entries`);
      mapSet(doc, [...keys, fsSlug], slug);
      return true;
    });
  }

  removeBinding(kind: 'platforms' | 'versions', fsSlug: string): Promise<void> {
    text(fsSlug, 'fs_slug');
    return this.edit((doc) => mapDelete(doc, ['system', kind, fsSlug]));
  }

  addExclusion(type: string, rawValue: string): Promise<void> {
    const spec = exclusionType(type);
    text(rawValue, 'exclusion_value');
    const value = spec.extension ? rawValue.toLowerCase() : rawValue;
    return this.edit((doc) => {
      const current = seqValues(doc, spec.keys);
      const effective = [...spec.defaults, ...current].map((v) => (spec.extension ? v.toLowerCase() : v));
      if (effective.includes(value)) return false;
      if (current.length >= MAX_ENTRIES) throw badRequest(`${type} already holds ${MAX_ENTRIES} entries`);
      seqAdd(doc, spec.keys, value);
      return true;
    });
  }

  removeExclusion(type: string, rawValue: string): Promise<void> {
    const spec = exclusionType(type);
    text(rawValue, 'exclusion_value');
    const value = spec.extension ? rawValue.toLowerCase() : rawValue;
    // A default exclusion is not in config.yml, so removing it changes nothing (RomM merges the defaults back too).
    return this.edit((doc) => {
      const matches = seqValues(doc, spec.keys).filter((v) => (spec.extension ? v.toLowerCase() : v) === value);
      let removed = false;
      for (const m of new Set(matches)) removed = seqRemove(doc, spec.keys, m) || removed;
      return removed;
    });
  }

  updateScan(input: ScanSettingsInput): Promise<void> {
    const metadata = sources(input.metadata_priority, 'metadata_priority');
    const artwork = sources(input.artwork_priority, 'artwork_priority');
    const overrides = {
      cover: sources(input.cover_priority, 'cover_priority'),
      screenshot: sources(input.screenshot_priority, 'screenshot_priority'),
      manual: sources(input.manual_priority, 'manual_priority'),
    };
    const region = codes(input.region_priority, 'region_priority');
    const language = codes(input.language_priority, 'language_priority');
    const media = [...new Set(input.media.map((m) => oneOf(m, MEDIA_TYPES, 'media type')))];
    const thumbnail = oneOf(input.gamelist_thumbnail, GAMELIST_THUMBNAIL_TYPES, 'gamelist thumbnail');
    const image = oneOf(input.gamelist_image, GAMELIST_IMAGE_TYPES, 'gamelist image');
    return this.edit((doc) => {
      // RomM replaces the scan section; keys it does not manage (and comments) are kept here.
      mapSet(doc, ['scan', 'priority', 'metadata'], metadata);
      mapSet(doc, ['scan', 'priority', 'artwork'], artwork);
      for (const [key, list] of Object.entries(overrides)) {
        if (list) mapSet(doc, ['scan', 'priority', key], list);
        else mapDelete(doc, ['scan', 'priority', key]);
      }
      mapSet(doc, ['scan', 'priority', 'region'], region);
      mapSet(doc, ['scan', 'priority', 'language'], language);
      mapSet(doc, ['scan', 'media'], media);
      mapSet(doc, ['scan', 'gamelist', 'export'], input.gamelist_export);
      mapSet(doc, ['scan', 'gamelist', 'media', 'thumbnail'], thumbnail);
      mapSet(doc, ['scan', 'gamelist', 'media', 'image'], image);
      mapSet(doc, ['scan', 'pegasus', 'export'], input.pegasus_export);
      return true;
    });
  }
}
