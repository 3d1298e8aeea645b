import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

interface HeadResult { status: number; headers: http.IncomingHttpHeaders; bodyBytes: number }

/** A HEAD over a real socket; rejects when no complete answer arrives within `ms`. */
function head(port: number, url: string, authorization: string, ms = 2000): Promise<HeadResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, method: 'HEAD', headers: { authorization }, agent: false }, (res) => {
      let bodyBytes = 0;
      res.on('data', (c: Buffer) => (bodyBytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bodyBytes }));
    });
    req.setTimeout(ms, () => {
      req.destroy();
      reject(new Error(`HEAD ${url} sent no answer within ${ms} ms`));
    });
    req.on('error', reject);
    req.end();
  });
}

describeEachEngine('HEAD requests', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    const snes = await createPlatform(ctx().db.kysely, 'snes');
    await createRom(ctx().db.kysely, { platformId: snes, fsPath: 'roms/snes', fsName: 'Game (USA).sfc' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t.app.close());

  it('answers HEAD on the scan events stream with its headers and no body, and keeps no listener', async () => {
    const before = t.services.scans.listenerCount('progress');
    const res = await head(port, '/api/tasks/scan_library/events', admin.basic);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.bodyBytes).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.services.scans.listenerCount('progress')).toBe(before);
  });

  it('answers HEAD promptly on every GET route', async () => {
    const gets = t.routes.filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(30);
    const slow: string[] = [];
    for (const route of gets) {
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) => (/id$/.test(name) ? '1' : 'x')).replace(/\*$/, 'x');
      try {
        const res = await head(port, url, admin.basic);
        expect(res.bodyBytes, url).toBe(0);
      } catch (err) {
        slow.push((err as Error).message);
      }
    }
    expect(slow).toEqual([]);
  });
});
