/**
 * Text for XML 1.0 files: characters XML cannot carry (C0 controls other than tab and newline, DEL-range C1
 * controls, lone surrogates, U+FFFE/U+FFFF) are dropped, line ends become `\n`, and markup characters are escaped.
 */
export function cleanText(value: string): string {
  let out = '';
  const s = value.replace(/\r\n?/g, '\n');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + (s[i + 1] ?? '');
        i++;
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f) || c === 0xfffe || c === 0xffff) continue;
    out += s[i];
  }
  return out;
}

/** Element content. */
export const xmlText = (value: string): string =>
  cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Attribute value (double-quoted). */
export const xmlAttr = (value: string): string =>
  xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
