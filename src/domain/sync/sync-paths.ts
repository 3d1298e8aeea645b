import path from 'node:path';

/**
 * Names the sync folder takes from the file system (device folders, platform folders, file names) become paths and
 * database lookups: each must be one plain segment, never `.`/`..`, hidden (a leading dot: editors' and copy tools'
 * partial files), or carrying separators or control characters.
 */
// eslint-disable-next-line no-control-regex
const SEGMENT = /^[^./\\\u0000-\u001f\u007f][^/\\\u0000-\u001f\u007f]*$/u;
const MAX_NAME_BYTES = 255;

/** A device id as a folder name: server-made UUIDs in practice; letters, digits, `-`, `_`, `.` up to 255 characters. */
export function isSafeDeviceId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(id) && !id.includes('..');
}

/** A platform folder (`fs_slug`): letters, digits, spaces, `-`, `_`, `.`, `+`, not starting with a dot, up to 100. */
export function isSafePlatformSlug(slug: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,99}$/.test(slug) && !slug.includes('..') && slug.trim() === slug;
}

/** A file name from a device (a sync folder or a remote listing): one visible segment of at most 255 bytes. */
export function isSafeFileName(name: string): boolean {
  return SEGMENT.test(name) && name.trim() === name && Buffer.byteLength(name) <= MAX_NAME_BYTES;
}

export interface IncomingFile {
  deviceId: string;
  platformSlug: string;
  fileName: string;
  /** The absolute path, lexically inside the sync root. */
  fullPath: string;
}

/**
 * `<root>/<device_id>/incoming/<platform_fs_slug>/[<folders>/]<file>` (RomM takes files below the platform folder at
 * any depth, by their base name), or null for any other path or a name that fails the checks above.
 */
export function parseIncomingPath(root: string, fullPath: string): IncomingFile | null {
  const rel = path.relative(path.resolve(root), path.resolve(fullPath));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  if (parts.length < 4 || parts[1] !== 'incoming') return null;
  const [deviceId = '', , platformSlug = ''] = parts;
  const fileName = parts[parts.length - 1] ?? '';
  if (!isSafeDeviceId(deviceId) || !isSafePlatformSlug(platformSlug)) return null;
  if (!parts.slice(3).every(isSafeFileName)) return null;
  return { deviceId, platformSlug, fileName, fullPath: path.resolve(fullPath) };
}

/** `<root>/<device_id>/<kind>/<platform_fs_slug>`, for names that passed the checks above. */
export function deviceFolder(root: string, deviceId: string, kind: 'incoming' | 'outgoing' | 'conflicts', platformSlug?: string): string {
  if (!isSafeDeviceId(deviceId)) throw new Error(`Invalid device id ${JSON.stringify(deviceId)}`);
  if (platformSlug !== undefined && !isSafePlatformSlug(platformSlug)) throw new Error(`Invalid platform folder ${JSON.stringify(platformSlug)}`);
  return path.join(path.resolve(root), deviceId, kind, ...(platformSlug === undefined ? [] : [platformSlug]));
}
