/**
 * The metadata pass: after the file pass has made every ROM visible, each selected provider is opened once per
 * platform, the ROMs the scan type asks for are read in keyset pages, their answers merged (merge.ts), media stored
 * (only when a source file changed) and the rows written in one transaction per page, with progress. A platform
 * whose source files have the fingerprint last applied costs one stat per source on a quick rescan.
 */
import { nameSortKey, searchText } from '../library/fs-names.ts';
import type { MetadataRepository, PassRom, PassRomSet, PassSelection, PassWrite, RomIdColumn } from '../db/repositories/metadata-repository.ts';
import { deriveMetadata, derivedFacetRows, METADATA_FACET_KINDS, type MetadataBlobs } from './derivation.ts';
import { parseFieldSources, serializeFieldSources, type FieldSources } from './field-sources.ts';
import { blobColumnOf, idColumnOf, mergeMetadata, type BlobColumn, type MergePlan, type MetadataScanType } from './merge.ts';
import type { MetadataSettings } from './settings.ts';
import type {
  ExtraMedia, MediaSource, MetadataIssueKind, MetadataIssues, MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession,
  ProviderMatch, SourceId,
} from './types.ts';
import { mediaLabel } from './types.ts';

/** What the pass needs of the media store (metadata/media-store.ts). */
export interface MediaStorage {
  origin(file: MediaSource): Promise<string | null>;
  storeCover(rom: RomKey, file: MediaSource): Promise<{ path_cover_l: string; path_cover_s: string }>;
  /** Bad files are skipped (reported through `onSkip`) and the rest keep their order. */
  storeScreenshots(rom: RomKey, files: MediaSource[], onSkip?: (err: Error & { kind?: MetadataIssueKind; path?: string }) => void): Promise<string[]>;
  storeManual(rom: RomKey, file: MediaSource): Promise<string>;
  storeExtra(rom: RomKey, kind: ExtraMedia, file: MediaSource): Promise<string>;
  /** Removes stored media no ROM uses any more; run after a pass that changed media. */
  sweepUnused?(): Promise<number>;
  /** Removes a ROM's stored cover, screenshots or manual. */
  remove?(rom: RomKey, field: 'cover' | 'screenshots' | 'manual'): Promise<void>;
}

export interface RomKey {
  platformId: number;
  id: number;
}

export interface MetadataProgress {
  phase: 'metadata';
  total: number;
  done: number;
  identified: number;
  errors: number;
  platform: string | null;
  /** Per source so far: matched, unmatched, failed lookups. */
  perSource?: Partial<Record<SourceId, SourceCounts>>;
}

export interface MetadataPassDeps {
  repo: MetadataRepository;
  providers: readonly MetadataProvider[];
  media: MediaStorage;
  settings: MetadataSettings;
  /** Absolute folder of a platform's ROMs, null when the library has none. */
  platformDir(fsSlug: string): Promise<string | null>;
  issues: MetadataIssues;
  onProgress?: (p: MetadataProgress) => void;
  now?: () => number;
  /** ROMs processed at once within a page (media encodes run in sharp's thread pool). */
  concurrency?: number;
}

export interface MetadataPassOptions {
  type: MetadataScanType;
  /** Sources to run; absent: every available provider. Unknown or unavailable ones are ignored. */
  sources?: readonly SourceId[];
  platformIds?: readonly number[];
  /** Only these platform folders. */
  platformFsSlugs?: readonly string[];
  /** Only these ROMs, whatever the type. */
  romIds?: readonly number[];
  signal?: AbortSignal;
}

export interface SourceCounts {
  matched: number;
  unmatched: number;
  errors: number;
}

export interface MetadataPassResult {
  sources: SourceId[];
  /** Per source: ROMs it identified, ROMs it did not, lookups that failed. */
  perSource: Partial<Record<SourceId, SourceCounts>>;
  total: number;
  processed: number;
  updated: number;
  identified: number;
  errors: number;
  cancelled: boolean;
}

