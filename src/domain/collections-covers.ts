import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { fetchCoverBytes } from './collections-cover-fetch.ts';
import { badRequest } from './errors.ts';

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

const SNIFFERS: [string, (b: Buffer) => boolean][] = [
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/webp', (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
  ['image/gif', (b) => /^GIF8[79]a/.test(b.toString('latin1', 0, 6))],
];

/** The sniffed image type, or RomM's 400 (SVG and anything else are refused: stored XSS). */
export function sniffImage(bytes: Buffer, label = 'Artwork'): string {
  const hit = SNIFFERS.find(([, test]) => test(bytes));
  if (!hit) throw badRequest(`${label} must be a PNG, JPEG, WebP, or GIF image (detected unknown type)`);
  return hit[0];
}

const SMALL_WIDTH = 264;
const LARGE_MAX = 1200;

/**
 * Covers on disk. Every image is decoded and re-encoded to WebP, so what is served is always a plain raster the
 * server produced, never the uploaded bytes.
 */
export class DiskCollectionCovers implements CollectionCovers {
  constructor(private readonly resourcesPath: string) {}

  private dir(id: number): string {
    return path.join(this.resourcesPath, 'collections', String(id), 'cover');
  }

  async store(collectionId: number, bytes: Buffer): Promise<CoverPaths> {
    sniffImage(bytes);
    let large: Buffer;
    let small: Buffer;
    try {
      const image = sharp(bytes, { limitInputPixels: 64_000_000 }).rotate();
      large = await image.clone().resize({ width: LARGE_MAX, height: LARGE_MAX, fit: 'inside', withoutEnlargement: true }).webp().toBuffer();
      small = await image.clone().resize({ width: SMALL_WIDTH, withoutEnlargement: true }).webp().toBuffer();
    } catch {
      throw badRequest('Artwork could not be decoded as an image');
    }
    const dir = this.dir(collectionId);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'big.webp'), large);
    await writeFile(path.join(dir, 'small.webp'), small);
    const rel = `collections/${collectionId}/cover`;
    return { path_cover_l: `${rel}/big.webp`, path_cover_s: `${rel}/small.webp` };
  }

  async fromUrl(collectionId: number, url: string): Promise<CoverPaths> {
    return this.store(collectionId, await fetchCoverBytes(url));
  }

  async removeAll(collectionId: number): Promise<void> {
    await rm(path.join(this.resourcesPath, 'collections', String(collectionId)), { recursive: true, force: true });
  }
}
