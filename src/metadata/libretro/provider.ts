/**
 * libretro thumbnails, one provider (`libretro`) with two places to read them, chosen per platform:
 * 1. a local clone of libretro-thumbnails (`LIBRETRO_THUMBNAILS_PATH`): `<root>/<system>/Named_Boxarts|Named_Snaps|
 *    Named_Titles/<name>.png`, each folder listed once per platform, media are files;
 * 2. when the clone has no folder for the platform's system and `LIBRETRO_API_ENABLED` is on, a server laid out like
 *    thumbnails.libretro.com (`LIBRETRO_THUMBNAILS_URL`, http-thumbnails.ts): the same folders read from its
 *    directory listings (cached), media are `{ url }` on that server, downloaded by the media store.
 * One class keeps one id, one heartbeat flag and one fingerprint per platform, so a platform never gets answers
 * from both places and switching between them (a clone added or removed) re-applies the source on a quick scan.
 *
 * Art only, no text fields and no provider blob (RomM has no libretro_metadata column). A ROM is matched on its box
 * art, as RomM does; its snap and title screen are looked up by the same rules. The URLs recorded for a local clone
 * are the thumbnails.libretro.com ones RomM stores; over HTTP, the same paths under the configured server (identical
 * to RomM's with the default URL).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaSource, MetadataIssues, MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession, ProviderMatch } from '../types.ts';
import { artUrlUnder, pyQuote, type LibretroArtFolder, type LibretroHttpThumbnails } from './http-thumbnails.ts';
import { libretroIdFor, thumbnailTargets, ThumbnailIndex } from './names.ts';
import { libretroSystems } from './systems.ts';

export { pyQuote };
export const LIBRETRO_THUMBNAIL_ROOT = 'https://thumbnails.libretro.com';
export const ART_FOLDERS = ['Named_Boxarts', 'Named_Snaps', 'Named_Titles'] as const satisfies readonly LibretroArtFolder[];
export type ArtFolder = LibretroArtFolder;

const IMAGE_RE = /\.(png|jpe?g|webp)$/i;
const DEFAULT_MEDIA = ['box2d', 'screenshot', 'manual'];

/** The URL RomM records for a libretro art file. */
export const libretroArtUrl = (system: string, folder: ArtFolder, fileName: string): string =>
  artUrlUnder(LIBRETRO_THUMBNAIL_ROOT, system, folder, fileName);

/** The three folders' indexes of one system, and how a name becomes a media source and a recorded URL. */
interface ArtSet {
  system: string;
  boxes: ThumbnailIndex;
  snaps: ThumbnailIndex | null;
  titles: ThumbnailIndex | null;
  media(folder: ArtFolder, name: string): MediaSource;
  url(folder: ArtFolder, name: string): string;
}

export class LibretroProvider implements MetadataProvider {
  readonly id = 'libretro' as const;
  readonly heartbeatFlag = 'LIBRETRO_API_ENABLED';
  readonly online: boolean;
  readonly root: string;
  /** `scan.media`: RomM adds the snap (`screenshot`) and title (`title_screen`) URLs to url_screenshots only when listed. */
  private readonly media: readonly string[];
  private readonly http: LibretroHttpThumbnails | null;

  constructor(opts: { root: string; media?: readonly string[]; http?: LibretroHttpThumbnails | null }) {
    this.root = path.resolve(opts.root);
    this.media = opts.media ?? DEFAULT_MEDIA;
    this.http = opts.http ?? null;
    this.online = this.http !== null;
  }

  async available(): Promise<boolean> {
    return this.http !== null || (await this.hasClone());
  }

  /** The local clone is there or the thumbnail server answers (RomM's heartbeat: a HEAD of its root). */
  async health(): Promise<boolean> {
    return (await this.hasClone()) || (this.http !== null && (await this.http.head()));
  }

  prepare(): Promise<void> {
    this.http?.reset();
    return Promise.resolve();
  }

