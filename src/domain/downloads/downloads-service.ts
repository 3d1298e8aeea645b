import { crcOfBytes, crcToHex } from '../../archive/crc.ts';
import { planZip, ZipPlanError, type ZipEntryInput, type ZipPlan } from '../../archive/zip-plan.ts';
import type { DownloadFile, DownloadRom, DownloadsRepository } from '../../db/repositories/downloads-repository.ts';
import type { LibraryFiles, ResolvedFile } from './files.ts';
import { contentDisposition, fileExtension, mediaFor, parseIdList, sanitizeFilename } from './names.ts';
import { badRequest, conflict, notFound } from '../../common/errors.ts';
import type { RomsReadService } from '../roms/read-service.ts';
import type { RomVisibility } from '../roms/visibility.ts';

/** One file sent as is. */
export interface FileDownload {
  kind: 'file';
  path: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  contentType: string;
  contentDisposition: string;
  /** Extra headers (nosniff for inline files). */
  headers: Record<string, string>;
  etag: string;
}

/** A STORE zip streamed from its plan. */
export interface ZipDownload {
  kind: 'zip';
  plan: ZipPlan;
  contentDisposition: string;
  mtimeMs: number;
}

export type Download = FileDownload | ZipDownload;

export interface RomContentRequest {
  /** The caller (null: anonymous, with download auth disabled): ROMs hidden from them read as missing. */
  userId: number | null;
  romId: number;
  /** The URL's file name: only the name of a zip (and its M3U). */
  fileName: string;
  fileIds?: string | undefined;
  hiddenFolder: boolean;
  /** HEAD needs only the layout (sizes), not the CRCs. */
  withCrcs: boolean;
}

export interface BulkRequest {
  userId: number;
  romIds?: string | undefined;
  platformId?: number | undefined;
  collectionId?: number | undefined;
  virtualCollectionId?: string | undefined;
  smartCollectionId?: number | undefined;
  filename?: string | undefined;
  withCrcs: boolean;
}


const byFileName = (a: DownloadFile, b: DownloadFile) => (a.file_name < b.file_name ? -1 : a.file_name > b.file_name ? 1 : 0);
const fullPath = (f: DownloadFile) => `${f.file_path}/${f.file_name}`;

/** Downloads (spec §6.1-6.3): selection rules, names and archive layout; no HTTP here. */
export class DownloadsService {
  constructor(
    private readonly repo: DownloadsRepository,
    private readonly files: LibraryFiles,
    /** The gallery's read side: collections of every kind expand exactly as `GET /api/roms` does. */
    private readonly romsRead: Pick<RomsReadService, 'visibleIds'>,
    private readonly visibility: Pick<RomVisibility, 'assertRom' | 'assertFile' | 'dropHidden'>,
  ) {}

  /** §6.1: one file as is, several as a zip named after the URL (plus an M3U playlist when the ROM has none). */
  async romContent(req: RomContentRequest): Promise<Download> {
    const rom = await this.repo.findRom(req.romId);
    if (!rom) throw notFound(`Rom with id '${req.romId}' not found`);
    await this.visibility.assertRom(rom.id, req.userId);
    const all = await this.repo.filesOfRoms([rom.id]);
    let files = all;
    if (req.fileIds) {
      const ids = parseIdList(req.fileIds);
      if (ids === null) throw badRequest('Invalid file ID format. Must be comma-separated integers.');
      const wanted = new Set(ids);
      files = files.filter((f) => wanted.has(f.id));
    }
    files.sort(byFileName);
    if (files.length === 0) throw notFound(`No files found for ROM ${rom.id}`);

    if (files.length === 1) {
      const file = files[0] as DownloadFile;
      const resolved = await this.files.resolve(file);
      if (!resolved) throw notFound(`File ${file.file_name} not found on disk for ROM ${rom.id}`);
      return singleFile(resolved, 'application/octet-stream', 'attachment');
    }

    const resolved = await this.resolveOrFail(files, (f) => `File ${f.file_name} not found on disk for ROM ${rom.id}`);
    const romPrefix = `${rom.fs_path}/${rom.fs_name}/`;
    const entryName = (f: DownloadFile) => fullPath(f).split(romPrefix).join(req.hiddenFolder ? '.hidden/' : '');
    const inputs = await this.entries(resolved, entryName, req.withCrcs);

    if (!all.some((f) => fileExtension(f.file_name).toLowerCase() === 'm3u')) {
      const cues = files.filter((f) => fileExtension(f.file_name).toLowerCase() === 'cue');
      const m3u = Buffer.from((cues.length ? cues : files).map(entryName).join('\n'), 'utf8');
      inputs.push({
        name: `${safeName(req.fileName, rom)}.m3u`,
        size: m3u.length,
        crc32: crcOfBytes(m3u),
        mtimeMs: Math.max(...resolved.map((r) => r.mtimeMs)),
        source: { kind: 'bytes', data: m3u },
      });
    }
    return zipDownload(inputs, `${req.fileName}.zip`);
  }

  /** §6.2: one RomFile by its id, typed from the database record. */
  async romFile(fileId: number, userId: number | null): Promise<FileDownload> {
    const file = await this.repo.findFile(fileId);
    if (!file || !(await this.repo.findRom(file.rom_id))) throw notFound('File not found');
    await this.visibility.assertFile(fileId, userId, () => notFound('File not found'));
    const resolved = await this.files.resolve(file);
    if (!resolved) throw notFound('File not found');
    const media = mediaFor(file.file_name, file.category);
    return singleFile(resolved, media.contentType, media.disposition);
  }

