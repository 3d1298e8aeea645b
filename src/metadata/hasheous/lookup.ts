/**
 * One Hasheous lookup of a ROM, shared by every provider answering from it (Hasheous itself, and IGDB,
 * RetroAchievements and TheGamesDB ids through it): the hash match, then, when the match maps to an IGDB game and a
 * client API key is set, that game through Hasheous's IGDB proxy. The answers of the last ROMs are kept in a small
 * memo (per pass, keyed by ROM id and hashes), so the providers of one ROM share one pair of requests; rejected
 * lookups are shared too, so an unreachable Hasheous fails every one of them alike.
 *
 * API:
 *   new HasheousLookup({ http, clientApiKey, memoSize? })
 *   find(rom) → HasheousGame | null     (null: no hashes, or Hasheous knows none of them)
 *   health() → boolean                  (RomM's heartbeat: GET /HealthCheck, uncached)
 *   reset()                              (start of a pass: the HTTP client's breaker and counters, the memo)
 */
import type { ProviderHttp } from '../online/provider-http.ts';
import type { MetadataRom } from '../types.ts';
import { parseHashMatch, type HashMatch } from './hash-match.ts';
import { IGDB_EXPAND_COLUMNS, parseIgdbGame, type IgdbGame } from './igdb-game.ts';

export interface HasheousGame {
  match: HashMatch;
  /** The IGDB game through the proxy; null without a client key, an IGDB id, or a proxy answer. */
  igdb: IgdbGame | null;
}

export interface HasheousLookupOptions {
  http: ProviderHttp;
  /** `X-Client-API-Key`: Hasheous's metadata proxy answers only registered applications. */
  clientApiKey: string | null;
  /** ROMs whose answers are kept (the pass looks a ROM up in every provider before moving on). */
  memoSize?: number;
}

/** The ROM's hashes as Hasheous takes them (`mD5`, `shA1`, `crc`: lower-case hex), or null when it has none. */
export function hashBody(rom: Pick<MetadataRom, 'md5' | 'sha1' | 'crc'>): Record<string, string> | null {
  const body: Record<string, string> = {};
  const md5 = rom.md5?.trim().toLowerCase();
  const sha1 = rom.sha1?.trim().toLowerCase();
  const crc = rom.crc?.trim().toLowerCase();
  if (md5 && /^[0-9a-f]{32}$/.test(md5)) body.mD5 = md5;
  if (sha1 && /^[0-9a-f]{40}$/.test(sha1)) body.shA1 = sha1;
  if (crc && /^[0-9a-f]{1,8}$/.test(crc)) body.crc = crc.padStart(8, '0');
  return Object.keys(body).length > 0 ? body : null;
}

export class HasheousLookup {
  private readonly http: ProviderHttp;
  private readonly clientApiKey: string | null;
  private readonly memoSize: number;
  private readonly memo = new Map<string, Promise<HasheousGame | null>>();

  constructor(opts: HasheousLookupOptions) {
    this.http = opts.http;
    this.clientApiKey = opts.clientApiKey;
    this.memoSize = Math.max(1, opts.memoSize ?? 256);
  }

  /** Whether answers include IGDB data through the proxy. */
  get proxies(): boolean {
    return this.clientApiKey !== null;
  }

  reset(): void {
    this.http.reset();
    this.memo.clear();
  }

  find(rom: MetadataRom): Promise<HasheousGame | null> {
    const hashes = hashBody(rom);
    if (!hashes) return Promise.resolve(null);
    const key = `${rom.id}:${hashes.mD5 ?? ''}:${hashes.shA1 ?? ''}:${hashes.crc ?? ''}`;
    let answer = this.memo.get(key);
    if (!answer) {
      answer = this.fetch(hashes);
      // Consumers await it; this keeps a rejection nobody has awaited yet from being reported as unhandled.
      answer.catch(() => undefined);
      this.memo.set(key, answer);
      while (this.memo.size > this.memoSize) this.memo.delete(this.memo.keys().next().value as string);
    }
    return answer;
  }

  async health(): Promise<boolean> {
    try {
      const res = await this.http.request<unknown>({ path: '/HealthCheck', cache: false, text: true, headers: this.headers() });
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  private headers(): Record<string, string> {
    return this.clientApiKey ? { 'x-client-api-key': this.clientApiKey } : {};
  }

  private async fetch(hashes: Record<string, string>): Promise<HasheousGame | null> {
    const res = await this.http.request<unknown>({
      method: 'POST',
      path: '/Lookup/ByHash',
      query: { returnAllSources: 'true', returnFields: 'Signatures, Metadata, Attributes' },
      headers: { 'content-type': 'application/json-patch+json', ...this.headers() },
      // RomM sends one entry per top-level file; a ROM's own hashes are its one entry here.
      body: JSON.stringify([hashes]),
    });
    const match = parseHashMatch(res.body);
    if (!match) return null;
    return { match, igdb: await this.igdbGame(match.igdbId) };
  }

  private async igdbGame(igdbId: number | null): Promise<IgdbGame | null> {
    if (igdbId === null || !this.clientApiKey) return null;
    const res = await this.http.request<unknown>({
      path: '/MetadataProxy/IGDB/Game',
      query: { Id: igdbId, expandColumns: IGDB_EXPAND_COLUMNS },
      headers: this.headers(),
    });
    return res.body === null ? null : parseIgdbGame(res.body, igdbId);
  }
}