  private async hasClone(): Promise<boolean> {
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
    if (!system) {
      const systems = libretroSystems(platform.slug);
      // The server cannot be stat-ed: its identity is where it is and what is asked of it.
      return this.http && systems.length > 0 ? `http:v1|${this.http.root}|${systems.join('|')}|${this.extraFolders().join(',')}` : null;
    }
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
    if (system) return this.openLocal(system, issues);
    const systems = libretroSystems(platform.slug);
    return this.http && systems.length > 0 ? this.openHttp(this.http, systems, issues) : null;
  }

  /** The art folders besides box art whose URLs RomM records (`scan.media`). */
  private extraFolders(): ArtFolder[] {
    return [...(this.media.includes('screenshot') ? ['Named_Snaps' as const] : []), ...(this.media.includes('title_screen') ? ['Named_Titles' as const] : [])];
  }

  private async openLocal(system: string, issues: MetadataIssues): Promise<PlatformSession | null> {
    const [boxes, snaps, titles] = await Promise.all(ART_FOLDERS.map((f) => this.index(system, f, issues)));
    if (!boxes || boxes.size === 0) return null;
    const root = this.root;
    const art: ArtSet = {
      system, boxes, snaps: snaps ?? null, titles: titles ?? null,
      media: (folder, name) => ({ path: path.join(root, system, folder, name), root }),
      url: (folder, name) => libretroArtUrl(system, folder, name),
    };
    return { lookup: (rom) => Promise.resolve(this.matchIn(art, rom)) };
  }

  /**
   * Listings are read on the first lookup, not at open: a quick rescan that visits no ROM of the platform costs
   * nothing. A failed box-art listing fails every lookup of the platform with the same error (one issue, one call);
   * a failed snap or title listing only loses those.
   */
  private openHttp(http: LibretroHttpThumbnails, systems: readonly string[], issues: MetadataIssues): PlatformSession {
    const wanted = this.extraFolders();
    let art: Promise<ArtSet | null> | null = null;
    const extra = async (system: string, folder: ArtFolder): Promise<ThumbnailIndex | null> => {
      if (!wanted.includes(folder)) return null;
      try {
        const names = await http.listing(system, folder);
        return names && names.length > 0 ? new ThumbnailIndex(names) : null;
      } catch (err) {
        issues.add('source-unreadable', http.artUrl(system, folder, ''), `cannot list ${folder}: ${(err as Error).message}`);
        return null;
      }
    };
    const load = async (): Promise<ArtSet | null> => {
      // Where a platform has art under two systems (arcade: MAME, then FBNeo), the first the server has wins.
      for (const system of systems) {
        const names = await http.listing(system, 'Named_Boxarts');
        if (!names || names.length === 0) continue;
        const [snaps, titles] = await Promise.all([extra(system, 'Named_Snaps'), extra(system, 'Named_Titles')]);
        return {
          system, boxes: new ThumbnailIndex(names), snaps, titles,
          media: (folder, name) => ({ url: http.artUrl(system, folder, name) }),
          url: (folder, name) => http.artUrl(system, folder, name),
        };
      }
      return null;
    };
    return {
      lookup: async (rom) => {
        art ??= load();
        const set = await art;
        return set ? this.matchIn(set, rom) : null;
      },
    };
  }

  private matchIn(art: ArtSet, rom: MetadataRom): ProviderMatch | null {
    const targets = thumbnailTargets(rom);
    const box = art.boxes.find(targets);
    if (!box) return null;
    const snap = art.snaps?.find(targets) ?? null;
    const title = art.titles?.find(targets) ?? null;
    const urlScreenshots = [
      ...(snap && this.media.includes('screenshot') ? [art.url('Named_Snaps', snap)] : []),
      ...(title && this.media.includes('title_screen') ? [art.url('Named_Titles', title)] : []),
    ];
    return {
      source: 'libretro',
      id: libretroIdFor(box),
      urls: { cover: art.url('Named_Boxarts', box), ...(urlScreenshots.length ? { screenshots: urlScreenshots } : {}) },
      media: {
        cover: art.media('Named_Boxarts', box),
        ...(snap ? { screenshots: [art.media('Named_Snaps', snap)] } : {}),
        ...(title ? { extras: { title_screen: art.media('Named_Titles', title) } } : {}),
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