const PAGE = 200;
const FACET_KINDS = METADATA_FACET_KINDS;
const BLOB_COLUMNS: readonly BlobColumn[] = [
  'igdb_metadata', 'moby_metadata', 'ss_metadata', 'ra_metadata', 'launchbox_metadata', 'hasheous_metadata',
  'flashpoint_metadata', 'hltb_metadata', 'gamelist_metadata',
];
const BLOB_PROVIDERS: Record<BlobColumn | 'manual_metadata', keyof MetadataBlobs> = {
  igdb_metadata: 'igdb', moby_metadata: 'moby', ss_metadata: 'ss', ra_metadata: 'ra', launchbox_metadata: 'launchbox',
  hasheous_metadata: 'hasheous', flashpoint_metadata: 'flashpoint', hltb_metadata: 'hltb', gamelist_metadata: 'gamelist',
  manual_metadata: 'manual',
};

interface PlatformPlan {
  platform: MetadataPlatform;
  selection: PassSelection;
  count: number;
  fingerprints: Map<MetadataProvider, string | null>;
}

export async function runMetadataPass(deps: MetadataPassDeps, options: MetadataPassOptions): Promise<MetadataPassResult> {
  return new MetadataPass(deps, options).run();
}

class MetadataPass {
  private readonly now: () => number;
  private readonly result: MetadataPassResult = { sources: [], perSource: {}, total: 0, processed: 0, updated: 0, identified: 0, errors: 0, cancelled: false };
  private current: string | null = null;
  private lastProgress = 0;
  private readonly issues: MetadataIssues;

  constructor(private readonly deps: MetadataPassDeps, private readonly options: MetadataPassOptions) {
    this.now = deps.now ?? Date.now;
    this.issues = {
      add: (kind: MetadataIssueKind, path: string, message: string) => {
        this.result.errors++;
        deps.issues.add(kind, path, message);
      },
    };
  }

  private get aborted(): boolean {
    if (this.options.signal?.aborted) this.result.cancelled = true;
    return this.result.cancelled;
  }

  private progress(force = false): void {
    const t = Date.now();
    if (!force && t - this.lastProgress < 200) return;
    this.lastProgress = t;
    const r = this.result;
    this.deps.onProgress?.({ phase: 'metadata', total: r.total, done: r.processed, identified: r.identified, errors: r.errors, platform: this.current, perSource: r.perSource });
  }

  async run(): Promise<MetadataPassResult> {
    const wanted = this.options.sources ? new Set(this.options.sources) : null;
    const providers: MetadataProvider[] = [];
    for (const p of this.deps.providers) {
      if (wanted && !wanted.has(p.id) && !(p.runsWith && wanted.has(p.runsWith))) continue;
      if (await p.available()) providers.push(p);
    }
    this.result.sources = providers.map((p) => p.id);
    for (const p of providers) this.result.perSource[p.id] = { matched: 0, unmatched: 0, errors: 0 };
    if (providers.length === 0) return this.result;
    for (const p of providers) {
      if (this.aborted) return this.result;
      await p.prepare?.(this.issues, this.options.signal);
    }

    const romIds = this.options.romIds ? [...this.options.romIds] : null;
    const platformIds = romIds ? await this.deps.repo.platformsOfRoms(romIds) : this.options.platformIds;
    if (romIds && platformIds?.length === 0) return this.result;
    const plans: PlatformPlan[] = [];
    for (const row of await this.deps.repo.platforms(platformIds, romIds ? undefined : this.options.platformFsSlugs)) {
      if (this.aborted) return this.result;
      const romsDir = await this.deps.platformDir(row.fs_slug);
      if (romsDir === null) continue;
      const platform: MetadataPlatform = { id: row.id, slug: row.slug, fsSlug: row.fs_slug, name: row.custom_name || row.name, romsDir };
      const fingerprints = new Map<MetadataProvider, string | null>();
      let changed = false;
      for (const p of providers) {
        const fp = await p.fingerprint(platform);
        fingerprints.set(p, fp);
        if ((fp ?? '') !== ((await this.deps.repo.fingerprint(p.id, platformKey(row.id))) ?? '')) changed = true;
      }
      const selection = this.selection(row.id, romIds, changed, providers);
      const count = await this.deps.repo.count(selection);
      this.result.total += count;
      plans.push({ platform, selection, count, fingerprints });
    }
    this.progress(true);

    for (const plan of plans) {
      if (this.aborted) break;
      await this.runPlatform(plan, providers);
    }
    this.progress(true);
    // Replaced or removed media leave content objects nothing links to; the scan lock keeps other passes out
    // meanwhile. A pass that only added media has nothing to sweep.
    if (this.mediaReplaced && !this.result.cancelled) await this.deps.media.sweepUnused?.();
    return this.result;
  }