  /** §6.3: many ROMs as one zip; entries keep their library-relative paths. */
  async bulk(req: BulkRequest): Promise<ZipDownload> {
    const selected = await this.selectRomIds(req);
    if (selected.length === 0) throw notFound('No ROMs found to download');
    // ROMs hidden from the caller drop out, whether named by id or by a selector (RomM 5).
    const ids = await this.visibility.dropHidden(selected, req.userId);
    const found = new Map((await this.repo.findRoms(ids)).map((r) => [r.id, r]));
    const roms = ids.map((id) => found.get(id)).filter((r): r is DownloadRom => r !== undefined);
    if (roms.length === 0) throw notFound('No ROMs found with the provided IDs');

    const byRom = new Map<number, DownloadFile[]>();
    for (const f of await this.repo.filesOfRoms(roms.map((r) => r.id))) {
      const list = byRom.get(f.rom_id) ?? [];
      list.push(f);
      byRom.set(f.rom_id, list);
    }
    const files = roms.flatMap((r) => (byRom.get(r.id) ?? []).sort(byFileName));

    let name: string;
    if (req.filename) {
      name = sanitizeFilename(req.filename);
    } else {
      const summary = files.map((f) => `${fullPath(f)}:${f.file_size_bytes}`).join('\n');
      name = `${roms.length} ROMs (${crcToHex(crcOfBytes(summary))}).zip`;
    }
    const resolved = await this.resolveOrFail(files, (f) => `File ${f.file_name} not found on disk for ROM ${f.rom_id}`);
    return zipDownload(await this.entries(resolved, fullPath, req.withCrcs), name);
  }

  private async selectRomIds(req: BulkRequest): Promise<number[]> {
    const { userId } = req;
    if (req.platformId || req.collectionId || req.virtualCollectionId || req.smartCollectionId) {
      let ids: number[];
      if (req.platformId) {
        ids = await this.repo.romIdsOfPlatform(req.platformId, userId);
      } else if (req.collectionId) {
        // The gallery's filter refuses someone else's private collection with 403.
        ids = await this.romsRead.visibleIds({ collection_id: req.collectionId }, userId);
      } else if (req.virtualCollectionId) {
        ids = await this.romsRead.visibleIds({ virtual_collection_id: req.virtualCollectionId }, userId);
      } else {
        ids = await this.romsRead.visibleIds({ smart_collection_id: req.smartCollectionId }, userId);
      }
      return [...new Set(ids)];
    }
    if (req.romIds) {
      const ids = parseIdList(req.romIds);
      if (ids === null) throw badRequest('Invalid ROM ID format. Must be comma-separated integers.');
      return [...new Set(ids)];
    }
    throw badRequest('No ROM IDs or platform/collection selector provided');
  }

  private async resolveOrFail(files: DownloadFile[], missing: (f: DownloadFile) => string): Promise<ResolvedFile[]> {
    const resolved = await this.files.resolveAll(files);
    return resolved.map((r, i) => {
      if (!r) throw notFound(missing(files[i] as DownloadFile));
      return r;
    });
  }

  private async entries(files: ResolvedFile[], name: (f: DownloadFile) => string, withCrcs: boolean): Promise<ZipEntryInput[]> {
    const crcs = withCrcs ? await this.files.rawCrcs(files) : null;
    return files.map((r, i) => ({
      name: name(r.file),
      size: r.size,
      crc32: crcs ? (crcs[i] as number) : 0,
      mtimeMs: r.mtimeMs,
      source: { kind: 'file', path: r.path, mtimeMs: r.mtimeMs, ctimeMs: r.ctimeMs, ino: r.ino },
    }));
  }
}

function singleFile(r: ResolvedFile, contentType: string, disposition: 'attachment' | 'inline'): FileDownload {
  return fileDownload(r, `f${r.file.id}`, r.file.file_name, contentType, disposition);
}

/**
 * One file sent as is. `tag` names the record in the ETag (`f<id>` for ROM files); the change time and inode in it
 * make a rewrite visible to If-Range even when size and mtime were kept.
 */
export function fileDownload(
  r: Omit<ResolvedFile, 'file'>, tag: string, name: string, contentType: string, disposition: 'attachment' | 'inline',
): FileDownload {
  return {
    kind: 'file',
    path: r.path,
    size: r.size,
    mtimeMs: r.mtimeMs,
    ctimeMs: r.ctimeMs,
    ino: r.ino,
    contentType,
    contentDisposition: contentDisposition(disposition, name),
    headers: disposition === 'inline' ? { 'x-content-type-options': 'nosniff' } : {},
    etag: `"${tag}-${r.size.toString(16)}-${Math.floor(r.mtimeMs).toString(16)}-${r.ctimeMs.toString(16)}-${r.ino.toString(16)}"`,
  };
}

function zipDownload(inputs: ZipEntryInput[], name: string): ZipDownload {
  let plan: ZipPlan;
  try {
    plan = planZip(inputs);
  } catch (err) {
    if (err instanceof ZipPlanError) throw conflict(`Cannot build the archive: ${err.message}`);
    throw err;
  }
  return {
    kind: 'zip',
    plan,
    contentDisposition: contentDisposition('attachment', name),
    mtimeMs: inputs.reduce((m, e) => Math.max(m, e.mtimeMs), 0),
  };
}

/** The M3U entry is named after the URL's file name; keep it a bare, valid entry name. */
function safeName(fileName: string, rom: DownloadRom): string {
  try {
    return sanitizeFilename(fileName);
  } catch {
    return rom.fs_name;
  }
}
