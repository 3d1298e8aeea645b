/**
 * Stores the media the metadata pass found (covers, screenshots, manuals, extras) under the resources directory,
 * in RomM's layout (`roms/<platform>/<rom>/cover/big.<ext>`, `screenshots/<idx>.<ext>`, `manual/<rom>.pdf`,
 * `<kind>/<kind>.<ext>`), with the rules of media/source-file.ts for what may be read.
 *
 * Identical media are stored once: each result is a content-addressed object under `media/` (keyed by the source
 * bytes and the encode settings, so a second ROM with the same cover costs a hash, not an encode), hard-linked
 * into the ROM's folder. Images are decoded and re-encoded (nothing is stored as found); manuals and videos are
 * checked by content and streamed, never held in memory whole.
 *
 * API:
 *   new MediaStore({ resourcesRoot, limits? })
 *   origin(file) → `${realpath}|${size}|${mtimeMs}` (a URL source: `url:<url>`) | null
 *   storeCover(rom, file) → { path_cover_l, path_cover_s }
 *   storeScreenshots(rom, files, onSkip?) → string[]   stored in order; a bad file is skipped, its error to onSkip
 *   storeManual(rom, file) → string
 *   storeExtra(rom, kind, file) → string
 *   remove(rom, 'cover' | 'screenshots' | 'manual')
 *   sweepUnused() → number of objects removed  (between passes: objects no ROM links to)
 * Paths returned are relative to resourcesRoot, with `/`. Failures throw MediaError.
 * A URL source (an online provider's image) is fetched through the SSRF-safe fetch with the same byte limits, then
 * treated exactly like a file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { encodeCover, encodeImage, ImageRejectedError } from '../media/cover-images.ts';
import { describeContent, sniffImage } from '../media/image-sniff.ts';
import { ContentStore, MEDIA_DIR, tempName } from './media/content-store.ts';
import { MediaError } from './media/errors.ts';
import { isPdf, sniffVideo } from './media/sniff.ts';
import { openSource, readUpTo, sourceOrigin, type OpenSource } from './media/source-file.ts';
import { safeFetch, SafeFetchError, type SafeFetchOptions } from '../net/safe-fetch.ts';
import { EXTRA_MEDIA, isMediaUrl, mediaLabel, type ExtraMedia, type MediaSource } from './types.ts';

export { MediaError, type MediaErrorKind } from './media/errors.ts';

export interface MediaLimits {
  maxImageBytes: number;
  maxManualBytes: number;
  maxVideoBytes: number;
  maxImagePixels: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  maxImageBytes: 20 * 1024 * 1024,
  maxManualBytes: 100 * 1024 * 1024,
  maxVideoBytes: 200 * 1024 * 1024,
  maxImagePixels: 40_000_000,
};

/** Fetches a URL source's bytes (at most maxBytes); the default is net/safe-fetch.ts. */
export type MediaFetcher = (url: string, maxBytes: number) => Promise<Buffer>;

const defaultFetcher = (options: SafeFetchOptions): MediaFetcher => async (url, maxBytes) =>
  (await safeFetch(url, { timeoutMs: 20_000, maxRedirects: 3, ...options, maxBytes })).body;

export interface MediaRom {
  platformId: number;
  id: number;
}

/** Bump when the encoders' output changes, so old objects are not reused for new settings. */
const COVER_SETTINGS = 'cover-v1';
const IMAGE_SETTINGS = 'image-v1';

export const romResourceDir = (rom: MediaRom): string => `roms/${rom.platformId}/${rom.id}`;

export class MediaStore {
  readonly resourcesRoot: string;
  readonly limits: MediaLimits;
  private readonly objects: ContentStore;
  private readonly fetcher: MediaFetcher;

