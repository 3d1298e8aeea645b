/**
 * The merge step: the answers of every provider for one ROM, combined under `scan.priority` into the columns to
 * write. Pure. Text fields follow `scan.priority.metadata`; cover, screenshots and manual follow
 * `scan.priority.artwork` (or its per-field override), preferring a source that has the file on disk over one that
 * only knows a URL. A field a user edited (`manual` in field_sources) is never touched; a value a source filled
 * may be refreshed by any later scan; a source that has nothing never clears a value, except on a complete scan,
 * where a field filled by a selected source that no longer offers it is cleared.
 */
import { MANUAL, type FieldSources } from './field-sources.ts';
import { orderByPriority, type ArtworkField, type MetadataSettings } from './settings.ts';
import { EXTRA_MEDIA, type ExtraMedia, type MediaSource, type ProviderIdColumn, type ProviderMatch, type SourceId } from './types.ts';

export type MetadataScanType = 'quick' | 'update' | 'unmatched' | 'complete';

export type BlobColumn =
  | 'igdb_metadata' | 'moby_metadata' | 'ss_metadata' | 'ra_metadata' | 'launchbox_metadata' | 'hasheous_metadata'
  | 'flashpoint_metadata' | 'hltb_metadata' | 'gamelist_metadata';

const ID_COLUMN: Partial<Record<SourceId, ProviderIdColumn>> = {
  igdb: 'igdb_id', moby: 'moby_id', ss: 'ss_id', ra: 'ra_id', launchbox: 'launchbox_id', hasheous: 'hasheous_id',
  tgdb: 'tgdb_id', sgdb: 'sgdb_id', flashpoint: 'flashpoint_id', hltb: 'hltb_id', gamelist: 'gamelist_id', libretro: 'libretro_id',
};

const BLOB_COLUMN: Partial<Record<SourceId, BlobColumn>> = {
  igdb: 'igdb_metadata', moby: 'moby_metadata', ss: 'ss_metadata', ra: 'ra_metadata', launchbox: 'launchbox_metadata',
  hasheous: 'hasheous_metadata', flashpoint: 'flashpoint_metadata', hltb: 'hltb_metadata', gamelist: 'gamelist_metadata',
};

export const idColumnOf = (s: SourceId): ProviderIdColumn | undefined => ID_COLUMN[s];
export const blobColumnOf = (s: SourceId): BlobColumn | undefined => BLOB_COLUMN[s];

/** `scan.media` names of the media kinds stored besides the cover. */
const MEDIA_SETTING: Record<'screenshots' | 'manual' | ExtraMedia, string> = {
  screenshots: 'screenshot', manual: 'manual', title_screen: 'title_screen', marquee: 'marquee', fanart: 'fanart',
  box2d_back: 'box2d_back', box3d: 'box3d', miximage: 'miximage', physical: 'physical', video: 'video',
};

export interface MergeCurrent {
  name: string | null;
  summary: string | null;
  fsName: string;
  fsNameNoTags: string;
  /** A cover file is stored (path_cover_s non-empty). */
  hasCover: boolean;
  fieldSources: FieldSources;
  ids: Partial<Record<ProviderIdColumn, string | number | null>>;
}

export interface Chosen<T> {
  source: SourceId;
  value: T;
}

export type MediaField = 'cover' | 'screenshots' | 'manual';

export interface MergePlan {
  ids: Partial<Record<ProviderIdColumn, string | number | null>>;
  blobs: Partial<Record<BlobColumn, Record<string, unknown>>>;
  name?: Chosen<string>;
  summary?: Chosen<string>;
  sortName?: string;
  urls: { url_cover?: string; url_screenshots?: string[]; url_manual?: string };
  cover?: Chosen<MediaSource>;
  screenshots?: Chosen<MediaSource[]>;
  manual?: Chosen<MediaSource>;
  extras: Partial<Record<ExtraMedia, Chosen<MediaSource>>>;
  /** Media fields to empty (complete scans only). */
  clear: MediaField[];
  /** field_sources after the merge, without the media fields (the pass records those once the files are stored). */
  fieldSources: FieldSources;
  /** Sources that identified the ROM. */
  matched: SourceId[];
}

const nonEmpty = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';

/** A user's edit: marked `manual`, or (for rows from before sources were recorded) a value no source explains. */
function isProtected(field: string, current: MergeCurrent): boolean {
  const src = current.fieldSources[field];
  if (src === MANUAL) return true;
  if (src !== undefined) return false;
  switch (field) {
    case 'name': return nonEmpty(current.name ?? undefined) && current.name !== current.fsNameNoTags && current.name !== current.fsName;
    case 'summary': return nonEmpty(current.summary ?? undefined);
    case 'cover': return current.hasCover;
    default: return false;
  }
}

