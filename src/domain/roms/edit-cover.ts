/**
 * Cover and manual resources of a ROM edit: uploaded artwork, `url_cover` and `url_manual` fetched server-side
 * through safe-fetch, and removal. Produces the column values to write; the files are in place before the
 * database changes, so a failed edit can at worst leave an unreferenced file, never a reference to nothing.
 */
import { mkdir, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { EditableRom } from '../../db/repositories/rom-edit-repository.ts';
import { encodeCover, ImageRejectedError } from '../../media/cover-images.ts';
import { safeFetch, SafeFetchError, type SafeFetchOptions } from '../../net/safe-fetch.ts';
import { AppError, badRequest } from '../../common/errors.ts';
import { romCoverDir, romDir, type ResourceStore } from './resources.ts';

export interface CoverColumns {
  url_cover?: string;
  path_cover_s?: string;
  path_cover_l?: string;
  url_manual?: string;
  path_manual?: string;
}

export interface RomMediaLimits {
  /** Largest accepted artwork upload or fetched cover. */
  maxImageBytes: number;
  maxManualBytes: number;
  fetch: SafeFetchOptions;
}

export const DEFAULT_MEDIA_LIMITS: RomMediaLimits = {
  maxImageBytes: 20 * 1024 * 1024,
  maxManualBytes: 100 * 1024 * 1024,
  fetch: { timeoutMs: 15_000, maxRedirects: 3 },
};

export class RomMedia {
  constructor(
    private readonly resources: ResourceStore,
    readonly limits: RomMediaLimits,
    private readonly logger: Logger,
  ) {}

  async removeCover(rom: EditableRom): Promise<CoverColumns> {
    await this.resources.removeDir(romCoverDir(rom.platform_id, rom.id));
    return { url_cover: '', path_cover_s: '', path_cover_l: '' };
  }

  async storeArtwork(rom: EditableRom, bytes: Buffer): Promise<CoverColumns> {
    if (bytes.length > this.limits.maxImageBytes) throw tooLarge('Artwork', this.limits.maxImageBytes);
    const cover = await encodeCover(bytes, { label: 'Artwork' }).catch(rejected);
    const paths = await this.resources.storeCover(romCoverDir(rom.platform_id, rom.id), cover);
    return { url_cover: '', ...paths };
  }

  /** `url_cover` from the form (or the current one): fetched when it changed or no cover exists yet. */
  async coverFromUrl(rom: EditableRom, url: string): Promise<CoverColumns> {
    const changed = url !== rom.url_cover;
    if (!url.trim()) return changed ? this.removeCover(rom) : {};
    if (!changed && rom.path_cover_l) return {};
    try {
      const { body } = await safeFetch(url, { ...this.limits.fetch, maxBytes: this.limits.maxImageBytes });
      const cover = await encodeCover(body, { label: 'Cover' }).catch(rejected);
      const paths = await this.resources.storeCover(romCoverDir(rom.platform_id, rom.id), cover);
      return { url_cover: url, ...paths };
    } catch (err) {
      // A stale URL echoed back by the edit form must not block unrelated edits; a new one must work or fail loudly.
      if (!changed) {
        this.logger.warn({ romId: rom.id, err: (err as Error).message }, 'cover download failed');
        return {};
      }
      throw fetchFailure(err);
    }
  }

  /** `url_manual`: a PDF fetched to `roms/<pid>/<rid>/manual/<rid>.pdf` when it changed or none is stored. */
  async manualFromUrl(rom: EditableRom, url: string): Promise<CoverColumns> {
    const changed = url !== rom.url_manual;
    if (!url.trim()) return changed ? { url_manual: '' } : {};
    if (!changed && rom.path_manual) return {};
    try {
      const { body } = await safeFetch(url, { ...this.limits.fetch, maxBytes: this.limits.maxManualBytes });
      if (body.subarray(0, 5).toString('latin1') !== '%PDF-') throw badRequest('Manual must be a PDF document');
      const rel = `${romDir(rom.platform_id, rom.id)}/manual/${rom.id}.pdf`;
      const abs = this.resources.resolveInside(rel);
      if (!abs) throw new Error('manual path outside resources');
      await mkdir(path.dirname(abs), { recursive: true });
      const tmp = `${abs}.${process.pid}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, abs);
      return { url_manual: url, path_manual: rel };
    } catch (err) {
      if (!changed) {
        this.logger.warn({ romId: rom.id, err: (err as Error).message }, 'manual download failed');
        return {};
      }
      throw fetchFailure(err);
    }
  }
}

const tooLarge = (what: string, max: number) => new AppError(413, `${what} is too large (max ${max} bytes)`);

function rejected(err: unknown): never {
  if (err instanceof ImageRejectedError) throw badRequest(err.message);
  throw err;
}

function fetchFailure(err: unknown): Error {
  if (err instanceof AppError) return err;
  if (err instanceof SafeFetchError) return badRequest(err.message);
  return err instanceof Error ? err : new Error(String(err));
}
