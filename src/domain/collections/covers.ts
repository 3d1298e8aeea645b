import { rm } from 'node:fs/promises';
import path from 'node:path';
import { encodeCover, ImageRejectedError, writeCoverFiles } from '../../media/cover-images.ts';
import { safeFetch, SafeFetchError } from '../../net/safe-fetch.ts';
import { badRequest } from '../../common/errors.ts';

export interface CoverPaths {
  path_cover_s: string;
  path_cover_l: string;
}

/** Cover artwork of collections (stored under `resources/collections/<id>/cover/`). */
export interface CollectionCovers {
  store(collectionId: number, bytes: Buffer): Promise<CoverPaths>;
  fromUrl(collectionId: number, url: string): Promise<CoverPaths>;
  removeAll(collectionId: number): Promise<void>;
}

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/**
 * Covers on disk, through the same code as ROM covers: content sniffing (SVG and anything but PNG, JPEG, WebP and
 * GIF refused), a full decode and re-encode (no uploaded byte is served), and SSRF-safe URL fetches.
 */
export class DiskCollectionCovers implements CollectionCovers {
  constructor(private readonly resourcesPath: string) {}

  async store(collectionId: number, bytes: Buffer): Promise<CoverPaths> {
    let cover;
    try {
      cover = await encodeCover(bytes, { label: 'Artwork' });
    } catch (err) {
      if (err instanceof ImageRejectedError) throw badRequest(err.message);
      throw err;
    }
    const rel = `collections/${collectionId}/cover`;
    const names = await writeCoverFiles(path.join(this.resourcesPath, rel), cover);
    return { path_cover_l: `${rel}/${names.big}`, path_cover_s: `${rel}/${names.small}` };
  }

  async fromUrl(collectionId: number, url: string): Promise<CoverPaths> {
    let body: Buffer;
    try {
      ({ body } = await safeFetch(url, { maxBytes: MAX_IMAGE_BYTES }));
    } catch (err) {
      if (err instanceof SafeFetchError) throw badRequest(err.message);
      throw badRequest('Could not download the cover URL');
    }
    return this.store(collectionId, body);
  }

  async removeAll(collectionId: number): Promise<void> {
    await rm(path.join(this.resourcesPath, 'collections', String(collectionId)), { recursive: true, force: true });
  }
}
