import type { Catalogue } from './catalogue.ts';
import { pngFor } from './png.ts';
import { startFakeServer, tokenBucket, type FakeAnswer, type FakeRequest, type FakeServer } from './server.ts';

/**
 * Fake thumbnails.libretro.com (LIBRETRO_THUMBNAILS_URL=<url>): Apache autoindex pages at `/`, `/<System>/` and
 * `/<System>/<Named_Boxarts|Named_Snaps|Named_Titles>/` (any `?C=…;O=…`/`?F=2` query gives the same table), a
 * small PNG per listed file, Apache's 404 page otherwise, and a 301 to the slash-ended URL for a folder asked
 * without one. libretro publishes no rate limit; this fake enforces an assumed one (default 10 requests/s, a token
 * bucket) so a client that hammers a volunteer-run server shows up as 429s.
 */

export interface FakeLibretroOptions {
  catalogue: Catalogue;
  seed: number;
  perSecond?: number;
  latencyMs?: [number, number];
}

// Apache's ap_escape_path: everything but these is %-encoded (UTF-8 bytes).
const PATH_SAFE = /[A-Za-z0-9$\-_.+!*'(),:@&=/~]/;
export function apacheEscapePath(s: string): string {
  let out = '';
  for (const ch of s) {
    if (PATH_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An Apache 2.4 fancy index (`IndexOptions FancyIndexing HTMLTable`), as thumbnails.libretro.com serves. */
export function autoindex(dirPath: string, entries: { name: string; dir: boolean; size?: string }[]): string {
  const title = `Index of ${html(dirPath)}`;
  const rows = entries.map((e) => {
    const href = html(apacheEscapePath(e.name) + (e.dir ? '/' : ''));
    const icon = e.dir ? '<img src="/icons/folder.gif" alt="[DIR]">' : '<img src="/icons/image2.gif" alt="[IMG]">';
    return `<tr><td valign="top">${icon}</td><td><a href="${href}">${html(e.name)}${e.dir ? '/' : ''}</a></td><td align="right">2023-06-01 12:00  </td><td align="right">${e.dir ? '  - ' : e.size ?? ' 40K'}</td><td>&nbsp;</td></tr>`;
  });
  const parent = dirPath === '/' ? '' : `<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="${html(apacheEscapePath(dirPath.replace(/[^/]+\/$/, '')))}">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>\n`;
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html>
 <head>
  <title>${title}</title>
 </head>
 <body>
<h1>${title}</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
${parent}${rows.join('\n')}
   <tr><th colspan="5"><hr></th></tr>
</table>
</body></html>
`;
}

const NOT_FOUND = (path: string): FakeAnswer => ({
  status: 404,
  raw: `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL ${html(apacheEscapePath(path))} was not found on this server.</p>\n</body></html>\n`,
  headers: { 'content-type': 'text/html; charset=iso-8859-1' },
});

export async function startFakeLibretro(opts: FakeLibretroOptions): Promise<FakeServer> {
  const systems = opts.catalogue.libretro;
  const page = (dirPath: string, entries: { name: string; dir: boolean }[]): FakeAnswer =>
    ({ raw: autoindex(dirPath, entries), headers: { 'content-type': 'text/html;charset=UTF-8' } });
  const route = (req: FakeRequest): { endpoint: string; answer: FakeAnswer } => {
    const slash = req.path.endsWith('/');
    const parts = req.path.split('/').filter(Boolean);
    if (parts.length === 0) return { endpoint: 'root', answer: page('/', [...systems.keys()].sort().map((name) => ({ name, dir: true }))) };
    const [system, folder, file, ...rest] = parts as [string, string?, string?, ...string[]];
    const folders = systems.get(system);
    if (!folders || rest.length > 0) return { endpoint: parts.length >= 3 ? 'image' : 'listing', answer: NOT_FOUND(req.path) };
    const redirect = (): FakeAnswer => ({ status: 301, raw: '', headers: { location: `${apacheEscapePath(req.path)}/` } });
    if (folder === undefined) {
      return { endpoint: 'system index', answer: slash ? page(`/${system}/`, [...folders.keys()].sort().map((name) => ({ name, dir: true }))) : redirect() };
    }
    const names = folders.get(folder);
    if (file === undefined) {
      if (!names) return { endpoint: 'listing', answer: NOT_FOUND(req.path) };
      return { endpoint: 'listing', answer: slash ? page(`/${system}/${folder}/`, names.map((name) => ({ name, dir: false }))) : redirect() };
    }
    // A listing is sorted: binary search keeps a 100,000-ROM run cheap.
    if (!names || !sortedHas(names, file)) return { endpoint: 'image', answer: NOT_FOUND(req.path) };
    return { endpoint: 'image', answer: { raw: pngFor(`${system}/${folder}/${file}`), headers: { 'content-type': 'image/png' } } };
  };
  return startFakeServer({
    name: 'libretro', seed: opts.seed, latencyMs: opts.latencyMs,
    limits: [tokenBucket(opts.perSecond ?? 10)],
    tooManyBody: { raw: '<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>', headers: { 'content-type': 'text/html' } },
    route,
  });
}

function sortedHas(list: string[], name: string): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid] as string;
    if (v === name) return true;
    if (v < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
