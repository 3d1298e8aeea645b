/**
 * The file names of an Apache autoindex page (thumbnails.libretro.com serves its art folders this way), read as
 * RomM's listing parser reads them: the `href` of each `<a>` tag, sort/parent/query links skipped, percent-decoded,
 * image files only. Names that could leave the folder once joined to a URL (a slash, a backslash, `..`, control
 * characters) are dropped too: a listing is an answer from the network, not trusted.
 */

const ANCHOR_RE = /<a\b([^>]*)>/gi;
const HREF_RE = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const IMAGE_RE = /\.(png|jpe?g|webp)$/i;
// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[/\\\u0000-\u001f\u007f]/;
const MAX_NAME_BYTES = 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** HTML character references in an attribute value (`&amp;`, `&#39;`, `&#x27;`). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Python's urllib.parse.unquote: `%XX` sequences as UTF-8 bytes, malformed ones kept as written. */
export function pyUnquote(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const hex = s.slice(i + 1, i + 3);
    if (c === '%' && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The image file names an autoindex page links to, in page order, without duplicates. */
export function parseAutoindex(html: string): string[] {
  const names = new Set<string>();
  for (const tag of html.matchAll(ANCHOR_RE)) {
    const m = HREF_RE.exec(tag[1] ?? '');
    const raw = decodeEntities(m?.[1] ?? m?.[2] ?? m?.[3] ?? '');
    if (!raw || raw.startsWith('?') || raw.startsWith('/') || raw.startsWith('#') || raw.includes('..')) continue;
    const name = pyUnquote(raw);
    if (!IMAGE_RE.test(name) || UNSAFE_RE.test(name) || name.includes('..') || Buffer.byteLength(name) > MAX_NAME_BYTES) continue;
    names.add(name);
  }
  return [...names];
}
