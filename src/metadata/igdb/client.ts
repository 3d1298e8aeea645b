/**
 * IGDB's API (v4): Apicalypse bodies POSTed to an endpoint with the Client-ID and the app token. Paced at IGDB's
 * limit (4 requests per second, at most 8 in flight) by ProviderHttp, whose persistent cache keys on method, URL and
 * body, never on the token, so a rerun of the same queries costs no call.
 */
import { ProviderError, type ProviderHttp } from '../online/provider-http.ts';
import type { TwitchToken } from './twitch-token.ts';

/** IGDB's published limits. */
export const IGDB_REQUESTS_PER_SECOND = 4;
export const IGDB_MAX_IN_FLIGHT = 8;

export type IgdbEndpoint = 'games' | 'search';

export class IgdbClient {
  constructor(private readonly http: ProviderHttp, private readonly token: TwitchToken, private readonly clientId: string) {}

  /** The endpoint's rows (an empty list when IGDB has none). */
  async query<T extends object>(endpoint: IgdbEndpoint, body: string, opts: { cache?: boolean } = {}): Promise<T[]> {
    const res = await this.http.request<unknown>({
      method: 'POST', path: `/${endpoint}`, body, headers: { 'content-type': 'text/plain' }, ...(opts.cache === false ? { cache: false } : {}),
      // The token is asked for only when a call goes out: a rerun answered from the cache fetches none.
      auth: { headers: async () => this.headers(await this.token.get()), renew: async () => this.headers(await this.token.renew()) },
    });
    if (res.body === null) return [];
    if (!Array.isArray(res.body)) throw new ProviderError('igdb', 'malformed', `/${endpoint} did not answer a list`);
    return res.body.filter((r): r is T => !!r && typeof r === 'object' && !Array.isArray(r));
  }

  /** Records `rows` as the answer of this query (see ProviderHttp.prime). */
  prime(endpoint: IgdbEndpoint, body: string, rows: object[]): Promise<void> {
    return this.http.prime({ method: 'POST', path: `/${endpoint}`, body }, rows);
  }

  reset(): void {
    this.http.reset();
    this.token.reset();
  }

  private headers(token: string): Record<string, string> {
    return { 'client-id': this.clientId, authorization: `Bearer ${token}` };
  }
}
