import { readdir, readlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../../helpers/app.ts';
import { createPlatform, createRom, type FixtureRom } from '../../helpers/download-fixtures.ts';
import { createTestDb, dropTestDb, type TestDb } from '../../helpers/engines.ts';

/** Open descriptors of this process that point at `file`. */
async function openHandles(file: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target === file) n++;
  }
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('downloads over a real socket', () => {
  let db: TestDb;
  let t: TestApp;
  let user: TestUser;
  let big: FixtureRom;
  let multi: FixtureRom;
  let base: string;

  beforeAll(async () => {
    db = await createTestDb('sqlite');
    t = await createTestApp(db);
    user = await createUser(t.services, 'admin');
    const platformId = await createPlatform(db.db, 'ps');
    big = await createRom(db.db, t.config.libraryPath, { platformId, platformSlug: 'ps', fsName: 'Big.iso', folder: false, files: [{ name: 'Big.iso', sparseSize: 256 * 1024 ** 2 }] });
    multi = await createRom(db.db, t.config.libraryPath, {
      platformId, platformSlug: 'ps', fsName: 'Multi', folder: true,
      files: [{ name: 'a.bin', sparseSize: 128 * 1024 ** 2 }, { name: 'b.bin', sparseSize: 128 * 1024 ** 2 }],
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.app.close();
    await dropTestDb(db);
  });

  const request = (url: string) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${base}${url}`, { headers: { authorization: user.basic } }, resolve).on('error', reject);
    });

  it('closes the file as soon as the client goes away', async () => {
    for (const [rom, file] of [[big, big.files[0]], [multi, multi.files[0]]] as const) {
      const abs = path.join(t.config.libraryPath, file?.fullPath ?? '');
      const res = await request(`/api/roms/${rom.id}/content/x`);
      expect(res.statusCode).toBe(200);
      await new Promise<void>((resolve) => res.once('data', () => resolve()));
      expect(await openHandles(abs)).toBe(1);
      res.destroy();
      let open = 1;
      for (let i = 0; i < 50 && open > 0; i++) {
        await sleep(20);
        open = await openHandles(abs);
      }
      expect(open).toBe(0);
    }
  });

  it('keeps answering API requests while many downloads stream', async () => {
    const downloads = Array.from({ length: 6 }, (_, i) =>
      request(i % 2 ? `/api/roms/${big.id}/content/x` : `/api/roms/${multi.id}/content/x`).then(
        (res) => new Promise<number>((resolve, reject) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        }),
      ));
    await sleep(50);
    const started = Date.now();
    const hb = await fetch(`${base}/api/heartbeat`);
    expect(hb.status).toBe(200);
    // Generous bound: the machine is shared; a blocked event loop would take seconds.
    expect(Date.now() - started).toBeLessThan(3000);
    const sizes = await Promise.all(downloads);
    expect(sizes.filter((n) => n === 256 * 1024 ** 2).length).toBe(3);
    expect(sizes.every((n) => n > 256 * 1024 ** 2 - 1)).toBe(true);
  }, 120_000);
});
