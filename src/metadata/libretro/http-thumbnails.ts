/**
 * libretro thumbnails on a server laid out like thumbnails.libretro.com (`LIBRETRO_THUMBNAILS_URL`): as RomM does,
 * each art folder's directory listing is read once (`<root>/<system>/<Named_Boxarts|…>/`) and the ROM is matched
 * against those names; no request per ROM. Listings go through ProviderHttp, so they are paced, retried and kept in
 * the persistent answer cache (RomM keeps them a day, missing folders an hour): a rerun costs no call.
 *
 * Differences from RomM: the listing is asked for with `?F=0` (Apache's plain list) rather than `?F=2` (the HTML
 * table): the same links for a third of the bytes, which matters for folders of 40,000 names that are cached.
 */
import { ProviderError, type ProviderHttp } from '../online/provider-http.ts';
import { parseAutoindex } from './autoindex.ts';

/** An art folder of a libretro system (RomM's LibretroArtType). */
export type LibretroArtFolder = 'Named_Boxarts' | 'Named_Snaps' | 'Named_Titles';

/** Python's urllib.parse.quote: UTF-8 percent-encoding of everything but letters, digits, `_.-~` and `safe`. */
export function pyQuote(s: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~]/.test(c) || (byte < 0x80 && safe.includes(c)) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An art file's URL under `root`, encoded as RomM's build_art_url encodes it. */
export const artUrlUnder = (root: string, system: string, folder: LibretroArtFolder, fileName: string): string =>
  `${root.replace(/\/+$/, '')}/${pyQuote(`${system}/${folder}`, '/')}/${pyQuote(fileName, '')}`;

export class LibretroHttpThumbnails {
  /** The server root, without a trailing slash. */
  readonly root: string;

  /** `http` reads listings (cached); `healthHttp` (default: the same) answers the heartbeat. */
  constructor(private readonly http: ProviderHttp, root: string, private readonly healthHttp: ProviderHttp = http) {
    this.root = root.replace(/\/+$/, '');
  }

  /** The folder's image names; null when the server has no such folder (404). ProviderError when it fails. */
  async listing(system: string, folder: LibretroArtFolder): Promise<string[] | null> {
    const res = await this.http.request<string>({ path: `/${pyQuote(`${system}/${folder}`, '/')}/`, query: { F: 0 }, text: true });
    if (res.status === 404 || res.body === null) return null;
    return parseAutoindex(res.body);
  }

  /** Where the media store downloads an art file from: this server, never a fixed host. */
  artUrl(system: string, folder: LibretroArtFolder, fileName: string): string {
    return artUrlUnder(this.root, system, folder, fileName);
  }

  /** RomM's heartbeat: a HEAD of the root answered below 500 (uncached). Never throws. */
  async head(): Promise<boolean> {
    // Each check stands alone: an earlier failure must not answer for this one.
    if (this.healthHttp !== this.http) this.healthHttp.reset();
    try {
      const res = await this.healthHttp.request({ method: 'HEAD', path: '/', text: true, cache: false });
      return res.status < 500;
    } catch (err) {
      // A refusal (401/403) or a 4xx is still an answer from the server.
      return err instanceof ProviderError && err.status !== undefined && err.status < 500;
    }
  }

  reset(): void {
    this.http.reset();
    this.healthHttp.reset();
  }
}
