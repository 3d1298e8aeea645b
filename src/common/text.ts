/** Strings from a request as data: NUL is dropped (PostgreSQL rejects it in text) and length bounded. */
export function cleanText(s: string, max = 1000): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000/g, '').slice(0, max);
}
