import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';

const ONLINE = ['hasheous', 'libretro', 'igdb', 'ss', 'ra', 'sgdb', 'moby', 'launchbox'];

/** Every online provider pointed at a server that accepts connections and never answers. */
describeEachEngine('a scan with every online provider unreachable', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let hang: net.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    hang = net.createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    t = await createTestApp(ctx(), {
      METADATA_HTTP_TIMEOUT_SECONDS: '1',
      HASHEOUS_API_ENABLED: 'true', HASHEOUS_API_URL: `${url}/api/v1`,
      LIBRETRO_API_ENABLED: 'true', LIBRETRO_THUMBNAILS_URL: url,
      IGDB_CLIENT_ID: 'id', IGDB_CLIENT_SECRET: 'secret', IGDB_API_URL: `${url}/v4`, IGDB_TOKEN_URL: `${url}/oauth2/token`,
      SCREENSCRAPER_USER: 'u', SCREENSCRAPER_PASSWORD: 'p', SCREENSCRAPER_API_URL: `${url}/api2`,
      RETROACHIEVEMENTS_API_KEY: 'k', RETROACHIEVEMENTS_API_URL: `${url}/API`,
      STEAMGRIDDB_API_KEY: 'k', STEAMGRIDDB_API_URL: `${url}/api/v2`,
      MOBYGAMES_API_KEY: 'k', MOBYGAMES_API_URL: `${url}/v1`,
      LAUNCHBOX_API_ENABLED: 'true', LAUNCHBOX_METADATA_URL: `${url}/Metadata.zip`,
    });
    admin = await createUser(t.services, 'admin');
    const dir = path.join(t.config.libraryPath, 'roms', 'snes');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, `Game ${i} (USA).sfc`), `rom ${i}`);
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => hang.close(() => resolve()));
  });

  it('finishes within about one timeout per provider, every ROM listed and unmatched', async () => {
    const started = Date.now();
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: admin.basic }, payload: { type: 'quick', apis: ONLINE } });
    expect(res.statusCode).toBe(200);
    await t.services.scans.done();
    const elapsed = Date.now() - started;
    // 8 providers × 1 s timeout, with room for a slow machine; one timeout per ROM would be 40 s or more per provider.
    expect(elapsed).toBeLessThan(25_000);
    const status = (await t.app.inject({ url: '/api/tasks/scan_library/status', headers: { authorization: admin.basic } }))
      .json<{ status: string; meta: { scan_stats: Record<string, number> } }>();
    expect(status.status).toBe('finished');
    expect(status.meta.scan_stats).toMatchObject({ new_roms: 40, metadata_total: 40, metadata_done: 40, identified_roms: 0 });
    const roms = (await t.app.inject({ url: '/api/roms?limit=100', headers: { authorization: admin.basic } })).json<{ items: { igdb_id: number | null; hasheous_id: number | null }[] }>();
    expect(roms.items).toHaveLength(40);
    expect(roms.items.every((r) => r.igdb_id === null && r.hasheous_id === null)).toBe(true);
    // Health checks answer false, quickly.
    const hb = await t.app.inject({ url: '/api/heartbeat/metadata/igdb' });
    expect(hb.json()).toBe(false);
  }, 60_000);
});
