/** Content checks for the media that are copied rather than re-encoded: manuals (PDF) and videos. */

const ascii = (b: Uint8Array, at: number, s: string) => b.length >= at + s.length && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

export const isPdf = (head: Uint8Array): boolean => ascii(head, 0, '%PDF-');

export type VideoExt = 'mp4' | 'webm' | 'mkv';

/** MP4 (an ISO-BMFF `ftyp` box first) or Matroska/WebM (EBML header, DocType read from it); null otherwise. */
export function sniffVideo(head: Uint8Array): VideoExt | null {
  if (ascii(head, 4, 'ftyp')) return 'mp4';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    // DocType element (0x42 0x82) inside the EBML header names "webm" or "matroska".
    for (let i = 4; i + 2 < Math.min(head.length, 64); i++) {
      if (head[i] === 0x42 && head[i + 1] === 0x82) {
        const size = (head[i + 2] ?? 0) & 0x7f;
        const type = Buffer.from(head.subarray(i + 3, i + 3 + size)).toString('latin1');
        if (type === 'webm') return 'webm';
        if (type === 'matroska') return 'mkv';
        return null;
      }
    }
  }
  return null;
}
