/**
 * Playmatch (`PLAYMATCH_API_ENABLED`, `PLAYMATCH_API_URL`): a public index from a file's hashes, name and size to the
 * game's ids at other providers. It gives no metadata of its own: RomM's scan asks it once per ROM and hands the
 * IGDB, MobyGames, ScreenScraper, LaunchBox and SteamGridDB ids it returns to those providers, which then fetch the
 * game by id instead of searching by name. `PlaymatchClient.identify` is that call, for any provider to use; it is
 * best effort like RomM's (a failure answers "no ids"), paced at Playmatch's 4 requests per second, cached, and
 * shared within a pass so several providers asking about one file cost one request.
 */
import type { MetadataCacheRepository } from '../../db/repositories/metadata-cache-repository.ts';
import { ProviderHttp } from '../online/provider-http.ts';
import type { ProviderIdColumn } from '../types.ts';

/** The file a ROM is identified by (see `selectLookupFile`) and its lookup hashes. */
export interface PlaymatchFile {
  fileName: string;
  fileSize: number;
  md5?: string | null;
  sha1?: string | null;
  crc?: string | null;
}

/** The id columns RomM's scan takes from a Playmatch answer. */
export const PLAYMATCH_ID_COLUMNS = ['igdb_id', 'moby_id', 'ss_id', 'launchbox_id', 'sgdb_id'] as const satisfies readonly ProviderIdColumn[];
export type PlaymatchIdColumn = (typeof PLAYMATCH_ID_COLUMNS)[number];
export type PlaymatchIds = Partial<Record<PlaymatchIdColumn, number>>;

/** Playmatch's provider names (upper-cased) → RomM's id columns. */
const PROVIDER_COLUMN: Readonly<Record<string, PlaymatchIdColumn>> = {
  IGDB: 'igdb_id', MOBYGAMES: 'moby_id', SCREENSCRAPER: 'ss_id', LAUNCHBOX: 'launchbox_id', STEAMGRIDDB: 'sgdb_id',
};

const SHARED_ANSWERS = 256;

export interface PlaymatchClientOptions {
  enabled: boolean;
  url: string;
  timeoutMs?: number;
  cache?: MetadataCacheRepository | null;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * RomM's choice of the file a ROM is identified by: the largest non-empty top-level file, ties broken by path (so a
 * two-disc set resolves to disc 1 on every machine). Null when there is none.
 */
export function selectLookupFile<F extends { path: string; size: number; topLevel: boolean }>(files: readonly F[]): F | null {
  let best: F | null = null;
  for (const f of files) {
    if (f.size <= 0 || !f.topLevel) continue;
    if (!best || f.size > best.size || (f.size === best.size && f.path < best.path)) best = f;
  }
  return best;
}

export class PlaymatchClient {
  readonly enabled: boolean;
  readonly http: ProviderHttp;
  private readonly pending = new Map<string, Promise<PlaymatchIds>>();

  constructor(opts: PlaymatchClientOptions) {
    this.enabled = opts.enabled;
    this.http = new ProviderHttp({
      provider: 'playmatch', baseUrl: opts.url, perSecond: 4, maxConcurrent: 4, retries: 1, cache: opts.cache ?? null,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
  }

  /** At the start of a pass: the breaker and the shared answers. */
  reset(): void {
    this.http.reset();
    this.pending.clear();
  }

  /** `GET /health` answers 2xx (a plain-text body). */
  async health(): Promise<boolean> {
    if (!this.enabled) return false;
    try {
      await this.http.request({ path: '/health', text: true, cache: false });
      return true;
    } catch {
      return false;
    }
  }

  /** The provider ids Playmatch knows for the file; `{}` when disabled, unknown, or on any failure. */
  identify(file: PlaymatchFile): Promise<PlaymatchIds> {
    if (!this.enabled || !file.fileName || !(file.fileSize > 0)) return Promise.resolve({});
    const query = {
      fileName: file.fileName, fileSize: file.fileSize,
      md5: file.md5 || null, sha1: file.sha1 || null, crc: file.crc || null,
    };
    const key = JSON.stringify(query);
    let answer = this.pending.get(key);
    if (!answer) {
      answer = this.http.request<unknown>({ path: '/identify/ids', query }).then((r) => parseIds(r.body), () => ({}));
      this.pending.set(key, answer);
      // Only the ROMs in flight need sharing; older answers come from the persistent cache.
      if (this.pending.size > SHARED_ANSWERS) this.pending.delete(this.pending.keys().next().value ?? key);
    }
    return answer;
  }
}

/** The ids of an answer: `externalMetadata[]` entries with a known provider and a whole-number id. */
export function parseIds(body: unknown): PlaymatchIds {
  if (typeof body !== 'object' || body === null) return {};
  const { gameMatchType, externalMetadata } = body as { gameMatchType?: unknown; externalMetadata?: unknown };
  if (gameMatchType === 'NoMatch' || !Array.isArray(externalMetadata)) return {};
  const ids: PlaymatchIds = {};
  for (const m of externalMetadata as unknown[]) {
    if (typeof m !== 'object' || m === null) continue;
    const { providerName, providerId } = m as { providerName?: unknown; providerId?: unknown };
    if (typeof providerName !== 'string') continue;
    const column = PROVIDER_COLUMN[providerName.toUpperCase()];
    const raw = typeof providerId === 'number' ? String(providerId) : typeof providerId === 'string' ? providerId.trim() : '';
    if (!column || !/^\d{1,15}$/.test(raw)) continue;
    const id = Number(raw);
    if (id > 0) ids[column] = id;
  }
  return ids;
}
