import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuthContext } from '../../auth/context.ts';
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../common/errors.ts';
import { isInside } from '../../common/paths.ts';
import type { AddFirmwareResponse, FirmwareDeleteBody, FirmwareSchema } from '../../contract/firmware.ts';
import type { BulkOperationResponse } from '../../contract/rom-edit.ts';
import type { FirmwarePlatform, FirmwareRepository, FirmwareRow } from '../../db/repositories/firmware-repository.ts';
import { detectStructure, firmwareRelPath } from '../../library/layout.ts';
import { firmwareRow } from '../../scanner/firmware/firmware-scan.ts';
import type { KnownBios } from '../../scanner/firmware/known-bios.ts';
import { MultiHasher } from '../../scanner/hash/multi-hasher.ts';
import { fileDownload, type FileDownload } from '../downloads/downloads-service.ts';
import type { LibraryFiles } from '../downloads/files.ts';
import { toFirmwareSchema } from './mapper.ts';

/** What a caller may not see (admin hide lists); the permissions resolver provides it. */
export interface HiddenLookup {
  hiddenFor(userId: number | null): Promise<{ readonly platformIds: readonly number[]; readonly romIds: readonly number[] }>;
}

/** One part of the upload form's `files` field: the client's file name and its bytes. */
export interface FirmwareUploadPart {
  filename: string;
  file: Readable;
  /** True once the part was cut at the size limit (known after its stream ended). */
  truncated(): boolean;
}

export interface FirmwareServiceDeps {
  repo: FirmwareRepository;
  files: LibraryFiles;
  libraryPath: string;
  settings: () => { romsFolder: string; firmwareFolder: string };
  knownBios: KnownBios;
  hidden: HiddenLookup;
  /** Largest accepted firmware file (bytes); 0: no limit. */
  maxUploadBytes: number;
}

/** `firmware.file_name` is a varchar(450), as RomM's `_sanitize_filename` allows. */
const MAX_NAME_LENGTH = 450;

/**
 * The name an uploaded firmware file is stored and recorded under: the base name of the client's name (either slash
 * separates), at most 450 characters, never empty, `.`, `..` or with control characters. RomM writes the sanitized
 * name but records the raw one; romshelf uses this name for both.
 */
export function firmwareFileName(raw: string): string {
  const base = raw.replace(/\\/g, '/').split('/').pop()?.trim() ?? '';
  // eslint-disable-next-line no-control-regex
  if (!base || base === '.' || base === '..' || /[\u0000-\u001f\u007f]/.test(base)) {
    throw badRequest(`Invalid firmware file name '${raw.slice(0, 200).replace(/[^\x20-\x7e]/g, '?')}'`);
  }
  if ([...base].length > MAX_NAME_LENGTH) throw badRequest(`Firmware file name is longer than ${MAX_NAME_LENGTH} characters`);
  return base;
}

/** RomM's (firmware, delete) grant, library-wide, required by `POST /api/firmware/delete` besides `firmware.write`. */
export function canDeleteFirmware(caller: AuthContext): boolean {
  return caller.permissions.allows('firmware', 'delete');
}

const notFoundFirmware = (id: number) => `Firmware with ID ${id} not found`;

/** Firmware use cases (spec §3.5): listing, download, upload and delete, with admin hide lists applied. */
export class FirmwareService {
  constructor(private readonly deps: FirmwareServiceDeps) {}

  private async hiddenPlatforms(userId: number | null): Promise<ReadonlySet<number>> {
    return new Set((await this.deps.hidden.hiddenFor(userId)).platformIds);
  }

  /** `platform_id` absent or 0: every platform's firmware. Ordered by file name. */
  async list(userId: number | null, platformId?: number): Promise<FirmwareSchema[]> {
    const hidden = await this.hiddenPlatforms(userId);
    const rows = await this.deps.repo.list(platformId ? platformId : undefined, [...hidden]);
    return rows.map(toFirmwareSchema);
  }

  async identifiers(userId: number | null): Promise<number[]> {
    const hidden = await this.hiddenPlatforms(userId);
    return (await this.deps.repo.list(undefined, [...hidden])).map((f) => f.id);
  }

  async get(userId: number | null, id: number): Promise<FirmwareSchema> {
    return toFirmwareSchema(await this.visibleRow(userId, id));
  }

  /**
   * The file of a firmware row. GET serves the file as it is on disk, named by the row; HEAD (`head`) answers
   * RomM's headers: the URL's file name in Content-Disposition and the recorded size as Content-Length. A file
   * missing on disk is a 404 (RomM fails with 500).
   */
  async content(userId: number | null, id: number, opts: { head: boolean; urlFileName: string }): Promise<FileDownload> {
    const row = await this.visibleRow(userId, id);
    const found = await this.deps.files.locate(row.file_path, row.file_name);
    if (!found) throw notFound(notFoundFirmware(id));
    const name = opts.head ? opts.urlFileName : row.file_name;
    const download = fileDownload(found, `fw${row.id}`, name, 'application/octet-stream', 'attachment');
    return opts.head ? { ...download, size: row.file_size_bytes } : download;
  }