  constructor(opts: { resourcesRoot: string; limits?: Partial<MediaLimits>; fetch?: MediaFetcher; fetchOptions?: SafeFetchOptions }) {
    this.resourcesRoot = path.resolve(opts.resourcesRoot);
    this.limits = { ...DEFAULT_MEDIA_LIMITS, ...opts.limits };
    this.objects = new ContentStore(this.resourcesRoot);
    this.fetcher = opts.fetch ?? defaultFetcher(opts.fetchOptions ?? {});
  }

  origin(file: MediaSource): Promise<string | null> {
    // A digest, not the URL: its query may carry credentials, and origins are stored in field_sources.
    return isMediaUrl(file) ? Promise.resolve(`url:${createHash('sha256').update(file.url).digest('hex')}`) : sourceOrigin(file);
  }

  async storeCover(rom: MediaRom, file: MediaSource): Promise<{ path_cover_l: string; path_cover_s: string }> {
    const dir = `${romDir(rom, mediaLabel(file))}/cover`;
    const { bytes, key, ext } = await this.readImage(file, COVER_SETTINGS, 'Cover');
    const big = this.objects.objectPath(key, `big.${ext}`);
    const small = this.objects.objectPath(key, `small.${ext}`);
    await this.objects.ensure([big, small], async () => {
      const cover = await this.encode(file, () => encodeCover(bytes, { label: 'Cover', maxInputPixels: this.limits.maxImagePixels }));
      await this.objects.writeAtomic(big, cover.big);
      await this.objects.writeAtomic(small, cover.small);
    });
    const names = { big: `big.${ext}`, small: `small.${ext}` };
    await this.placeAll(file, [
      [big, `${dir}/${names.big}`],
      [small, `${dir}/${names.small}`],
    ]);
    await this.removeOthers(dir, (name) => /^(big|small)\./.test(name) && name !== names.big && name !== names.small);
    return { path_cover_l: `${dir}/${names.big}`, path_cover_s: `${dir}/${names.small}` };
  }

  /**
   * Stores the screenshots in order as `screenshots/0.<ext>`, `1.<ext>`…; a file that fails is left out (the
   * following ones move up) and its error handed to `onSkip` (the pass's issues). Screenshots of an earlier
   * store beyond the new set are removed.
   */
  async storeScreenshots(rom: MediaRom, files: MediaSource[], onSkip?: (err: MediaError) => void): Promise<string[]> {
    const dir = `${romDir(rom, files[0] ? mediaLabel(files[0]) : '')}/screenshots`;
    const stored: string[] = [];
    for (const file of files) {
      try {
        stored.push(await this.storeImage(file, `${dir}/${stored.length}`, 'Screenshot'));
      } catch (err) {
        if (!(err instanceof MediaError)) throw err;
        onSkip?.(err);
      }
    }
    const keep = new Set(stored.map((p) => path.posix.basename(p)));
    await this.removeOthers(dir, (name) => /^\d+\.[a-z0-9]+$/.test(name) && !keep.has(name));
    return stored;
  }

  async storeManual(rom: MediaRom, file: MediaSource): Promise<string> {
    const rel = `${romDir(rom, mediaLabel(file))}/manual/${rom.id}.pdf`;
    await this.storeCopied(file, rel, this.limits.maxManualBytes, 'Manual', (head) => (isPdf(head) ? 'pdf' : null));
    return rel;
  }

  async storeExtra(rom: MediaRom, kind: ExtraMedia, file: MediaSource): Promise<string> {
    if (!(EXTRA_MEDIA as readonly string[]).includes(kind)) throw new MediaError('media-failed', mediaLabel(file), `unknown media kind ${String(kind)}`);
    const dir = `${romDir(rom, mediaLabel(file))}/${kind}`;
    let rel: string;
    if (kind === 'video') {
      const ext = await this.storeCopied(file, null, this.limits.maxVideoBytes, 'Video', sniffVideo, (e) => `${dir}/video.${e}`);
      rel = `${dir}/video.${ext}`;
    } else {
      rel = await this.storeImage(file, `${dir}/${kind}`, label(kind));
    }
    const base = path.posix.basename(rel);
    await this.removeOthers(dir, (name) => name.startsWith(`${kind}.`) && name !== base);
    return rel;
  }

