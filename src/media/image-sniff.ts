/**
 * Image type detection by content (magic bytes), never by file name or declared MIME type.
 *
 * API:
 *   sniffImage(bytes) → 'png' | 'jpeg' | 'webp' | 'gif' | null     one of the four accepted raster formats
 *   describeContent(bytes) → string                                  a MIME-like label for error messages
 *   IMAGE_MIME[kind]                                                 the Content-Type to serve each kind with
 *
 * Only the four formats are ever accepted: SVG, HTML and other text formats can carry script, so a polyglot
 * that merely starts with an image signature is also re-encoded by cover-images.ts before it is stored.
 */

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif';

export const IMAGE_MIME: Record<ImageKind, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

export const IMAGE_EXT: Record<ImageKind, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' };

const startsWith = (b: Uint8Array, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return null;
}

/** What libmagic would roughly call the content; only used to explain a refusal. */
export function describeContent(bytes: Uint8Array): string {
  const kind = sniffImage(bytes);
  if (kind) return IMAGE_MIME[kind];
  if (bytes.length === 0) return 'application/x-empty';
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('%pdf')) return 'application/pdf';
  if (/^<svg[\s>]/.test(head) || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  if (/^<(!doctype html|html|head|body|script|iframe)[\s>]/.test(head)) return 'text/html';
  if (head.startsWith('<?xml')) return 'text/xml';
  if (startsWith(bytes, [0x42, 0x4d])) return 'image/bmp';
  if (startsWith(bytes, ascii('II*\0')) || startsWith(bytes, ascii('MM\0*'))) return 'image/tiff';
  if (startsWith(bytes, ascii('ftyp'), 4)) return 'image/heif';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  const sample = bytes.subarray(0, 1024);
  const printable = sample.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127));
  return printable ? 'text/plain' : 'application/octet-stream';
}
