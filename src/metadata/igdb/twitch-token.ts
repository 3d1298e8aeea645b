/**
 * The Twitch app access token IGDB requires (OAuth client credentials grant): fetched on first use, kept in memory
 * only, renewed a minute before it expires and once when IGDB answers 401. Token calls are never cached, and the
 * secret travels in the form body, never in a URL or a message.
 */
import { ProviderError, ProviderHttp } from '../online/provider-http.ts';

export interface TwitchTokenOptions {
  /** IGDB_TOKEN_URL (default Twitch's `https://id.twitch.tv/oauth2/token`). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  /** Injected in tests. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Renew this long before Twitch says the token expires. */
const EARLY_RENEWAL_MS = 60_000;

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
}

export class TwitchToken {
  private readonly http: ProviderHttp;
  private readonly path: string;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Refused credentials, remembered for the rest of the pass so every ROM does not ask again. */
  private refused: ProviderError | null = null;
  /** How many tokens were fetched (for tests and the bench). */
  fetched = 0;

  constructor(private readonly opts: TwitchTokenOptions) {
    const url = new URL(opts.tokenUrl);
    this.path = `${url.pathname}${url.search}`;
    this.now = opts.now ?? Date.now;
    this.http = new ProviderHttp({
      provider: 'igdb', baseUrl: url.origin, timeoutMs: opts.timeoutMs ?? 10_000, retries: 2, cache: null,
      ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}), now: this.now,
    });
  }

  /** A valid token, fetched or renewed when missing or about to expire. */
  async get(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - EARLY_RENEWAL_MS) return this.token.value;
    return this.renew();
  }

  /** A new token whatever the current one's age (after a 401). Concurrent callers share one request. */
  renew(): Promise<string> {
    this.token = null;
    this.pending ??= this.fetchToken().finally(() => { this.pending = null; });
    return this.pending;
  }

  /** Start of a pass: credentials may have been fixed, the breaker closes. The token itself is kept. */
  reset(): void {
    this.refused = null;
    this.http.reset();
  }

  private async fetchToken(): Promise<string> {
    if (this.refused) throw this.refused;
    const form = new URLSearchParams({ client_id: this.opts.clientId, client_secret: this.opts.clientSecret, grant_type: 'client_credentials' });
    let answer: TokenAnswer | null;
    try {
      ({ body: answer } = await this.http.request<TokenAnswer>({
        method: 'POST', path: this.path, body: form.toString(), cache: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }));
    } catch (err) {
      // Twitch answers 400 to an unknown client id or a wrong secret.
      if (err instanceof ProviderError && (err.kind === 'auth' || err.status === 400)) {
        this.refused = new ProviderError('igdb', 'auth', 'Twitch refused IGDB_CLIENT_ID / IGDB_CLIENT_SECRET', err.status);
        throw this.refused;
      }
      throw err;
    }
    const value = typeof answer?.access_token === 'string' ? answer.access_token.trim() : '';
    const expiresIn = typeof answer?.expires_in === 'number' && Number.isFinite(answer.expires_in) ? answer.expires_in : 0;
    if (!value || expiresIn <= 0) throw new ProviderError('igdb', 'malformed', 'the token answer has no access_token or expires_in');
    this.fetched++;
    this.token = { value, expiresAt: this.now() + expiresIn * 1000 };
    return value;
  }
}
