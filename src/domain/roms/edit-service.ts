/**
 * PUT /api/roms/{id} (spec §6.4): provider ids and metadata, names, file-system rename, cover and manual.
 * Differences from RomM, on purpose: the rename on disk and the database update succeed or fail together
 * (409 when the target exists), and `unmatch_metadata` resets the name to `fs_name_no_tags` like a scan.
 */
import type { Logger } from 'pino';
import type { EditableRom, RomEditRepository, RomSet } from '../../db/repositories/rom-edit-repository.ts';
import type { FacetKind } from '../../db/schema.ts';
import { nameSortKey, searchText } from '../../library/fs-names.ts';
import { filenameFields } from '../../scanner/reconcile.ts';
import { AppError, conflict, notFound } from '../../common/errors.ts';
import { MANUAL, parseFieldSources, serializeFieldSources } from '../../metadata/field-sources.ts';
import { deriveMetadata, derivedFacetRows, METADATA_FACET_KINDS, type MetadataBlobs, type Provider } from '../../metadata/derivation.ts';
import { INT_ID_FIELDS, parseRomEditForm, RAW_METADATA_FIELDS, STRING_ID_FIELDS, type IdField, type RomEditForm } from './edit-form.ts';
import type { CoverColumns, RomMedia } from './edit-cover.ts';
import { isSourceId, type SourceId } from '../../metadata/types.ts';
import { filenameFacetRows, renameOnDisk, renamedFileRows, type DiskRename } from './edit-rename.ts';
import { sanitizeFsName } from './edit-paths.ts';

export interface RomEditInput {
  fields: ReadonlyMap<string, string>;
  /** Bytes of the `artwork` file part, when one was sent. */
  artwork: Buffer | null;
  removeCover: boolean;
  unmatchMetadata: boolean;
}

/** What an edit asks of the metadata pass: the sources whose id it set to a new value (RomM fetches those by id). */
export interface RomEditResult {
  refetch: SourceId[];
}

/** Failure injection points, for tests of the rename rollback. */
export interface RomEditFaults {
  afterDiskRename?: () => Promise<void>;
}

const BLOB_COLUMNS: Record<Provider, keyof EditableRom> = {
  manual: 'manual_metadata', igdb: 'igdb_metadata', moby: 'moby_metadata', ss: 'ss_metadata', ra: 'ra_metadata',
  launchbox: 'launchbox_metadata', hasheous: 'hasheous_metadata', flashpoint: 'flashpoint_metadata',
  hltb: 'hltb_metadata', gamelist: 'gamelist_metadata',
};

/** Provider id → the blob reset to `{}` when the id is cleared (spec §6.4 step 4). */
const ID_BLOBS: Partial<Record<IdField, keyof EditableRom>> = {
  igdb_id: 'igdb_metadata', moby_id: 'moby_metadata', ss_id: 'ss_metadata', ra_id: 'ra_metadata',
  launchbox_id: 'launchbox_metadata', flashpoint_id: 'flashpoint_metadata', hltb_id: 'hltb_metadata',
};

const ALL_IDS: IdField[] = [...INT_ID_FIELDS, ...(Object.keys(STRING_ID_FIELDS) as IdField[])];
const FILENAME_FACET_KINDS: readonly FacetKind[] = ['region', 'language', 'tag'];

export class RomEditService {
  faults: RomEditFaults = {};

