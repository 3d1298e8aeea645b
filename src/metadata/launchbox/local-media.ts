/**
 * Media of a LaunchBox installation for one platform, found as RomM's LaunchBox handler finds it:
 * `Images/<Platform>/<Category>/[<Region>/]<name>[-01].<png|jpg|jpeg|webp>` where `<name>` is the sanitized ROM file
 * stem or game title, `Manuals/<Platform>/<name>.pdf` and `Videos/<Platform>/<name>.<mp4|webm|…>`. Directory
 * listings are read once per folder and kept for the session, so a platform of thousands of ROMs lists each folder
 * once. Every path returned lies lexically inside the LaunchBox folder (symlinks are judged later, by the media store).
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../common/paths.ts';
import { COVER_PRIORITY_TYPES } from './blob.ts';
import { sanitizeFilename } from './matching.ts';
import { platformFileName } from './platforms.ts';

const IMAGE_EXTS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
export const VIDEO_EXTS = ['.mp4', '.webm', '.avi', '.mkv', '.mov', '.wmv'] as const;

export const SCREENSHOT_DIRS = [
  'Amazon Screenshot', 'Epic Games Screenshot', 'GOG Screenshot', 'Origin Screenshot', 'Screenshot - Game Title',
  'Screenshot - Game Select', 'Screenshot - Gameplay', 'Screenshot - High Scores', 'Screenshot - Game Over', 'Steam Screenshot',
] as const;

/** Image folders recorded in the blob's `images` list (type = folder name). */
export const IMAGE_DIRS = [
  'Advertisement Flyer - Back', 'Advertisement Flyer - Front', 'Box - Back', 'Box - Back - Reconstructed', 'Box - Full',
  'Box - Spine', 'Cart - Front', 'Cart - 3D', 'Clear Logo', 'Fanart - Box - Back', 'Fanart - Background',
  'Amazon Background', 'Epic Games Background', 'Origin Background', 'Uplay Background',
] as const;

export interface LocalMediaRequest {
  fsName: string;
  /** The game's title (local `Title`, else the database's `Name`). */
  title: string;
  /** The local entry's `Region` ("North America" or "Europe, Japan"): region folders tried first. */
  regionHint: string | null;
}

export interface LocalImage {
  path: string;
  type: string;
  region: string;
}

export interface LocalMedia {
  cover: string | null;
  screenshots: string[];
  manual: string | null;
  video: string | null;
  images: LocalImage[];
}

interface Candidates {
  plain?: string;
  indexed: [number, string][];
}

/** A folder's entries: image files by stem (plain and `-NN` indexed), and its sub-folders. */
interface Listing {
  names: Set<string>;
  files: string[];
  dirs: string[];
  byStem: Map<string, Candidates>;
}

/** A single path segment that cannot leave its folder. */
const safeSegment = (s: string): boolean => s !== '' && s !== '.' && s !== '..' && !/[\\/\0]/.test(s);

export class LocalMediaFinder {
  private readonly listings = new Map<string, Promise<Listing | null>>();
  private readonly platformDir: string;

  constructor(private readonly root: string, platformName: string) {
    this.platformDir = platformFileName(platformName);
  }

  async find(req: LocalMediaRequest): Promise<LocalMedia> {
    const stems = this.stems(req);
    const empty: LocalMedia = { cover: null, screenshots: [], manual: null, video: null, images: [] };
    if (!stems.length || !safeSegment(this.platformDir)) return empty;
    const regions = this.regionHints(req.regionHint);
    const images = this.dir('Images');

    let cover: string | null = null;
    for (const category of COVER_PRIORITY_TYPES) {
      const hit = await this.candidates(images, category, stems, regions, true);
      if (hit.files[0]) {
        cover = hit.files[0];
        break;
      }
    }
    const screenshots: string[] = [];
    for (const category of SCREENSHOT_DIRS) {
      for (const f of (await this.candidates(images, category, stems, regions, false)).files) {
        if (!screenshots.includes(f)) screenshots.push(f);
      }
    }
    const typed: LocalImage[] = [];
    for (const category of IMAGE_DIRS) {
      const hit = await this.candidates(images, category, stems, regions, false);
      for (const f of hit.files) typed.push({ path: f, type: category, region: hit.region });
    }
    return { cover, screenshots, manual: await this.manual(stems), video: await this.video(stems), images: typed };
  }

  /** The ROM file's stem and the title, sanitized as LaunchBox names media files. */
  private stems(req: LocalMediaRequest): string[] {
    const raw = [req.fsName ? path.parse(req.fsName).name : '', req.title];
    return [...new Set(raw.map(sanitizeFilename).filter(safeSegment))];
  }

