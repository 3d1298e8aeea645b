import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { createPlatform, createRom, type FixtureRom } from '../../helpers/download-fixtures.ts';
import { createTestDb, dropTestDb, type TestDb } from '../../helpers/engines.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw socket that records what the server sent and when it closed. */
interface Probe { socket: net.Socket; received: () => string; closedAt: () => number | null }

function connect(port: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    let data = '';
    let closedAt: number | null = null;
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closedAt: () => closedAt }));
    socket.once('error', reject);
  });
}

/** Waits until the socket closes, or `ms` passes; answers how long it took (null when still open). */
async function closedWithin(probe: Probe, ms: number): Promise<number | null> {
  const start = Date.now();
  while (probe.closedAt() === null && Date.now() - start < ms) await sleep(25);
  const at = probe.closedAt();
  return at === null ? null : at - start;
}

describe('connection limits over real sockets', () => {
  let db: TestDb;
  let t: TestApp;
  let user: TestUser;
  let big: FixtureRom;
  let port: number;
  const probes: Probe[] = [];
  const open = async () => {
    const p = await connect(port);
    probes.push(p);
    return p;
  };

  beforeAll(async () => {
    db = await createTestDb('sqlite');
    t = await createTestApp(db, {
      HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      HTTP_IDLE_TIMEOUT_SECONDS: '1',
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '1',
      HTTP_REQUEST_TIMEOUT_SECONDS: '3',
      HTTP_MAX_CONNECTIONS: '8',
    });
    user = await createUser(t.services, 'admin');
    const platformId = await createPlatform(db.db, 'ps');
    big = await createRom(db.db, t.config.libraryPath, { platformId, platformSlug: 'ps', fsName: 'Big.iso', folder: false, files: [{ name: 'Big.iso', sparseSize: 64 * 1024 ** 2 }] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const p of probes) p.socket.destroy();
    await t.app.close();
    await dropTestDb(db);
  });

  it('closes a slowloris connection after the header timeout', async () => {
    const p = await open();
    p.socket.write('GET /api/heartbeat HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => p.socket.write('X-Slow: 1\r\n'), 200);
    const took = await closedWithin(p, 4000);
    clearInterval(drip);
    expect(took).not.toBeNull();
    expect(p.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection that never sends a byte after the idle timeout', async () => {
    const p = await open();
    const took = await closedWithin(p, 4000);
    expect(took).not.toBeNull();
    expect(took).toBeGreaterThanOrEqual(800);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const p = await open();
    p.socket.write('GET /api/heartbeat HTTP/1.1\r\nHost: x\r\n\r\n');
    const took = await closedWithin(p, 4000);
    expect(p.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(p.received()).toMatch(/Keep-Alive: timeout=1/i);
    expect(took).not.toBeNull();
  });

  it('closes a connection whose request body stalls', async () => {
    const p = await open();
    p.socket.write(`POST /api/client-tokens HTTP/1.1\r\nHost: x\r\nAuthorization: ${user.basic}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`);
    expect(await closedWithin(p, 4000)).not.toBeNull();
  });

  it('ends a request whose body trickles past the request timeout', async () => {
    const p = await open();
    p.socket.write(`POST /api/client-tokens HTTP/1.1\r\nHost: x\r\nAuthorization: ${user.basic}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
    const drip = setInterval(() => p.socket.write(' '), 300);
    const took = await closedWithin(p, 8000);
    clearInterval(drip);
    expect(took).not.toBeNull();
    expect(p.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('does not cut an upload that keeps arriving, however slowly, for longer than the idle timeout', async () => {
    const p = await open();
    const body = Buffer.from(JSON.stringify({ name: 'slow', scopes: ['me.read'] }));
    p.socket.write(`POST /api/client-tokens HTTP/1.1\r\nHost: x\r\nAuthorization: ${user.basic}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    const started = Date.now();
    for (let i = 0; i < body.length; i += 8) {
      p.socket.write(body.subarray(i, i + 8));
      await sleep(Math.floor(2400 / Math.ceil(body.length / 8)));
    }
    while (!/\r\n\r\n/.test(p.received()) && Date.now() - started < 5000) await sleep(25);
    expect(Date.now() - started).toBeGreaterThan(1500);
    expect(p.received()).toMatch(/^HTTP\/1\.1 20[01]/);
  });

  it('does not cut a download whose client pauses reading longer than the idle timeout', async () => {
    const total = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: `/api/roms/${big.id}/content/x`, headers: { authorization: user.basic }, agent: false }, (res) => {
        expect(res.statusCode).toBe(200);
        let n = 0;
        res.once('data', (c: Buffer) => {
          n += c.length;
          res.pause();
          setTimeout(() => {
            res.on('data', (more: Buffer) => (n += more.length));
            res.resume();
          }, 2500);
        });
        res.on('end', () => resolve(n));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(total).toBe(64 * 1024 ** 2);
  }, 30_000);

  it('refuses connections beyond the cap, and still answers on the connections it holds', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const heartbeat = () => new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/api/heartbeat', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
    expect(await heartbeat()).toBe(200);
    // Fill the rest of the cap with sockets that send nothing.
    const fillers = [];
    for (let i = 0; i < 7; i++) fillers.push(await open());
    await sleep(100);
    const extra = await open();
    expect(await closedWithin(extra, 1000)).not.toBeNull();
    expect(await heartbeat()).toBe(200);
    // Once the idle fillers are closed, new connections are served again.
    for (const f of fillers) expect(await closedWithin(f, 4000)).not.toBeNull();
    const res = await fetch(`http://127.0.0.1:${port}/api/heartbeat`);
    expect(res.status).toBe(200);
    agent.destroy();
  }, 30_000);
});

describe('connection limit settings', () => {
  it('are validated', async () => {
    const { loadConfig, ConfigError } = await import('../../../src/config/config.ts');
    const base = { DATA_PATH: '/tmp/x', LIBRARY_PATH: '/tmp/y' };
    const c = loadConfig(base);
    expect(c.http).toEqual({ headersTimeoutSeconds: 20, requestTimeoutSeconds: 3600, keepAliveTimeoutSeconds: 5, idleTimeoutSeconds: 30, maxConnections: 500 });
    expect(loadConfig({ ...base, HTTP_REQUEST_TIMEOUT_SECONDS: '0' }).http.requestTimeoutSeconds).toBe(0);
    for (const [name, value] of [['HTTP_HEADERS_TIMEOUT_SECONDS', '0'], ['HTTP_IDLE_TIMEOUT_SECONDS', 'x'], ['HTTP_MAX_CONNECTIONS', '0'], ['HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', '-1']]) {
      expect(() => loadConfig({ ...base, [name as string]: value }), name).toThrow(ConfigError);
    }
    // Node refuses a header timeout longer than the request timeout.
    expect(() => loadConfig({ ...base, HTTP_HEADERS_TIMEOUT_SECONDS: '60', HTTP_REQUEST_TIMEOUT_SECONDS: '30' })).toThrow(/HTTP_HEADERS_TIMEOUT_SECONDS/);
  });
});