  constructor(
    private readonly repo: RomEditRepository,
    readonly media: RomMedia,
    private readonly libraryPath: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async edit(id: number, input: RomEditInput): Promise<RomEditResult> {
    const rom = await this.repo.findRom(id);
    if (!rom) throw notFound(`Rom with id '${id}' not found`);
    if (input.unmatchMetadata) {
      await this.unmatch(rom);
      return { refetch: [] };
    }

    const form = parseRomEditForm(input.fields);
    const set: RomSet = {};
    const rec = set as Record<string, unknown>;

    // Ids: absent keeps, present replaces; a cleared id empties its provider blob.
    const ids = {} as Record<IdField, number | string | null>;
    const refetch: SourceId[] = [];
    for (const f of ALL_IDS) {
      const current = rom[f];
      const next = f in form.ids ? (form.ids[f] ?? null) : current;
      ids[f] = next;
      // Engines return integer ids as numbers or strings: compare as text.
      if (String(next ?? '') !== String(current ?? '')) {
        rec[f] = next;
        const source = f.slice(0, -'_id'.length);
        if (next !== null && isSourceId(source)) refetch.push(source);
      }
      const blob = ID_BLOBS[f];
      if (blob && current && !next) rec[blob] = '{}';
    }
    for (const [field, spec] of Object.entries(RAW_METADATA_FIELDS) as [keyof typeof RAW_METADATA_FIELDS, (typeof RAW_METADATA_FIELDS)[keyof typeof RAW_METADATA_FIELDS]][]) {
      const raw = form.raw[field];
      if (raw && ids[spec.id]) rec[spec.column] = JSON.stringify(raw);
    }
    if (form.raw.raw_manual_metadata) set.manual_metadata = JSON.stringify(form.raw.raw_manual_metadata);

    const name = form.text.name !== undefined ? form.text.name : rom.name;
    if (form.text.name !== undefined) set.name = name;
    if (form.text.summary !== undefined) set.summary = form.text.summary;
    Object.assign(set, sortKeyColumns(rom, name, form));

    const newFsName = form.text.fs_name !== undefined ? sanitizeFsName(form.text.fs_name) : rom.fs_name;
    let diskRename: DiskRename | null = null;
    if (newFsName !== rom.fs_name) {
      if (await this.repo.fsNameTaken(rom.platform_id, newFsName, rom.id)) throw conflict(`Can't rename: ${newFsName} already exists`);
      const { facets, ...fields } = filenameFields(newFsName);
      Object.assign(set, fields, { fs_name: newFsName });
      diskRename = { libraryRoot: this.libraryPath, fsPath: rom.fs_path, from: rom.fs_name, to: newFsName, facets };
    }
    set.search_text = searchText(name, newFsName);

    Object.assign(set, await this.coverColumns(rom, form, input));
    const manualUrl = form.text.url_manual;
    if (manualUrl !== undefined) Object.assign(set, await this.media.manualFromUrl(rom, manualUrl));
    const edited = markManualEdits(rom, set);
    if (edited !== null) set.field_sources = edited;

    set.updated_at = Math.max(this.now(), rom.updated_at + 1);
    await this.write(rom, set, diskRename);
    return { refetch };
  }

  private async coverColumns(rom: EditableRom, form: RomEditForm, input: RomEditInput): Promise<CoverColumns> {
    if (input.removeCover) return this.media.removeCover(rom);
    if (input.artwork) return this.media.storeArtwork(rom, input.artwork);
    return this.media.coverFromUrl(rom, form.text.url_cover ?? rom.url_cover);
  }

  /** Row, facets, file rows and the disk rename in one transaction; the rename is undone if anything fails after it. */
  private async write(rom: EditableRom, set: RomSet, diskRename: DiskRename | null): Promise<void> {
    const derived = this.derive({ ...rom, ...set });
    const facets = derivedFacetRows(rom.id, derived);
    set.first_release_date = derived.first_release_date;
    set.average_rating = derived.average_rating;
    set.player_count = derived.player_count;
    const files = diskRename ? renamedFileRows(await this.repo.files(rom.id), rom.fs_path, rom.fs_name, diskRename.to) : [];

    const done: { undo: (() => Promise<void>) | null } = { undo: null };
    try {
      await this.repo.inTransaction(async (w) => {
        // A concurrent edit that renamed or deleted the ROM since it was read wins; this one stops.
        const current = await w.lockFsName(rom.id);
        if (current === undefined) throw notFound(`Rom with id '${rom.id}' not found`);
        if (current !== rom.fs_name) throw conflict('The ROM was changed by another request; reload and retry');
        await w.updateRom(rom.id, set);
        await w.replaceFacets(rom.id, METADATA_FACET_KINDS, facets);
        if (diskRename) {
          await w.replaceFacets(rom.id, FILENAME_FACET_KINDS, filenameFacetRows(rom.id, diskRename.facets));
          for (const f of files) await w.updateFile(f.id, { file_name: f.file_name, file_path: f.file_path, updated_at: set.updated_at ?? this.now() });
          // Last step inside the transaction: every database error has surfaced before the disk is touched.
          done.undo = await renameOnDisk(diskRename);
          await this.faults.afterDiskRename?.();
        }
      });
    } catch (err) {
      if (done.undo) {
        await done.undo().catch((undoErr: unknown) => {
          this.logger.error({ romId: rom.id, err: undoErr }, 'could not undo rename after a failed update');
        });
      }
      // Another ROM took the name between the check and the write: the unique index refused it.
      if (diskRename && !(err instanceof AppError) && (await this.repo.fsNameTaken(rom.platform_id, diskRename.to, rom.id))) {
        throw conflict(`Can't rename: ${diskRename.to} already exists`);
      }
      throw err;
    }
  }

  private derive(rom: EditableRom) {
    const blobs: MetadataBlobs = {};
    for (const [provider, column] of Object.entries(BLOB_COLUMNS) as [Provider, keyof EditableRom][]) {
      blobs[provider] = parseObject(rom[column] as string | null);
    }
    return deriveMetadata(blobs);
  }

  /** Clears every provider match (not manual metadata) and the fetched media; the name falls back as in a scan. */
  private async unmatch(rom: EditableRom): Promise<void> {
    await this.media.removeCover(rom);
    const name = rom.fs_name_no_tags;
    const set: RomSet = {
      igdb_id: null, sgdb_id: null, moby_id: null, ss_id: null, ra_id: null, launchbox_id: null, hasheous_id: null,
      tgdb_id: null, flashpoint_id: null, hltb_id: null, libretro_id: null,
      name, name_sort_key: nameSortKey(name), name_sort_key_custom: 0, search_text: searchText(name, rom.fs_name),
      summary: '', slug: '', url_screenshots: '[]', path_screenshots: '[]', path_cover_s: '', path_cover_l: '',
      url_cover: '', url_manual: '',
      igdb_metadata: '{}', moby_metadata: '{}', ss_metadata: '{}', ra_metadata: '{}', launchbox_metadata: '{}',
      hasheous_metadata: '{}', flashpoint_metadata: '{}', hltb_metadata: '{}', gamelist_metadata: '{}',
      // No field is a user's edit any more; the ROM counts as processed so a quick scan does not match it again.
      field_sources: '{}', metadata_scanned_at: rom.metadata_scanned_at ?? this.now(),
      updated_at: Math.max(this.now(), rom.updated_at + 1),
    };
    await this.write(rom, set, null);
  }
}

/** field_sources with `manual` for each field this edit changed (later scans leave those alone); null when none. */
function markManualEdits(rom: EditableRom, set: RomSet): string | null {
  const changed: string[] = [];
  if (set.name !== undefined && set.name !== rom.name) changed.push('name');
  if (set.summary !== undefined && set.summary !== rom.summary) changed.push('summary');
  if ((set.path_cover_l !== undefined && set.path_cover_l !== rom.path_cover_l) || (set.url_cover !== undefined && set.url_cover !== rom.url_cover)) changed.push('cover');
  if ((set.path_manual !== undefined && set.path_manual !== rom.path_manual) || (set.url_manual !== undefined && set.url_manual !== rom.url_manual)) changed.push('manual');
  if (changed.length === 0) return null;
  const fs = parseFieldSources(rom.field_sources);
  for (const f of changed) {
    fs[f] = MANUAL;
    delete fs[`origin:${f}`];
  }
  return serializeFieldSources(fs);
}

/** name_sort_key (spec §6.4 step 6): a changed submitted key is a custom override; empty reverts to the name. */
function sortKeyColumns(rom: EditableRom, name: string | null, form: RomEditForm): RomSet {
  const submitted = form.text.name_sort_key;
  if (submitted !== undefined && submitted.trim() !== (rom.name_sort_key ?? '').trim()) {
    return submitted.trim()
      ? { name_sort_key: nameSortKey(submitted.trim()), name_sort_key_custom: 1 }
      : { name_sort_key: nameSortKey(name), name_sort_key_custom: 0 };
  }
  return rom.name_sort_key_custom ? {} : { name_sort_key: nameSortKey(name) };
}

function parseObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