  private regionHints(hint: string | null): string[] {
    const h = hint?.trim();
    if (!h) return [];
    const list = [h, ...(h.includes(',') ? h.split(',').map((r) => r.trim()) : [])];
    return [...new Set(list.filter(safeSegment))];
  }

  /** `<root>/<kind>/<Platform>` */
  private dir(kind: 'Images' | 'Manuals' | 'Videos'): string {
    return path.join(this.root, kind, this.platformDir);
  }

  private list(dir: string): Promise<Listing | null> {
    let p = this.listings.get(dir);
    if (!p) {
      p = readListing(this.root, dir);
      this.listings.set(dir, p);
    }
    return p;
  }

  /**
   * Files of one category for the first stem found, searching preferred region folders, then every region folder
   * by name, then the category folder itself. With `coverOnly`, an indexed set yields only its `-01`.
   */
  private async candidates(base: string, category: string, stems: string[], regions: string[], coverOnly: boolean): Promise<{ files: string[]; region: string }> {
    const categoryDir = path.join(base, category);
    const top = await this.list(categoryDir);
    if (!top) return { files: [], region: '' };
    const searchDirs: [string, string][] = [];
    for (const r of regions) if (top.dirs.includes(r)) searchDirs.push([path.join(categoryDir, r), r]);
    for (const d of [...top.dirs].sort((a, b) => cmpLower(a, b))) {
      if (!searchDirs.some(([, r]) => r === d)) searchDirs.push([path.join(categoryDir, d), d]);
    }
    searchDirs.push([categoryDir, '']);
    for (const [dir, region] of searchDirs) {
      const listing = region ? await this.list(dir) : top;
      if (!listing) continue;
      for (const stem of stems) {
        const files = pick(listing.byStem.get(stem), coverOnly).map((name) => path.join(dir, name));
        if (files.length) return { files, region };
      }
    }
    return { files: [], region: '' };
  }

  /** A PDF named like a stem (case-insensitive, sanitized), else one whose name starts with it; shortest first. */
  private async manual(stems: string[]): Promise<string | null> {
    const dir = this.dir('Manuals');
    const listing = await this.list(dir);
    if (!listing) return null;
    const pdfs = listing.files.filter((f) => path.extname(f).toLowerCase() === '.pdf')
      .sort((a, b) => a.length - b.length || cmpLower(a, b));
    const key = (f: string): string => sanitizeFilename(path.parse(f).name).toLowerCase();
    const lower = stems.map((s) => s.toLowerCase());
    for (const s of lower) for (const f of pdfs) if (key(f) === s) return path.join(dir, f);
    for (const s of lower) for (const f of pdfs) if (key(f).startsWith(s)) return path.join(dir, f);
    return null;
  }

  private async video(stems: string[]): Promise<string | null> {
    const dir = this.dir('Videos');
    const listing = await this.list(dir);
    if (!listing) return null;
    for (const s of stems) for (const ext of VIDEO_EXTS) if (listing.names.has(`${s}${ext}`)) return path.join(dir, `${s}${ext}`);
    return null;
  }
}

const cmpLower = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

function pick(c: Candidates | undefined, coverOnly: boolean): string[] {
  if (!c) return [];
  if (c.indexed.length) {
    const sorted = [...c.indexed].sort((a, b) => a[0] - b[0] || cmpLower(a[1], b[1]));
    if (coverOnly) {
      const first = sorted.filter(([n]) => n === 1).pop();
      if (first) return [first[1]];
      return c.plain ? [c.plain] : [];
    }
    return sorted.map(([, name]) => name);
  }
  return c.plain ? [c.plain] : [];
}

async function readListing(root: string, dir: string): Promise<Listing | null> {
  if (!isInside(root, dir)) return null;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const listing: Listing = { names: new Set(), files: [], dirs: [], byStem: new Map() };
  for (const e of entries) {
    if (e.isDirectory()) {
      if (safeSegment(e.name)) listing.dirs.push(e.name);
      continue;
    }
    if (!e.isFile() && !e.isSymbolicLink()) continue;
    listing.names.add(e.name);
    listing.files.push(e.name);
    const ext = path.extname(e.name);
    if (!IMAGE_EXTS.has(ext.toLowerCase())) continue;
    const stem = e.name.slice(0, e.name.length - ext.length);
    const entry = (s: string): Candidates => {
      let c = listing.byStem.get(s);
      if (!c) listing.byStem.set(s, (c = { indexed: [] }));
      return c;
    };
    entry(stem).plain = e.name;
    const m = /^(.*)-(\d+)$/.exec(stem);
    if (m?.[1]) entry(m[1]).indexed.push([Number(m[2]), e.name]);
  }
  return listing;
}