export function mergeMetadata(input: {
  current: MergeCurrent;
  matches: ProviderMatch[];
  /** Sources run in this pass. */
  selected: readonly SourceId[];
  type: MetadataScanType;
  settings: MetadataSettings;
}): MergePlan {
  const { current, matches, selected, type, settings } = input;
  const bySource = new Map(matches.map((m) => [m.source, m]));
  const matched = [...bySource.keys()];
  const plan: MergePlan = { ids: {}, blobs: {}, urls: {}, extras: {}, clear: [], fieldSources: { ...current.fieldSources }, matched };

  for (const m of matches) {
    const idCol = ID_COLUMN[m.source];
    if (idCol) plan.ids[idCol] = m.id;
    const blobCol = BLOB_COLUMN[m.source];
    if (blobCol && m.metadata) plan.blobs[blobCol] = m.metadata;
  }
  if (type === 'complete') {
    for (const s of selected) {
      if (bySource.has(s)) continue;
      const idCol = ID_COLUMN[s];
      if (idCol && current.ids[idCol] != null) {
        plan.ids[idCol] = null;
        const blobCol = BLOB_COLUMN[s];
        if (blobCol) plan.blobs[blobCol] = {};
      }
    }
  }

  const textOrder = orderByPriority(matched, settings.metadataPriority);
  for (const field of ['name', 'summary'] as const) {
    if (isProtected(field, current)) continue;
    const src = textOrder.find((s) => nonEmpty(bySource.get(s)?.[field]));
    if (!src) continue;
    plan[field] = { source: src, value: (bySource.get(src)?.[field] as string).trim() };
    plan.fieldSources[field] = src;
  }
  if (plan.name) {
    const sortSrc = textOrder.find((s) => nonEmpty(bySource.get(s)?.sortName));
    if (sortSrc) plan.sortName = bySource.get(sortSrc)?.sortName?.trim();
  }

  const artOrder = (field: ArtworkField) => orderByPriority(matched, settings.artworkOverrides[field] ?? settings.artworkPriority);
  const media = new Set(settings.media);

  // Cover: always stored (RomM stores it whatever scan.media says).
  if (!isProtected('cover', current)) {
    const order = artOrder('cover');
    const withFile = order.find((s) => bySource.get(s)?.media.cover);
    const withUrl = order.find((s) => nonEmpty(bySource.get(s)?.urls?.cover));
    if (withFile) {
      plan.cover = { source: withFile, value: bySource.get(withFile)?.media.cover as MediaSource };
      plan.urls.url_cover = bySource.get(withFile)?.urls?.cover ?? '';
    } else if (withUrl) {
      plan.urls.url_cover = bySource.get(withUrl)?.urls?.cover;
    } else if (type === 'complete' && isSelectedSource(current.fieldSources.cover, selected)) {
      plan.clear.push('cover');
    }
  }
  if (media.has(MEDIA_SETTING.screenshots) && !isProtected('screenshots', current)) {
    const order = artOrder('screenshot');
    const src = order.find((s) => (bySource.get(s)?.media.screenshots?.length ?? 0) > 0);
    if (src) {
      plan.screenshots = { source: src, value: bySource.get(src)?.media.screenshots ?? [] };
      plan.urls.url_screenshots = bySource.get(src)?.urls?.screenshots ?? [];
    } else if (type === 'complete' && isSelectedSource(current.fieldSources.screenshots, selected)) {
      plan.clear.push('screenshots');
    }
  }
  if (media.has(MEDIA_SETTING.manual) && !isProtected('manual', current)) {
    const order = artOrder('manual');
    const src = order.find((s) => bySource.get(s)?.media.manual);
    if (src) {
      plan.manual = { source: src, value: bySource.get(src)?.media.manual as MediaSource };
      plan.urls.url_manual = bySource.get(src)?.urls?.manual ?? '';
    } else if (type === 'complete' && isSelectedSource(current.fieldSources.manual, selected)) {
      plan.clear.push('manual');
    }
  }
  const extraOrder = orderByPriority(matched, settings.artworkPriority);
  for (const kind of EXTRA_MEDIA) {
    if (!media.has(MEDIA_SETTING[kind])) continue;
    const src = extraOrder.find((s) => bySource.get(s)?.media.extras?.[kind]);
    if (src) plan.extras[kind] = { source: src, value: bySource.get(src)?.media.extras?.[kind] as MediaSource };
  }
  return plan;
}

const isSelectedSource = (src: string | undefined, selected: readonly SourceId[]): boolean =>
  src !== undefined && (selected as readonly string[]).includes(src);
