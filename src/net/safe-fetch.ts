/**
 * Server-side fetch of a user-supplied URL (cover URLs and the like) that cannot be turned against the server.
 *
 * API:
 *   safeFetch(url, options?) → Promise<{ body: Buffer, contentType: string | null, finalUrl: string }>
 *   throws SafeFetchError (with a user-facing `message`) for every refusal or failure.
 *   options: maxBytes (default 10 MiB), timeoutMs (whole request incl. redirects, default 10 s),
 *            maxRedirects (default 3), resolve (hostname → addresses, default dns.lookup),
 *            isAllowedAddress (default ip-policy's isPublicAddress; tests may widen it).
 *
 * Guarantees: only http/https; no credentials in the URL; every address a hostname resolves to must be public,
 * and the address is checked again on the connected socket, so DNS rebinding (a second answer between check and
 * connect) cannot reach a private address; each redirect is re-validated from scratch; the body is counted
 * while streaming and the request aborted past the limit; no Accept-Encoding, so no decompression bombs.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { blockedReason, isPublicAddress } from './ip-policy.ts';

export class SafeFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  resolve?: Resolver;
  isAllowedAddress?: (ip: string) => boolean;
  /** Sent as User-Agent. */
  userAgent?: string;
}

export interface SafeFetchResult {
  body: Buffer;
  contentType: string | null;
  finalUrl: string;
}

const defaultResolve: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Parses and vets a URL before any network activity. */
export function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SafeFetchError(`Invalid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SafeFetchError('Only http and https URLs are allowed');
  if (url.username || url.password) throw new SafeFetchError('URLs with credentials are not allowed');
  if (!url.hostname) throw new SafeFetchError('URL has no host');
  return url;
}

export async function safeFetch(rawUrl: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const maxRedirects = options.maxRedirects ?? 3;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let url = checkUrl(rawUrl);
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(url, options, deadline);
    if (response.redirect === undefined) return { ...response.result, finalUrl: url.toString() };
    if (hop >= maxRedirects) throw new SafeFetchError(`Too many redirects (max ${maxRedirects})`);
    url = checkUrl(new URL(response.redirect, url).toString());
  }
}

type Outcome = { redirect: string; result?: undefined } | { redirect?: undefined; result: Omit<SafeFetchResult, 'finalUrl'> };

function requestOnce(url: URL, options: SafeFetchOptions, deadline: number): Promise<Outcome> {
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  const resolve = options.resolve ?? defaultResolve;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const host = url.hostname.replace(/^\[|\]$/g, '');

  const refuse = (ip: string) => new SafeFetchError(`URL resolves to a disallowed address (${ip}: ${blockedReason(ip) ?? 'not allowed'})`);

  // Every answer must be allowed; the socket connects to exactly the address returned here.
  const lookup: LookupFunction = (hostname, opts, callback) => {
    resolve(hostname).then((addresses) => {
      if (addresses.length === 0) throw new SafeFetchError(`Could not resolve ${hostname}`);
      for (const a of addresses) if (!allowed(a.address)) throw refuse(a.address);
      const first = addresses[0]!;
      if (opts.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    }).catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), ''));
  };

  return new Promise<Outcome>((resolvePromise, reject) => {
    if (isIP(host) && !allowed(host)) return reject(refuse(host));
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new SafeFetchError('Timed out fetching URL'));

    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      method: 'GET',
      lookup,
      agent: false,
      headers: { 'user-agent': options.userAgent ?? 'romshelf', accept: 'image/*,*/*;q=0.5', 'accept-encoding': 'identity' },
    });
    const timer = setTimeout(() => req.destroy(new SafeFetchError('Timed out fetching URL')), remaining);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      reject(err instanceof SafeFetchError ? err : new SafeFetchError(`Could not fetch URL: ${(err as Error).message}`));
    };

    // Second line of defence: whatever the lookup said, never talk to a disallowed peer.
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const peer = socket.remoteAddress;
        if (!peer || !allowed(peer)) req.destroy(refuse(peer ?? 'unknown'));
      });
    });
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        clearTimeout(timer);
        res.resume();
        req.destroy();
        return resolvePromise({ redirect: res.headers.location });
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return fail(new SafeFetchError(`URL answered HTTP ${status}`));
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        req.destroy();
        return fail(new SafeFetchError(`Remote file is too large (max ${maxBytes} bytes)`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new SafeFetchError(`Remote file is too large (max ${maxBytes} bytes)`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        if (size > maxBytes) return;
        const type = res.headers['content-type'];
        resolvePromise({ result: { body: Buffer.concat(chunks), contentType: typeof type === 'string' ? type : null } });
      });
    });
    req.end();
  });
}
