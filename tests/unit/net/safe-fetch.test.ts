import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFetch, SafeFetchError } from '../../../src/net/safe-fetch.ts';
import { localServer, type LocalServer } from '../../helpers/rom-edit-fixtures.ts';

const allowAll = () => true;

describe('safeFetch', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await localServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.alloc(5000));
      } else if (req.url === '/stream-big') {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
        res.end();
      } else if (req.url?.startsWith('/redirect/')) {
        const n = Number(req.url.split('/')[2]);
        res.writeHead(302, { location: n > 0 ? `/redirect/${n - 1}` : '/ok' });
        res.end();
      } else if (req.url === '/to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2000);
      } else if (req.url === '/missing') {
        res.writeHead(404);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('hello');
      }
    });
  });
  afterAll(() => server.close());

  it('never connects to loopback, private, link-local or metadata addresses', async () => {
    const before = server.hits.length;
    for (const url of [
      `${server.url}/ok`, `http://localhost:${server.port}/ok`, `http://[::1]:${server.port}/ok`,
      `http://[::ffff:127.0.0.1]:${server.port}/ok`, `http://2130706433:${server.port}/ok`, `http://0x7f.1:${server.port}/ok`,
      'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0/', 'http://[fd00:ec2::254]/',
    ]) {
      await expect(safeFetch(url, { timeoutMs: 2000 }), url).rejects.toThrow(SafeFetchError);
    }
    expect(server.hits.length).toBe(before);
  });

  it('checks every address a name resolves to, and the address actually used', async () => {
    const before = server.hits.length;
    const rebinding = async () => [{ address: '93.184.216.34', family: 4 as const }, { address: '127.0.0.1', family: 4 as const }];
    await expect(safeFetch(`http://evil.test:${server.port}/ok`, { resolve: rebinding })).rejects.toThrow(/disallowed address/);
    const toLoopback = async () => [{ address: '127.0.0.1', family: 4 as const }];
    await expect(safeFetch(`http://evil.test:${server.port}/ok`, { resolve: toLoopback })).rejects.toThrow(/127\.0\.0\.1/);
    expect(server.hits.length).toBe(before);
  });

  it('refuses a redirect to a blocked address', async () => {
    const allowLoopbackOnly = (ip: string) => ip === '127.0.0.1';
    await expect(safeFetch(`${server.url}/to-metadata`, { isAllowedAddress: allowLoopbackOnly })).rejects.toThrow(/disallowed/);
  });

  it('refuses non-http schemes and credentials', async () => {
    await expect(safeFetch('file:///etc/passwd')).rejects.toThrow(/Only http/);
    await expect(safeFetch('gopher://x/')).rejects.toThrow(/Only http/);
    await expect(safeFetch('http://user:pw@example.com/')).rejects.toThrow(/credentials/);
    await expect(safeFetch('not a url')).rejects.toThrow(/Invalid URL/);
  });

  it('fetches when the address is allowed', async () => {
    const r = await safeFetch(`${server.url}/ok`, { isAllowedAddress: allowAll });
    expect(r.body.toString()).toBe('hello');
    expect(r.contentType).toBe('text/plain');
  });

  it('limits size by header and while streaming', async () => {
    await expect(safeFetch(`${server.url}/big`, { isAllowedAddress: allowAll, maxBytes: 1000 })).rejects.toThrow(/too large/);
    await expect(safeFetch(`${server.url}/stream-big`, { isAllowedAddress: allowAll, maxBytes: 3000 })).rejects.toThrow(/too large/);
  });

  it('limits redirects and time', async () => {
    expect((await safeFetch(`${server.url}/redirect/2`, { isAllowedAddress: allowAll, maxRedirects: 3 })).finalUrl).toBe(`${server.url}/ok`);
    await expect(safeFetch(`${server.url}/redirect/5`, { isAllowedAddress: allowAll, maxRedirects: 3 })).rejects.toThrow(/Too many redirects/);
    const t0 = Date.now();
    await expect(safeFetch(`${server.url}/slow`, { isAllowedAddress: allowAll, timeoutMs: 300 })).rejects.toThrow(/Timed out/);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('reports HTTP errors', async () => {
    await expect(safeFetch(`${server.url}/missing`, { isAllowedAddress: allowAll })).rejects.toThrow(/HTTP 404/);
  });
});
