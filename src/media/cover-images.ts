/**
 * Cover images: validate by content, decode and re-encode with sharp into a large and a small version.
 *
 * API:
 *   encodeCover(bytes, { label?, maxInputPixels? }) → Promise<EncodedCover>
 *       throws ImageRejectedError (user-facing message, RomM's wording) when the bytes are not a PNG, JPEG, WebP
 *       or GIF, or do not decode.
 *   encodeImage(bytes, { label?, maxInputPixels? }) → Promise<EncodedImage>   one version, capped at BIG_MAX
 *   writeCoverFiles(dir, cover) → Promise<{ big: string; small: string }>   file names written inside `dir`
 *       (`big.<ext>`, `small.<ext>`); older covers of another extension in `dir` are removed.
 *
 * Nothing uploaded is stored as sent: every byte written is produced by the encoder, so metadata, trailing
 * payloads and polyglot tricks are dropped. Large is capped at BIG_MAX px on its longer side; small is 40 % of
 * the original (20 % when it is 1000 px or taller), rounded down, as RomM sizes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type SharpFactory from 'sharp';
import type { Sharp } from 'sharp';

// libvips costs ~35 MB of memory: loaded on the first cover, not at start.
let sharpModule: Promise<{ default: typeof SharpFactory }> | undefined;
const loadSharp = async () => (await (sharpModule ??= import('sharp'))).default;
import { describeContent, IMAGE_EXT, sniffImage, type ImageKind } from './image-sniff.ts';

export class ImageRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageRejectedError';
  }
}

export interface EncodedCover {
  /** Format of the stored files (GIF is stored as a still PNG). */
  kind: ImageKind;
  ext: string;
  big: Buffer;
  small: Buffer;
  width: number;
  height: number;
}

export const BIG_MAX = 2400;
const DEFAULT_MAX_PIXELS = 40_000_000;

export async function encodeCover(bytes: Uint8Array, opts: { label?: string; maxInputPixels?: number } = {}): Promise<EncodedCover> {
  return withDecoded(bytes, opts, async (d) => {
    // RomM's small size: int(width * ratio), 20 % for covers 1000 px or taller, else 40 %.
    const factor = d.height >= 1000 ? 0.2 : 0.4;
    const smallSize = { width: Math.max(1, Math.floor(d.width * factor)), height: Math.max(1, Math.floor(d.height * factor)), fit: 'fill' as const };
    const big = await encode(d.pipeline().resize({ width: BIG_MAX, height: BIG_MAX, fit: 'inside', withoutEnlargement: true }), d.kind);
    const small = await encode(d.pipeline().resize(smallSize), d.kind);
    return { kind: d.kind, ext: IMAGE_EXT[d.kind], big, small, width: d.width, height: d.height };
  });
}

export interface EncodedImage {
  kind: ImageKind;
  ext: string;
  data: Buffer;
  width: number;
  height: number;
}

/** One re-encoded image (screenshots, title screens, fanart…), validated like a cover and capped at BIG_MAX. */
export async function encodeImage(bytes: Uint8Array, opts: { label?: string; maxInputPixels?: number } = {}): Promise<EncodedImage> {
  return withDecoded(bytes, opts, async (d) => {
    const data = await encode(d.pipeline().resize({ width: BIG_MAX, height: BIG_MAX, fit: 'inside', withoutEnlargement: true }), d.kind);
    return { kind: d.kind, ext: IMAGE_EXT[d.kind], data, width: d.width, height: d.height };
  });
}

/** Images up to this many pixels are decoded once into raw pixels shared by both encodes (≤ 16 MB of RGBA). */
const DECODE_ONCE_MAX_PIXELS = 4_000_000;

interface Decoded {
  kind: ImageKind;
  /** Displayed size (after EXIF orientation). */
  width: number;
  height: number;
  /** A fresh pipeline over the upright image. */
  pipeline: () => Sharp;
}

/** Sniffs, checks the decoder agrees with the sniffed type, and hands the encoder an upright image. */
async function withDecoded<T>(bytes: Uint8Array, opts: { label?: string; maxInputPixels?: number }, use: (d: Decoded) => Promise<T>): Promise<T> {
  const label = opts.label ?? 'Artwork';
  const sniffed = sniffImage(bytes);
  if (!sniffed) {
    throw new ImageRejectedError(`${label} must be a PNG, JPEG, WebP, or GIF image (detected ${describeContent(bytes)})`);
  }
  const kind: ImageKind = sniffed === 'gif' ? 'png' : sniffed;
  const sharp = await loadSharp();
  const input = () => sharp(bytes, { limitInputPixels: opts.maxInputPixels ?? DEFAULT_MAX_PIXELS, failOn: 'error', animated: false });
  try {
    const meta = await input().metadata();
    if (meta.format !== (sniffed === 'jpeg' ? 'jpeg' : sniffed)) throw new Error(`decoded as ${meta.format}`);
    // EXIF orientation swaps the displayed width and height.
    const swap = (meta.orientation ?? 1) >= 5;
    const width = (swap ? meta.height : meta.width) ?? 0;
    const height = (swap ? meta.width : meta.height) ?? 0;
    if (width < 1 || height < 1) throw new Error('no dimensions');
    if (width * height > DECODE_ONCE_MAX_PIXELS) return await use({ kind, width, height, pipeline: () => input().rotate() });
    // Small images: decode once; every encode starts from the same raw pixels (about 20 % faster per cover).
    const { data, info } = await input().rotate().raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
    return await use({ kind, width: info.width, height: info.height, pipeline: () => sharp(data, raw) });
  } catch (err) {
    if (err instanceof ImageRejectedError) throw err;
    throw new ImageRejectedError(`${label} could not be read as an image (${(err as Error).message.split('\n')[0]})`);
  }
}

function encode(pipeline: Sharp, kind: ImageKind): Promise<Buffer> {
  switch (kind) {
    case 'jpeg':
      return pipeline.jpeg({ quality: 88 }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality: 88 }).toBuffer();
    default:
      // zlib's default level: levels 7-9 cost much more time on large covers for a few per cent of size.
      return pipeline.png({ compressionLevel: 6 }).toBuffer();
  }
}

/** Writes both files atomically (temp name, then rename) and drops covers of other extensions. */
export async function writeCoverFiles(dir: string, cover: EncodedCover): Promise<{ big: string; small: string }> {
  await mkdir(dir, { recursive: true });
  const names = { big: `big.${cover.ext}`, small: `small.${cover.ext}` };
  const tag = randomBytes(6).toString('hex');
  for (const which of ['big', 'small'] as const) {
    const tmp = path.join(dir, `.${which}.${tag}.tmp`);
    await writeFile(tmp, cover[which]);
    await rename(tmp, path.join(dir, names[which]));
  }
  for (const entry of await readdir(dir)) {
    if (entry !== names.big && entry !== names.small && /^(big|small)\./.test(entry)) {
      await rm(path.join(dir, entry), { force: true });
    }
  }
  return names;
}
