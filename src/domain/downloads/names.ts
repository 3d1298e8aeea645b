import path from 'node:path';
import { badRequest } from '../../common/errors.ts';

/** Python `urllib.parse.quote(s)` (safe = "/"): UTF-8 percent-encoding of everything but `A-Za-z0-9_.-~/`. */
export function pyQuote(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~/]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RomM's `Content-Disposition`: RFC 5987 form plus a quoted fallback, both percent-encoded. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const q = pyQuote(name);
  return `${kind}; filename*=UTF-8''${q}; filename="${q}"`;
}

const HYPHENS = /[\\/:|]/g;
const REMOVED = /[*?"<>+]/g;

/** RomM's `sanitize_filename`: a bare name safe on common file systems; 400 when nothing is left. */
export function sanitizeFilename(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const clean = base.replace(HYPHENS, '-').replace(REMOVED, '').replaceAll('\0', '').trim();
  if (!clean || clean === '.' || clean === '..') throw badRequest('Filename cannot be empty after sanitization');
  return clean;
}

/** RomM's `parse_file_extension`: text after the last dot, lower-cased by callers. */
export const fileExtension = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
};

const IMAGE = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tiff', '.tif', '.bmp', '.avif']);
const VIDEO = new Set(['.mp4', '.webm', '.ogv', '.mov', '.m4v']);
const DOCUMENT = new Set(['.pdf', '.md']);

const MIME: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.tiff': 'image/tiff',
  '.tif': 'image/tiff', '.bmp': 'image/bmp', '.avif': 'image/avif', '.webp': 'image/webp',
  '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.webm': 'video/webm', '.ogv': 'video/ogg', '.mov': 'video/quicktime',
  '.pdf': 'application/pdf', '.md': 'text/markdown',
  '.mp3': 'audio/mpeg', '.flac': 'audio/flac', '.opus': 'audio/ogg', '.m4a': 'audio/mp4', '.oga': 'audio/ogg',
  '.ogg': 'audio/ogg', '.wav': 'audio/x-wav', '.aac': 'audio/aac', '.wma': 'audio/x-ms-wma', '.aiff': 'audio/x-aiff',
  '.aif': 'audio/x-aiff', '.mid': 'audio/midi', '.midi': 'audio/midi',
};

export interface MediaDisposition {
  contentType: string;
  disposition: 'attachment' | 'inline';
}

/** §6.2: type and disposition of one RomFile, chosen from the database record, never from the URL. */
export function mediaFor(fileName: string, category: string | null): MediaDisposition {
  const ext = path.extname(fileName).toLowerCase();
  const guess = MIME[ext] ?? 'application/octet-stream';
  if (category === 'soundtrack') return { contentType: guess, disposition: 'inline' };
  if (category === 'manual' && DOCUMENT.has(ext)) return { contentType: guess, disposition: 'inline' };
  if (IMAGE.has(ext) || VIDEO.has(ext)) return { contentType: guess, disposition: 'inline' };
  return { contentType: 'application/octet-stream', disposition: 'attachment' };
}

/** Comma-separated integers (`file_ids`, `rom_ids`); null when any item is not an integer. */
export function parseIdList(raw: string): number[] | null {
  const out: number[] = [];
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (!item) continue;
    if (!/^[+-]?\d+$/.test(item)) return null;
    const n = Number(item);
    if (!Number.isSafeInteger(n)) return null;
    out.push(n);
  }
  return out;
}

/** pydantic-style truthy strings used by `hidden_folder`. */
export const truthy = (raw: string | undefined): boolean => ['1', 'true', 'yes', 'on'].includes((raw ?? '').trim().toLowerCase());
