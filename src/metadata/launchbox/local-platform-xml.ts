/**
 * A LaunchBox installation's platform file, `Data/Platforms/<platform>.xml`: its `<Game>` entries indexed the way
 * RomM's LaunchBox handler finds a ROM in them: by the file name of `ApplicationPath` (a Windows path, often
 * relative: `..\Games\SNES\Super Mario World (USA).sfc`), by that name's extension-less forms, and by title.
 * Parsed as a stream with saxes; a malformed file is reported and gives no entries.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import type { MetadataIssues } from '../types.ts';
import type { GameFields } from './blob.ts';
import { fileNameForms } from './matching.ts';
import { platformFileName } from './platforms.ts';

/** Path of a platform's XML inside a LaunchBox folder. */
export function localPlatformXmlPath(launchboxPath: string, platformName: string): string {
  return path.join(launchboxPath, 'Data', 'Platforms', `${platformFileName(platformName)}.xml`);
}

/** The last segment of a Windows or POSIX path (`..\Games\x.sfc` → `x.sfc`, `C:x.sfc` → `x.sfc`). */
export function windowsBaseName(p: string): string {
  const last = p.split(/[\\/]/).pop() ?? '';
  return last.replace(/^[a-zA-Z]:/, '').trim();
}

export class LocalPlatformIndex {
  private readonly byKey = new Map<string, GameFields>();

  /** Adds an entry under its keys; the first entry to claim a key keeps it. */
  add(entry: GameFields): void {
    const claim = (key: string): void => {
      if (!this.byKey.has(key)) this.byKey.set(key, entry);
    };
    const base = windowsBaseName(entry.ApplicationPath ?? '').toLowerCase();
    if (base) {
      claim(base);
      for (const form of fileNameForms(base)) claim(`stem:${form}`);
    }
    const title = (entry.Title ?? '').trim().toLowerCase();
    if (title) claim(`title:${title}`);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The entry for a ROM file name: exact file name, then its stems, then titles equal to a stem or the name. */
  find(fsName: string): GameFields | null {
    const key = fsName.trim().toLowerCase();
    if (!key) return null;
    const stems = fileNameForms(fsName);
    const probes = [key, ...stems.map((s) => `stem:${s}`), ...stems.map((s) => `title:${s}`), `title:${key}`];
    for (const probe of probes) {
      const hit = this.byKey.get(probe);
      if (hit) return hit;
    }
    return null;
  }
}

/** Identity of a platform XML from one stat call, or null when there is none. */
export async function localPlatformXmlFingerprint(file: string): Promise<string | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? `${s.size}:${s.mtimeMs}:${s.ino}` : null;
  } catch {
    return null;
  }
}

/** Parses a platform XML into an index; null (with an issue when the file is bad) when it gives nothing. */
export async function loadLocalPlatformXml(file: string, issues: MetadataIssues): Promise<LocalPlatformIndex | null> {
  try {
    if (!(await stat(file)).isFile()) return null;
  } catch {
    return null;
  }
  const index = new LocalPlatformIndex();
  const parser = new SaxesParser({ position: true });
  let depth = 0;
  let gameDepth = 0;
  let entry: Record<string, string> | null = null;
  let field: string | null = null;
  let text = '';
  parser.on('opentag', (node) => {
    depth++;
    if (!entry && node.name === 'Game' && depth >= 2) {
      entry = {};
      gameDepth = depth;
    } else if (entry && depth === gameDepth + 1) {
      field = node.name;
      text = '';
    }
  });
  const onText = (t: string): void => {
    if (field !== null && depth === gameDepth + 1) text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (entry && field !== null && depth === gameDepth + 1) {
      entry[field] = text;
      field = null;
    } else if (entry && depth === gameDepth) {
      if (Object.keys(entry).length) index.add(entry);
      entry = null;
    }
    depth--;
  });

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    let first = true;
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.write(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      first = false;
    }
    parser.close();
  } catch (err) {
    const io = typeof (err as NodeJS.ErrnoException).code === 'string' && 'syscall' in (err as object);
    issues.add(io ? 'source-unreadable' : 'source-malformed', file, (err as Error).message);
    return null;
  } finally {
    stream.destroy();
  }
  return index.size ? index : null;
}