  /** Removes a ROM's stored cover, screenshots or manual (a complete scan whose sources no longer have it). */
  async remove(rom: MediaRom, field: 'cover' | 'screenshots' | 'manual'): Promise<void> {
    await rm(path.join(this.resourcesRoot, romDir(rom, field), field), { recursive: true, force: true });
  }

  /**
   * Removes stored objects no ROM links to any more (link count 1) and stale temp files. Run it when no pass is
   * storing media: an object just written and not yet linked would look unused.
   */
  async sweepUnused(): Promise<number> {
    const mediaDir = path.join(this.resourcesRoot, MEDIA_DIR);
    let removed = 0;
    for (const sub of await readdir(mediaDir).catch(() => [] as string[])) {
      const dir = path.join(mediaDir, sub);
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const abs = path.join(dir, name);
        const st = await lstat(abs).catch(() => null);
        if (st?.isFile() && (sub === 'tmp' || st.nlink <= 1)) {
          await rm(abs, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** One re-encoded image at `<relNoExt>.<ext>`; returns the relative path. */
  private async storeImage(file: MediaSource, relNoExt: string, what: string): Promise<string> {
    const { bytes, key, ext } = await this.readImage(file, IMAGE_SETTINGS, what);
    const object = this.objects.objectPath(key, `img.${ext}`);
    await this.objects.ensure([object], async () => {
      const image = await this.encode(file, () => encodeImage(bytes, { label: what, maxInputPixels: this.limits.maxImagePixels }));
      await this.objects.writeAtomic(object, image.data);
    });
    const rel = `${relNoExt}.${ext}`;
    await this.placeAll(file, [[object, rel]]);
    return rel;
  }

  /** The bytes of an image source (within the byte limit), its content key and the extension it will have. */
  private async readImage(file: MediaSource, settings: string, what: string): Promise<{ bytes: Buffer; key: string; ext: string }> {
    const bytes = isMediaUrl(file) ? await this.fetchBytes(file.url, this.limits.maxImageBytes, what) : await this.readFileSource(file, what);
    const kind = sniffImage(bytes);
    if (!kind) throw new MediaError('media-rejected', mediaLabel(file), `${what} must be a PNG, JPEG, WebP, or GIF image (detected ${describeContent(bytes)})`);
    const ext = kind === 'jpeg' ? 'jpg' : kind === 'webp' ? 'webp' : 'png';
    const key = createHash('sha256').update(settings).update('\0').update(bytes).digest('hex');
    return { bytes, key, ext };
  }

  private async readFileSource(file: Exclude<MediaSource, { url: string }>, what: string): Promise<Buffer> {
    const src = await openSource(file, this.limits.maxImageBytes, what);
    try {
      return await readUpTo(src.handle, src.size);
    } catch (err) {
      throw new MediaError('media-failed', mediaLabel(file), `${what} could not be read (${(err as Error).message})`);
    } finally {
      await src.handle.close();
    }
  }

  private async encode<T>(file: MediaSource, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof ImageRejectedError) {
        const tooLarge = /pixel limit/i.test(err.message);
        throw new MediaError(tooLarge ? 'media-too-large' : 'media-rejected', mediaLabel(file), err.message);
      }
      throw new MediaError('media-failed', mediaLabel(file), `image could not be stored (${(err as Error).message})`);
    }
  }

  /**
   * Streams a checked file into the content store (hashing as it goes) and links it at `rel` (or at
   * `relFor(ext)` once the content has named its type). Returns the extension.
   */
  private async storeCopied<E extends string>(
    file: MediaSource,
    rel: string | null,
    maxBytes: number,
    what: string,
    check: (head: Uint8Array) => E | null,
    relFor?: (ext: E) => string,
  ): Promise<E> {
    if (isMediaUrl(file)) return this.storeFetched(file.url, rel, maxBytes, what, check, relFor);
    const src: OpenSource = await openSource(file, maxBytes, what);
    const tmpDir = path.join(this.resourcesRoot, MEDIA_DIR, 'tmp');
    let tmp: string | null = null;
    try {
      const head = await readUpTo(src.handle, Math.min(64, src.size));
      const ext = check(head);
      if (!ext) throw new MediaError('media-rejected', mediaLabel(file), `${what} is not a ${what === 'Manual' ? 'PDF' : 'MP4, WebM or MKV file'}`);
      await this.objects.mkdirOnce(tmpDir);
      tmp = tempName(tmpDir, 'copy');
      const hash = createHash('sha256');
      const input = src.handle.createReadStream({ start: 0, end: src.size - 1, autoClose: false });
      await pipeline(
        input,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx' }),
      );
      const object = this.objects.objectPath(hash.digest('hex'), ext);
      if (await this.objects.exists(object)) {
        await rm(tmp, { force: true });
      } else {
        await this.objects.mkdirOnce(path.dirname(object));
        await rename(tmp, object);
      }
      tmp = null;
      await this.placeAll(file, [[object, rel ?? relFor!(ext)]]);
      return ext;
    } catch (err) {
      if (err instanceof MediaError) throw err;
      throw new MediaError('media-failed', mediaLabel(file), `${what} could not be stored (${(err as Error).message})`);
    } finally {
      await src.handle.close();
      if (tmp) await rm(tmp, { force: true });
    }
  }

  /** storeCopied for a URL source: fetched whole (within maxBytes), checked, stored by content. */
  private async storeFetched<E extends string>(
    url: string,
    rel: string | null,
    maxBytes: number,
    what: string,
    check: (head: Uint8Array) => E | null,
    relFor?: (ext: E) => string,
  ): Promise<E> {
    const bytes = await this.fetchBytes(url, maxBytes, what);
    const ext = check(bytes.subarray(0, 64));
    if (!ext) throw new MediaError('media-rejected', mediaLabel({ url }), `${what} is not a ${what === 'Manual' ? 'PDF' : 'MP4, WebM or MKV file'}`);
    const object = this.objects.objectPath(createHash('sha256').update(bytes).digest('hex'), ext);
    await this.objects.ensure([object], () => this.objects.writeAtomic(object, bytes));
    await this.placeAll({ url }, [[object, rel ?? relFor!(ext)]]);
    return ext;
  }

  private async fetchBytes(url: string, maxBytes: number, what: string): Promise<Buffer> {
    try {
      return await this.fetcher(url, maxBytes);
    } catch (err) {
      const message = (err as Error).message;
      const tooLarge = err instanceof SafeFetchError && /too large|exceed|limit/i.test(message);
      throw new MediaError(tooLarge ? 'media-too-large' : 'media-failed', mediaLabel({ url }), `${what} could not be downloaded (${message})`);
    }
  }

  private async placeAll(file: MediaSource, pairs: [object: string, rel: string][]): Promise<void> {
    try {
      for (const [object, rel] of pairs) await this.objects.place(object, path.join(this.resourcesRoot, rel));
    } catch (err) {
      throw new MediaError('media-failed', mediaLabel(file), `media could not be written (${(err as Error).message})`);
    }
  }

  private async removeOthers(relDir: string, stale: (name: string) => boolean): Promise<void> {
    const dir = path.join(this.resourcesRoot, relDir);
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter(stale).map((n) => rm(path.join(dir, n), { force: true })));
  }
}

function romDir(rom: MediaRom, source: string): string {
  if (!Number.isSafeInteger(rom.platformId) || rom.platformId < 1 || !Number.isSafeInteger(rom.id) || rom.id < 1) {
    throw new MediaError('media-failed', source, `invalid ROM ids ${rom.platformId}/${rom.id}`);
  }
  return romResourceDir(rom);
}

const label = (kind: ExtraMedia): string => kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