  /**
   * `POST /api/firmware?platform_id=`: each named part is written atomically (a temporary file in the same folder,
   * then a rename) to the platform's firmware folder, hashed while it streams in, verified, and recorded; a file
   * already recorded gets fresh hashes (RomM keeps stale ones).
   */
  async upload(userId: number | null, platformId: number, parts: AsyncIterable<FirmwareUploadPart>): Promise<AddFirmwareResponse> {
    const platform = await this.deps.repo.platform(platformId);
    if (!platform || (await this.hiddenPlatforms(userId)).has(platformId)) throw notFound(`Platform with ID ${platformId} not found`);
    const settings = this.deps.settings();
    const structure = await detectStructure(this.deps.libraryPath, { romsFolder: settings.romsFolder });
    const folder = firmwareRelPath(structure, platform.fs_slug, settings.firmwareFolder);
    const absDir = path.resolve(this.deps.libraryPath, folder);
    if (!isInside(this.deps.libraryPath, absDir)) throw notFound(`Platform with ID ${platformId} not found`);
    await this.deps.knownBios.refresh();

    let received = 0;
    for await (const part of parts) {
      received++;
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      let name: string;
      try {
        name = firmwareFileName(part.filename);
      } catch (err) {
        part.file.resume();
        throw err;
      }
      await this.ensureFolder(absDir, folder, part);
      await this.store(platform, folder, absDir, name, part);
    }
    if (received === 0) throw unprocessable('Field required: files');
    return { uploaded: received, firmware: (await this.deps.repo.list(platform.id)).map(toFirmwareSchema) };
  }

  /** Creates the firmware folder; one that is a file, or (through a symlink) outside the library, is refused. */
  private async ensureFolder(absDir: string, folder: string, part: FirmwareUploadPart): Promise<void> {
    try {
      await mkdir(absDir, { recursive: true });
      const [root, real] = await Promise.all([realpath(this.deps.libraryPath), realpath(absDir)]);
      if (!isInside(root, real)) throw conflict(`Firmware folder ${folder} is outside the library`);
    } catch (err) {
      part.file.resume();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw conflict(`Firmware folder ${folder} is not a folder`);
      throw err;
    }
  }

  private async store(platform: FirmwarePlatform, folder: string, absDir: string, name: string, part: FirmwareUploadPart): Promise<void> {
    // The `.tmp` extension is excluded from scans, so a scan running meanwhile never records a half-written file.
    const temp = path.join(absDir, `.romshelf-upload-${randomUUID()}.tmp`);
    const hasher = new MultiHasher();
    const tee = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hasher.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(part.file, tee, createWriteStream(temp, { flags: 'wx' }));
      if (part.truncated()) {
        const max = this.deps.maxUploadBytes;
        throw new AppError(413, `Firmware file exceeds the maximum allowed size of ${max} bytes`);
      }
      await rename(temp, path.join(absDir, name));
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    const facts = { ...hasher.digestAlways(), size: hasher.bytes };
    const verified = this.deps.knownBios.verify(platform.slug, name, facts);
    await this.deps.repo.save(firmwareRow(platform, folder, name, facts, verified, Date.now()));
  }

  /**
   * `POST /api/firmware/delete`: rows first, then (for ids in `delete_from_fs`) their files. Unknown or hidden ids,
   * and files already gone, are reported per id, as RomM does.
   */
  async delete(caller: AuthContext, body: FirmwareDeleteBody): Promise<BulkOperationResponse> {
    if (!canDeleteFirmware(caller)) throw forbidden('Insufficient permissions');
    const hidden = await this.hiddenPlatforms(caller.user.id);
    const fromFs = new Set(body.delete_from_fs ?? []);
    const out: BulkOperationResponse = { successful_items: 0, failed_ids: [], errors: [] };
    for (const id of body.firmware) {
      const row = await this.deps.repo.get(id);
      if (!row || hidden.has(row.platform_id)) {
        out.failed_ids.push(id);
        out.errors.push(notFoundFirmware(id));
        continue;
      }
      const platform = await this.deps.repo.platform(row.platform_id);
      await this.deps.repo.delete(id);
      if (fromFs.has(id) && !(await this.removeFile(row))) {
        out.failed_ids.push(id);
        out.errors.push(`Firmware file ${row.file_name} not found for platform ${platform?.slug ?? row.platform_id}`);
        continue;
      }
      out.successful_items++;
    }
    return out;
  }

  /** Removes a row's file (a symlink itself, never its target); false when there is no such file in the library. */
  private async removeFile(row: FirmwareRow): Promise<boolean> {
    if (!(await this.deps.files.locate(row.file_path, row.file_name))) return false;
    try {
      await unlink(path.resolve(this.deps.libraryPath, row.file_path, row.file_name));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  private async visibleRow(userId: number | null, id: number): Promise<FirmwareRow> {
    const row = await this.deps.repo.get(id);
    if (!row || (await this.hiddenPlatforms(userId)).has(row.platform_id)) throw notFound(notFoundFirmware(id));
    return row;
  }
}
