/**
 * Media found by ROM name in folders: RomM's fallback beside the gamelist (`<platform>/covers/<rom stem>.*`) and
 * ES-DE's downloaded_media tree (`<ESDE_MEDIA_PATH>/<system>/covers/<rom stem>.png`). Each folder is listed once
 * per platform, on first use, into a map from NFC stem to file name; every hit is then confined to its root by real
 * path, so a symlink planted in a media folder cannot point a read outside it.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../common/paths.ts';
import { fileStem } from './entry-path.ts';
import { MEDIA_FOLDERS, type GamelistMediaKind } from './fields.ts';

export type Confined = { ok: true; path: string } | { ok: false; reason: 'missing' | 'outside' };

/** Real roots, resolved once: a root that is itself a symlink (a NAS mount) is fine. */
export class RootGuard {
  private real: Promise<string | null> | null = null;

  constructor(readonly root: string) {}

  /** Whether `abs` is an existing regular file whose real path lies inside the root's real path. */
  async confine(abs: string): Promise<Confined> {
    this.real ??= realpath(this.root).catch(() => null);
    const rootReal = await this.real;
    if (rootReal === null) return { ok: false, reason: 'missing' };
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      return { ok: false, reason: 'missing' };
    }
    if (!isInside(rootReal, real)) return { ok: false, reason: 'outside' };
    try {
      return (await stat(real)).isFile() ? { ok: true, path: abs } : { ok: false, reason: 'missing' };
    } catch {
      return { ok: false, reason: 'missing' };
    }
  }
}

/** The media folders under one base (`<romsDir>` or `<ESDE_MEDIA_PATH>/<fsSlug>`). */
export class MediaFolders {
  private readonly listings = new Map<GamelistMediaKind, Promise<Map<string, string>>>();

  /** `base` holds the kind folders; `guard` is the root every file must stay inside. */
  constructor(readonly base: string, readonly guard: RootGuard) {}

  /** Absolute path of the first file named `<stem>.<ext>` for one of the stems, or null. */
  async find(kind: GamelistMediaKind, stems: readonly string[]): Promise<Confined> {
    const listing = await this.listing(kind);
    let outside = false;
    for (const stem of stems) {
      const name = listing.get(stem.normalize('NFC'));
      if (name === undefined) continue;
      const hit = await this.guard.confine(path.join(this.base, MEDIA_FOLDERS[kind], name));
      if (hit.ok) return hit;
      if (hit.reason === 'outside') outside = true;
    }
    return { ok: false, reason: outside ? 'outside' : 'missing' };
  }

  private listing(kind: GamelistMediaKind): Promise<Map<string, string>> {
    let l = this.listings.get(kind);
    if (!l) {
      l = listStems(path.join(this.base, MEDIA_FOLDERS[kind]));
      this.listings.set(kind, l);
    }
    return l;
  }
}

async function listStems(dir: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort();
  } catch {
    return map;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const stem = fileStem(name).normalize('NFC');
    if (!map.has(stem)) map.set(stem, name);
  }
  return map;
}
