/**
 * libretro thumbnails from a local clone of libretro-thumbnails (`LIBRETRO_THUMBNAILS_PATH`):
 * `<root>/<system>/Named_Boxarts|Named_Snaps|Named_Titles/<name>.png`. Art only, no text fields and no provider
 * blob (RomM has no libretro_metadata column). A ROM is matched on its box art, as RomM does; its snap and title
 * screen are looked up by the same rules. The URLs recorded are the thumbnails.libretro.com ones RomM stores.
 *
 * Each art folder is listed once per platform into an in-memory index of names (30,000 names are a few MB), which
 * is far cheaper for a whole library than a stat per ROM and needed anyway for RomM's fuzzy fallback.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaFile, MetadataIssues, MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession, ProviderMatch } from '../types.ts';
import { libretroIdFor, thumbnailTargets, ThumbnailIndex } from './names.ts';
import { libretroSystems } from './systems.ts';

export const LIBRETRO_THUMBNAIL_ROOT = 'https://thumbnails.libretro.com';
export const ART_FOLDERS = ['Named_Boxarts', 'Named_Snaps', 'Named_Titles'] as const;
export type ArtFolder = (typeof ART_FOLDERS)[number];

const IMAGE_RE = /\.(png|jpe?g|webp)$/i;
const DEFAULT_MEDIA = ['box2d', 'screenshot', 'manual'];

/** Python's urllib.parse.quote: UTF-8 percent-encoding of everything but letters, digits, `_.-~` and `safe`. */
export function pyQuote(s: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~]/.test(c) || (byte < 0x80 && safe.includes(c)) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The URL RomM records for a libretro art file. */
export const libretroArtUrl = (system: string, folder: ArtFolder, fileName: string): string =>
  `${LIBRETRO_THUMBNAIL_ROOT}/${pyQuote(`${system}/${folder}`, '/')}/${pyQuote(fileName, '')}`;

export class LibretroProvider implements MetadataProvider {
  readonly id = 'libretro' as const;
  readonly heartbeatFlag = 'LIBRETRO_API_ENABLED';
  readonly root: string;
  /** `scan.media`: RomM adds the snap (`screenshot`) and title (`title_screen`) URLs to url_screenshots only when listed. */
  private readonly media: readonly string[];

  constructor(opts: { root: string; media?: readonly string[] }) {
    this.root = path.resolve(opts.root);
    this.media = opts.media ?? DEFAULT_MEDIA;
  }

  async available(): Promise<boolean> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => [] as Dirent[]);
    return entries.some((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink()));
  }

  /** The first of the platform's system names with a folder in the clone. */
  async systemFor(platform: MetadataPlatform): Promise<string | null> {
    for (const name of libretroSystems(platform.slug)) {
      const st = await stat(path.join(this.root, name)).catch(() => null);
      if (st?.isDirectory()) return name;
    }
    return null;
  }

  async fingerprint(platform: MetadataPlatform): Promise<string | null> {
    const system = await this.systemFor(platform);
    if (!system) return null;
    const parts = await Promise.all(
      ART_FOLDERS.map(async (folder) => {
        const st = await stat(path.join(this.root, system, folder)).catch(() => null);
        // A folder's mtime changes when a file is added, removed or renamed in it: what a lookup depends on.
        return st?.isDirectory() ? `${folder}:${st.dev}:${st.ino}:${st.mtimeMs}` : null;
      }),
    );
    if (parts.every((p) => p === null)) return null;
    return `${system}|${parts.map((p) => p ?? '-').join('|')}`;
  }

  async open(platform: MetadataPlatform, issues: MetadataIssues): Promise<PlatformSession | null> {
    const system = await this.systemFor(platform);
    if (!system) return null;
    const [boxes, snaps, titles] = await Promise.all(ART_FOLDERS.map((f) => this.index(system, f, issues)));
    if (!boxes || boxes.size === 0) return null;
    const root = this.root;
    const file = (folder: ArtFolder, name: string): MediaFile => ({ path: path.join(root, system, folder, name), root });
    const wantSnaps = this.media.includes('screenshot');
    const wantTitles = this.media.includes('title_screen');
    return {
      lookup: (rom: MetadataRom): Promise<ProviderMatch | null> => {
        const targets = thumbnailTargets(rom);
        const box = boxes.find(targets);
        if (!box) return Promise.resolve(null);
        const snap = snaps?.find(targets) ?? null;
        const title = titles?.find(targets) ?? null;
        const urlScreenshots = [
          ...(snap && wantSnaps ? [libretroArtUrl(system, 'Named_Snaps', snap)] : []),
          ...(title && wantTitles ? [libretroArtUrl(system, 'Named_Titles', title)] : []),
        ];
        const match: ProviderMatch = {
          source: 'libretro',
          id: libretroIdFor(box),
          urls: { cover: libretroArtUrl(system, 'Named_Boxarts', box), ...(urlScreenshots.length ? { screenshots: urlScreenshots } : {}) },
          media: {
            cover: file('Named_Boxarts', box),
            ...(snap ? { screenshots: [file('Named_Snaps', snap)] } : {}),
            ...(title ? { extras: { title_screen: file('Named_Titles', title) } } : {}),
          },
        };
        return Promise.resolve(match);
      },
    };
  }

  /** The folder's image names as an index; null when it is missing, with an issue when it cannot be read. */
  private async index(system: string, folder: ArtFolder, issues: MetadataIssues): Promise<ThumbnailIndex | null> {
    const dir = path.join(this.root, system, folder);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') issues.add('source-unreadable', dir, `cannot list ${folder}: ${(err as Error).message}`);
      return null;
    }
    // Names only: symlinks are listed too and judged (inside the root or not) by the media store when read.
    return new ThumbnailIndex(entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && IMAGE_RE.test(e.name)).map((e) => e.name));
  }
}
