import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isoFromMs } from '../../common/time.ts';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../../common/errors.ts';
import { isUniqueViolation } from '../../db/capabilities.ts';
import type { DatSchema, DatUpdateBody } from '../../contract/dats.ts';
import type { DatListRow, DatsRepository } from '../../db/repositories/dats-repository.ts';
import { DatParseError } from '../../dats/types.ts';
import { sourceKey, type DatFolderResult, type DatImporter } from './dat-import.ts';

/** The uploaded file: the client's name and its bytes. */
export interface DatUploadPart {
  filename: string;
  file: Readable;
  /** True once the part was cut at the size limit (known after its stream ended). */
  truncated(): boolean;
}

/** What a caller may not see (admin hide lists); the permissions resolver provides it. */
export interface DatHiddenLookup {
  hiddenFor(userId: number | null): Promise<{ readonly platformIds: readonly number[] }>;
}

export interface DatsServiceDeps {
  repo: DatsRepository;
  hidden: DatHiddenLookup;
  importer: DatImporter;
  /** Where uploads are held while they are parsed. */
  tempDir: string;
  /** Largest accepted upload (bytes); 0: no limit. */
  maxUploadBytes: number;
}

export function toDatSchema(d: DatListRow): DatSchema {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    version: d.version,
    author: d.author,
    homepage: d.homepage,
    header_skipper: d.skipper,
    format: d.format,
    source: d.source,
    source_path: d.source_path,
    file_size_bytes: d.file_size,
    file_sha1: d.file_sha1,
    platform_id: d.platform_id,
    platform_slug: d.platform_slug,
    platform_name: d.platform_name,
    platform_override: d.platform_override === 1,
    game_count: d.game_count,
    rom_count: d.rom_count,
    imported_at: isoFromMs(d.imported_at),
    updated_at: isoFromMs(d.updated_at),
  };
}

const notFoundDat = (id: number) => `DAT with ID ${id} not found`;

/** Base name of an uploaded file, printable and at most 255 characters (it is only recorded, never a path). */
function uploadName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (raw.replace(/\\/g, '/').split('/').pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return Array.from(base || 'upload.dat').slice(0, 255).join('');
}

/** DAT use cases behind `/api/dats` and `romshelf dat import`. */
export class DatsService {
  constructor(private readonly deps: DatsServiceDeps) {}

  private async hiddenPlatforms(userId: number | null): Promise<ReadonlySet<number>> {
    return new Set((await this.deps.hidden.hiddenFor(userId)).platformIds);
  }

  /** DATs of platforms hidden from the caller are left out, as their platforms are. */
  async list(userId: number | null): Promise<DatSchema[]> {
    const hidden = await this.hiddenPlatforms(userId);
    return (await this.deps.repo.list()).filter((d) => d.platform_id === null || !hidden.has(d.platform_id)).map(toDatSchema);
  }

  async get(userId: number | null, id: number): Promise<DatSchema> {
    return toDatSchema(await this.visibleRow(userId, id));
  }

  private async visibleRow(userId: number | null, id: number): Promise<DatListRow> {
    const row = await this.deps.repo.get(id);
    if (!row || (row.platform_id !== null && (await this.hiddenPlatforms(userId)).has(row.platform_id))) throw notFound(notFoundDat(id));
    return row;
  }

  /** Imports DATS_PATH (new and changed files; DATs of removed files are deleted). */
  importFolder(): Promise<DatFolderResult> {
    return this.deps.importer.syncFolder();
  }

  /**
   * Sets the platform (`platform_override` true or absent) or returns the DAT to its header mapping (false). A
   * platform that does not exist is a 404.
   */
  async update(userId: number | null, id: number, body: DatUpdateBody): Promise<DatSchema> {
    const row = await this.visibleRow(userId, id);
    const now = Date.now();
    if (body.platform_override === false) {
      const mapped = await this.deps.importer.mapPlatform({ ...row, skipper: row.skipper });
      await this.deps.repo.setPlatform(id, { platform_id: mapped.id, platform_slug: mapped.slug, platform_override: 0 }, now);
    } else if (body.platform_id === null) {
      await this.deps.repo.setPlatform(id, { platform_id: null, platform_slug: null, platform_override: 1 }, now);
    } else {
      const platform = await this.deps.repo.platform(body.platform_id);
      if (!platform || (await this.hiddenPlatforms(userId)).has(platform.id)) throw notFound(`Platform with ID ${body.platform_id} not found`);
      await this.deps.repo.setPlatform(id, { platform_id: platform.id, platform_slug: platform.slug, platform_override: 1 }, now);
    }
    return this.get(userId, id);
  }

  async delete(userId: number | null, id: number): Promise<void> {
    await this.visibleRow(userId, id);
    if (!(await this.deps.repo.delete(id))) throw notFound(notFoundDat(id));
  }

  /**
   * `POST /api/dats`: the `file` part is streamed to a temporary file (hashed on the way, cut at the size limit),
   * parsed and imported. An upload with the header name of an earlier upload replaces it (keeping its id and
   * platform override); the very same bytes change nothing. Answers the DAT and whether it is new.
   */
  async upload(userId: number | null, parts: AsyncIterable<DatUploadPart>): Promise<{ dat: DatSchema; created: boolean }> {
    await mkdir(this.deps.tempDir, { recursive: true });
    let temp: string | null = null;
    try {
      let received: { name: string; size: number; sha1: string } | null = null;
      for await (const part of parts) {
        if (received) {
          part.file.resume();
          continue;
        }
        temp = path.join(this.deps.tempDir, `.dat-upload-${randomUUID()}.tmp`);
        received = { name: uploadName(part.filename), ...(await this.store(part, temp)) };
      }
      if (!received || !temp) throw unprocessable('Field required: file');
      if (received.size === 0) throw badRequest('Invalid DAT: the file is empty');
      const header = await this.deps.importer.readHeader(temp);
      const key = sourceKey('upload', header.name || received.name);
      const existing = await this.deps.repo.bySourceKey(key);
      if (existing && existing.platform_id !== null && (await this.hiddenPlatforms(userId)).has(existing.platform_id)) {
        throw notFound('A DAT with this name exists for a platform hidden from you');
      }
      if (existing && existing.file_sha1 === received.sha1) return { dat: toDatSchema(await this.visibleRow(userId, existing.id)), created: false };
      const counts = await this.deps.importer.importFile(temp, {
        sourceKey: key, source: 'upload', sourcePath: received.name, fileSize: received.size, fileMtime: null, fileSha1: received.sha1,
      });
      const row = await this.deps.repo.get(counts.id);
      if (!row) throw notFound(notFoundDat(counts.id));
      return { dat: toDatSchema(row), created: !existing };
    } catch (err) {
      if (err instanceof DatParseError) throw badRequest(`Invalid DAT: ${err.message}`);
      // Two uploads of a new DAT with the same header name at once: the second insert meets the unique key.
      if (isUniqueViolation(err)) throw conflict('A DAT with this name is being imported; try again');
      throw err;
    } finally {
      if (temp) await unlink(temp).catch(() => undefined);
    }
  }

  private async store(part: DatUploadPart, temp: string): Promise<{ size: number; sha1: string }> {
    const hash = createHash('sha1');
    let size = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(part.file, tee, createWriteStream(temp, { flags: 'wx' }));
    if (part.truncated()) throw new AppError(413, `DAT file exceeds the maximum allowed size of ${this.deps.maxUploadBytes} bytes`);
    return { size, sha1: hash.digest('hex') };
  }
}
