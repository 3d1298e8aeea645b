/** Python `datetime.isoformat()` of an aware UTC datetime: `+00:00`, microseconds only when non-zero. */
export function isoFromMs(ms: number): string {
  const d = new Date(ms);
  const base = d.toISOString().slice(0, 19);
  const millis = d.getUTCMilliseconds();
  return `${base}${millis ? `.${String(millis * 1000).padStart(6, '0')}` : ''}+00:00`;
}

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms == null ? null : isoFromMs(ms);
}

/** Python `str(datetime)` (a space instead of `T`), used by RomM as the `ts` cache-buster of asset URLs. */
export function pyStrFromMs(ms: number): string {
  return isoFromMs(ms).replace('T', ' ');
}

export const nowMs = (): number => Date.now();