  private selection(platformId: number, romIds: number[] | null, changed: boolean, providers: MetadataProvider[]): PassSelection {
    const idCols = providers.map((p) => idColumnOf(p.id)).filter((c): c is RomIdColumn => c !== undefined);
    if (romIds) return { platformId, romIds };
    switch (this.options.type) {
      case 'quick': return changed ? { platformId } : { platformId, onlyUnscanned: true };
      case 'update': return { platformId, anyIdSet: idCols };
      case 'unmatched': return { platformId, anyIdMissing: idCols };
      default: return { platformId };
    }
  }

  private async runPlatform(plan: PlatformPlan, providers: MetadataProvider[]): Promise<void> {
    this.current = plan.platform.fsSlug;
    const sessions: [MetadataProvider, PlatformSession][] = [];
    try {
      for (const p of providers) {
        if (plan.fingerprints.get(p) === null) continue;
        const s = await p.open(plan.platform, this.issues).catch((err: unknown) => {
          this.issues.add('source-unreadable', plan.platform.romsDir, `${p.id}: ${(err as Error).message}`);
          return null;
        });
        if (s) sessions.push([p, s]);
      }
      // Providers that build on the others' answers go last (a stable sort keeps the rest in order).
      sessions.sort(([a], [b]) => Number(a.lookupLast ?? false) - Number(b.lookupLast ?? false));
      let after = 0;
      for (;;) {
        if (this.aborted) return;
        const rows = await this.deps.repo.page(plan.selection, after, PAGE);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]?.id ?? after;
        await this.runPage(rows, sessions, providers);
      }
      if (this.aborted) return;
      const at = this.now();
      for (const p of providers) {
        const fp = plan.fingerprints.get(p) ?? null;
        await this.deps.repo.setFingerprint(p.id, platformKey(plan.platform.id), `${p.id}:${plan.platform.fsSlug}`, fp ?? '', at);
      }
    } finally {
      for (const [, s] of sessions) await s.close?.().catch(() => undefined);
    }
  }

  private async runPage(rows: PassRom[], sessions: [MetadataProvider, PlatformSession][], providers: MetadataProvider[]): Promise<void> {
    const writes: PassWrite[] = [];
    const untouched: number[] = [];
    const limit = Math.max(1, this.deps.concurrency ?? 4);
    let next = 0;
    const worker = async () => {
      while (next < rows.length && !this.aborted) {
        const rom = rows[next++];
        if (!rom) break;
        const write = await this.processRom(rom, sessions, providers);
        if (write) writes.push(write);
        else if (rom.metadata_scanned_at === null) untouched.push(rom.id);
        this.result.processed++;
        this.progress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, rows.length) }, worker));
    writes.sort((a, b) => a.id - b.id);
    await this.deps.repo.apply(writes);
    await this.deps.repo.markScanned(untouched, this.now());
    this.result.updated += writes.length;
  }

  private async processRom(rom: PassRom, sessions: [MetadataProvider, PlatformSession][], providers: MetadataProvider[]): Promise<PassWrite | null> {
    const ref = toMetadataRom(rom);
    for (const p of providers) {
      if (!p.hints) continue;
      const hinted = await p.hints(ref).catch(() => ({}));
      for (const [col, id] of Object.entries(hinted) as [keyof MetadataRom['ids'], string | number][]) {
        if (ref.ids[col] == null && id !== undefined && id !== null && id !== '') ref.ids[col] = id;
      }
    }
    const matches: ProviderMatch[] = [];
    const failed = new Set<SourceId>();
    for (const [p, s] of sessions) {
      const counts = this.result.perSource[p.id];
      try {
        const m = await s.lookup(ref, { earlier: matches });
        if (m) matches.push(m);
        if (counts) counts[m ? 'matched' : 'unmatched']++;
      } catch (err) {
        if (counts) counts.errors++;
        failed.add(p.id);
        this.lookupFailed(p.id, rom.fs_name, err);
      }
    }
    const fieldSources = parseFieldSources(rom.field_sources);
    const plan = mergeMetadata({
      current: {
        name: rom.name, summary: rom.summary, fsName: rom.fs_name, fsNameNoTags: rom.fs_name_no_tags,
        hasCover: rom.path_cover_s !== '', fieldSources, ids: ref.ids,
      },
      // A failed lookup is no answer: a complete scan must not clear what that source filled before.
      matches, selected: providers.map((p) => p.id).filter((id) => !failed.has(id)), type: this.options.type, settings: this.deps.settings,
    });
    if (plan.matched.length > 0) this.result.identified++;
    const set = await this.rowChanges(rom, plan);
    const facets = this.facetsFor(rom, set);
    if (Object.keys(set).length === 0) return null;
    set.metadata_scanned_at = this.now();
    set.updated_at = Math.max(this.now(), rom.updated_at + 1);
    return { id: rom.id, set, facets };
  }

  /** A provider's failure is one issue per kind and provider, not one per ROM (an offline provider fails them all). */
  private readonly reported = new Set<string>();
  /** Some stored media was replaced or removed in this pass. */
  private mediaReplaced = false;
  private lookupFailed(source: SourceId, romName: string, err: unknown): void {
    const kind = (err as { kind?: string }).kind ?? 'error';
    const key = `${source}:${kind}`;
    if (this.reported.has(key)) {
      this.result.errors++;
      return;
    }
    this.reported.add(key);
    this.issues.add('source-unreadable', romName, `${source}: ${(err as Error).message}`);
  }

  /** The columns that differ from the row; media stored on the way. */
  private async rowChanges(rom: PassRom, plan: MergePlan): Promise<PassRomSet> {
    const set: PassRomSet = {};
    const rec = set as Record<string, unknown>;
    const current = rom as unknown as Record<string, string | number | null>;
    for (const [col, value] of Object.entries(plan.ids)) {
      // Engines return integer ids as numbers or strings: compare as text.
      if (String(current[col] ?? '') !== String(value ?? '')) rec[col] = value;
    }
    const fs: FieldSources = { ...plan.fieldSources };
    const key: RomKey = { platformId: rom.platform_id, id: rom.id };
    const blobs = new Map<BlobColumn, Record<string, unknown>>(Object.entries(plan.blobs) as [BlobColumn, Record<string, unknown>][]);

    if (plan.name && plan.name.value !== rom.name) {
      set.name = plan.name.value;
      set.search_text = searchText(plan.name.value, rom.fs_name);
    }
    if (plan.name && !rom.name_sort_key_custom) {
      const key2 = nameSortKey(plan.sortName ?? plan.name.value);
      if (key2 !== rom.name_sort_key) set.name_sort_key = key2;
    }
    if (plan.summary && plan.summary.value !== rom.summary) set.summary = plan.summary.value;

    if (plan.cover) {
      const stored = await this.storeIfChanged(fs, 'cover', plan.cover.value, rom.path_cover_s !== '', () => this.deps.media.storeCover(key, plan.cover?.value as MediaSource));
      if (stored) Object.assign(set, stored);
      if (stored || rom.path_cover_s !== '') fs.cover = plan.cover.source;
    }
    if (plan.urls.url_cover !== undefined && plan.urls.url_cover !== rom.url_cover) set.url_cover = plan.urls.url_cover;
    if (plan.screenshots) {
      const files = plan.screenshots.value;
      const stored = await this.storeIfChanged(fs, 'screenshots', files, rom.path_screenshots !== '[]' && rom.path_screenshots !== '', () => this.deps.media.storeScreenshots(key, files, (err) => this.issues.add(err.kind ?? 'media-failed', err.path ?? '', err.message)));
      if (stored) set.path_screenshots = JSON.stringify(stored);
      fs.screenshots = plan.screenshots.source;
    }
    if (plan.urls.url_screenshots !== undefined) {
      const text = JSON.stringify(plan.urls.url_screenshots);
      if (text !== rom.url_screenshots) set.url_screenshots = text;
    }
    if (plan.manual) {
      const stored = await this.storeIfChanged(fs, 'manual', plan.manual.value, rom.path_manual !== '', () => this.deps.media.storeManual(key, plan.manual?.value as MediaSource));
      if (stored) set.path_manual = stored;
      if (stored || rom.path_manual !== '') fs.manual = plan.manual.source;
    }
    if (plan.urls.url_manual !== undefined && plan.urls.url_manual !== rom.url_manual) set.url_manual = plan.urls.url_manual;
    for (const [kind, chosen] of Object.entries(plan.extras) as [ExtraMedia, { source: SourceId; value: MediaSource }][]) {
      const blobCol = blobColumnOf(chosen.source);
      if (!blobCol) continue;
      const previous = stringAt(parseBlob(rom[blobCol]), `${kind}_path`);
      const stored = await this.storeIfChanged(fs, kind, chosen.value, previous !== null, () => this.deps.media.storeExtra(key, kind, chosen.value));
      const blob = blobs.get(blobCol) ?? { ...parseBlob(rom[blobCol]) };
      blob[`${kind}_path`] = stored ?? previous;
      blobs.set(blobCol, blob);
    }
    for (const field of plan.clear) {
      const stored = field === 'cover' ? rom.path_cover_l : field === 'manual' ? rom.path_manual : parseList(rom.path_screenshots).length > 0;
      if (stored) {
        await this.deps.media.remove?.(key, field);
        this.mediaReplaced = true;
      }
      if (field === 'cover') Object.assign(set, { path_cover_s: '', path_cover_l: '', url_cover: '' });
      if (field === 'screenshots') Object.assign(set, { path_screenshots: '[]', url_screenshots: '[]' });
      if (field === 'manual') Object.assign(set, { path_manual: '', url_manual: '' });
      delete fs[field];
      delete fs[`origin:${field}`];
    }

    for (const [col, blob] of blobs) {
      const text = JSON.stringify(blob);
      if (text !== rom[col]) rec[col] = text;
    }
    const fsText = serializeFieldSources(fs);
    if (fsText !== serializeFieldSources(parseFieldSources(rom.field_sources))) set.field_sources = fsText;
    return set;
  }

  /** Stores media unless its origin is the one already stored; returns the stored value, or null when skipped. */
  private async storeIfChanged<T>(fs: FieldSources, field: string, files: MediaSource | MediaSource[], present: boolean, store: () => Promise<T>): Promise<T | null> {
    const list = Array.isArray(files) ? files : [files];
    const origins = await Promise.all(list.map((f) => this.deps.media.origin(f)));
    const origin = origins.map((o) => o ?? '-').join('\n');
    if (present && fs[`origin:${field}`] === origin) return null;
    try {
      const stored = await store();
      fs[`origin:${field}`] = origin;
      if (present) this.mediaReplaced = true;
      return stored;
    } catch (err) {
      const kind = (err as { kind?: MetadataIssueKind }).kind ?? 'media-failed';
      this.issues.add(kind, list[0] ? mediaLabel(list[0]) : '', (err as Error).message);
      return null;
    }
  }

  /** Metadata facets and derived columns, recomputed when any blob changed. */
  private facetsFor(rom: PassRom, set: PassRomSet): PassWrite['facets'] {
    const rec = set as Record<string, unknown>;
    const touched = BLOB_COLUMNS.some((c) => rec[c] !== undefined);
    if (!touched) return null;
    const blobs: MetadataBlobs = {};
    for (const [col, provider] of Object.entries(BLOB_PROVIDERS) as [BlobColumn | 'manual_metadata', keyof MetadataBlobs][]) {
      blobs[provider] = parseBlob((rec[col] as string | undefined) ?? rom[col]);
    }
    const derived = deriveMetadata(blobs);
    if (derived.first_release_date !== rom.first_release_date) set.first_release_date = derived.first_release_date;
    if (derived.average_rating !== rom.average_rating) set.average_rating = derived.average_rating;
    if (derived.player_count !== rom.player_count) set.player_count = derived.player_count;
    return { kinds: FACET_KINDS, rows: derivedFacetRows(rom.id, derived) };
  }
}

const platformKey = (id: number): string => `platform:${id}`;

function parseBlob(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringAt(o: Record<string, unknown>, k: string): string | null {
  const v = o[k];
  return typeof v === 'string' && v !== '' ? v : null;
}

function parseList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toMetadataRom(rom: PassRom): MetadataRom {
  const ids: MetadataRom['ids'] = {};
  for (const c of ['igdb_id', 'moby_id', 'ss_id', 'ra_id', 'launchbox_id', 'hasheous_id', 'tgdb_id', 'sgdb_id', 'flashpoint_id', 'hltb_id', 'gamelist_id', 'libretro_id'] as const) {
    ids[c] = rom[c];
  }
  return {
    id: rom.id, platformId: rom.platform_id, fsName: rom.fs_name, fsNameNoTags: rom.fs_name_no_tags, fsNameNoExt: rom.fs_name_no_ext,
    sizeBytes: Number(rom.fs_size_bytes), regions: parseList(rom.regions), crc: rom.crc_hash, md5: rom.md5_hash, sha1: rom.sha1_hash, raHash: rom.ra_hash, ids,
  };
}
