import path from 'node:path';

/**
 * Paths written in a gamelist.xml (`<path>`, `<image>`…) are relative to the gamelist's folder: `./x.zip`, `x.zip`,
 * `./images/x-image.png`, `sub/x.zip`. Anything that could leave that folder (absolute paths, drive letters, `~`,
 * NUL, `..` climbing out) is refused here, lexically; symlinks are judged later, against real paths.
 */
export type EntryPath =
  | { ok: true; /** `/`-separated, no `./` prefix, never empty. */ rel: string }
  | { ok: false; reason: 'outside' | 'url' | 'empty' };

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

export function parseEntryPath(raw: string): EntryPath {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  // A RomM export without local_export writes URLs of this server: not a file in the folder.
  if (URL_SCHEME.test(text)) return { ok: false, reason: 'url' };
  if (text.includes('\0') || text.startsWith('~') || /^[a-zA-Z]:/.test(text)) return { ok: false, reason: 'outside' };
  // Gamelists written on Windows use backslashes.
  const slashed = text.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { ok: false, reason: 'outside' };
  const normal = path.posix.normalize(slashed).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return { ok: false, reason: 'outside' };
  if (normal === '.' || normal === '') return { ok: false, reason: 'empty' };
  return { ok: true, rel: normal };
}

/** File name part of a relative path, NFC-normalized (names compare by NFC: macOS writes NFD). */
export const entryFileName = (rel: string): string => path.posix.basename(rel).normalize('NFC');

/** `x.zip` → `x`; a name without extension stays whole (RomM's os.path.splitext on the base name). */
export function fileStem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
