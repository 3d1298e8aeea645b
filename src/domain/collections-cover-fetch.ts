import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { badRequest } from './errors.ts';

/**
 * Fetches a cover URL without letting a user reach the server's own network (RomM had an SSRF through cover URLs):
 * http(s) only, every resolved address checked against private, loopback, link-local and reserved ranges, the
 * socket pinned to the checked address (no DNS rebinding), redirects re-checked, size and time bounded.
 */

// Separate lists: Node checks IPv4 addresses against IPv4-mapped IPv6 rules too, which would block everything.
const BLOCKED4 = new net.BlockList();
const BLOCKED6 = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED4.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) BLOCKED6.addSubnet(addr, prefix, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  if (net.isIPv4(address)) return BLOCKED4.check(address, 'ipv4');
  // IPv4-mapped and NAT64 addresses are refused outright (::ffff:0:0/96, 64:ff9b::/96).
  if (net.isIPv6(address)) return BLOCKED6.check(address, 'ipv6');
  return true;
}

const MAX_BYTES = 20 * 1024 * 1024;
const TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 3;

const invalid = (why: string) => badRequest(`Invalid cover URL: ${why}`);

function safeLookup(hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void): void {
  dns.lookup(hostname, { all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad || addresses.length === 0) return callback(Object.assign(new Error('blocked address'), { code: 'EBLOCKED' }), '');
    if (options.all) return callback(null, addresses);
    const first = addresses[0] as dns.LookupAddress;
    callback(null, first.address, first.family);
  });
}

function getOnce(url: URL): Promise<{ status: number; location?: string; body?: Buffer }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { lookup: safeLookup, timeout: TIMEOUT_MS, headers: { 'user-agent': 'romshelf' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return resolve({ status, location: res.headers.location });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) req.destroy(invalid('the image is too large'));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(invalid('the server did not answer in time')));
    req.on('error', reject);
  });
}

/** The bytes at `raw`, or a 400 explaining why not. */
export async function fetchCoverBytes(raw: string): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('not a URL');
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('only http and https are allowed');
    if (url.username || url.password) throw invalid('credentials are not allowed');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && isBlockedAddress(host)) throw invalid('the address is not allowed');
    let res;
    try {
      res = await getOnce(url);
    } catch (err) {
      if (err && typeof err === 'object' && 'status' in err) throw err;
      const code = (err as { code?: string }).code;
      throw invalid(code === 'EBLOCKED' ? 'the address is not allowed' : 'the image could not be downloaded');
    }
    if (res.location) {
      url = new URL(res.location, url);
      continue;
    }
    if (res.status !== 200 || !res.body) throw invalid(`the server answered ${res.status}`);
    return res.body;
  }
  throw invalid('too many redirects');
}
