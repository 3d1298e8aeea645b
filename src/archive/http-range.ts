/**
 * HTTP byte ranges and validators (RFC 9110 §13-14) for one representation of known length.
 * Only single ranges are served; a multi-range request gets the whole body, which the RFC allows.
 */

export type RangeResult =
  | { kind: 'full' }
  /** Bytes [start, end) (end exclusive). */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/i;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = SINGLE.exec(header.trim().replace(/\s+/g, ''));
  if (!m) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return { kind: 'full' };
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size };
  }
  const start = Number(first);
  const stop = last === '' ? size - 1 : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(stop)) return { kind: 'full' };
  if (last !== '' && stop < start) return { kind: 'full' }; // syntactically invalid: ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(stop, size - 1) + 1 };
}

export interface Validators {
  etag: string;
  /** HTTP-date of the last modification. */
  lastModified: string;
}

type HeaderValue = string | string[] | undefined;
const one = (v: HeaderValue): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/** If-None-Match uses weak comparison: `W/"x"` matches `"x"`. */
export function notModified(ifNoneMatch: HeaderValue, v: Validators): boolean {
  const header = one(ifNoneMatch)?.trim();
  if (!header) return false;
  if (header === '*') return true;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => strip(tag) === strip(v.etag));
}

/** If-Range: the range is honoured only when the validator still matches (strong comparison). */
export function rangeStillValid(ifRange: HeaderValue, v: Validators): boolean {
  const header = one(ifRange)?.trim();
  if (!header) return true;
  if (header.startsWith('W/')) return false;
  if (header.startsWith('"')) return header === v.etag;
  return header === v.lastModified;
}

export const httpDate = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toUTCString();
