import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/paths.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { startFakeProvider } from '../helpers/fake-provider-server.ts';

interface RomJson {
  id: number; name: string; fs_name: string; summary: string | null; url_cover: string | null; path_cover_small: string | null;
  hasheous_id: number | null; igdb_id: number | null; ra_id: number | null; tgdb_id: number | null;
  hasheous_metadata: Record<string, boolean> | null; igdb_metadata: Record<string, unknown> | null;
  metadatum: { genres: string[]; companies: string[]; franchises: string[]; age_ratings: string[]; first_release_date: number | null };
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'tests/fixtures/metadata/hasheous', name), 'utf8'));
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

const MATCHED = 'Paper Mario (USA).z64';
const UNKNOWN = 'Homebrew Demo (PD).z64';

describeEachEngine('Hasheous through a scan', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let fake: Awaited<ReturnType<typeof startFakeProvider>>;
  let down = false;

  const roms = async (query = '') => {
    const res = await t.app.inject({ url: `/api/roms?limit=50&order_by=name${query}`, headers: { authorization: viewer.basic } });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: RomJson[] }>().items;
  };
  const detail = async (fsName: string) => {
    const item = (await roms()).find((r) => r.fs_name === fsName);
    if (!item) throw new Error(`${fsName} missing`);
    return (await t.app.inject({ url: `/api/roms/${item.id}`, headers: { authorization: viewer.basic } })).json<RomJson>();
  };
  const runScan = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: admin.basic }, payload });
    expect(res.statusCode).toBe(200);
    await t.services.scans.done();
  };

  beforeAll(async () => {
    fake = await startFakeProvider((req) => {
      if (down) return { status: 503 };
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/api/v1/Lookup/ByHash') {
        const [entry] = JSON.parse(req.body) as Record<string, string>[];
        return entry?.mD5 === md5(MATCHED) ? { body: fixture('by-hash-paper-mario.json') } : { status: 404 };
      }
      if (u.pathname === '/api/v1/MetadataProxy/IGDB/Game' && u.searchParams.get('Id') === '3340') {
        // Its cover points at this machine: recorded, never stored.
        return { body: { ...(fixture('igdb-game-paper-mario.json') as object), cover: { url: '//127.0.0.1:9/t_thumb/co1qda.jpg' } } };
      }
      return null;
    });
    t = await createTestApp(ctx(), {
      HASHEOUS_API_ENABLED: 'true', HASHEOUS_API_URL: `${fake.url}/api/v1`, HASHEOUS_CLIENT_API_KEY: 'client-key',
      METADATA_HTTP_TIMEOUT_SECONDS: '2',
    });
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    const n64 = path.join(t.config.libraryPath, 'roms', 'n64');
    mkdirSync(n64, { recursive: true });
    for (const name of [MATCHED, UNKNOWN]) writeFileSync(path.join(n64, name), name);
  });
  afterAll(async () => { await fake.close(); });

  it('reports Hasheous enabled and IGDB not', async () => {
    const hb = (await t.app.inject({ url: '/api/heartbeat' })).json<{ METADATA_SOURCES: Record<string, boolean> }>();
    expect(hb.METADATA_SOURCES).toMatchObject({ HASHEOUS_API_ENABLED: true, IGDB_API_ENABLED: false, ANY_SOURCE_ENABLED: true });
  });

  it('fills the Hasheous match, IGDB data through it, and the verified filter', async () => {
    // Only Hasheous is chosen, as RomM's scan dialog offers it without IGDB credentials.
    await runScan({ type: 'quick', apis: ['hasheous'] });
    const pm = await detail(MATCHED);
    expect(pm).toMatchObject({ name: 'Paper Mario', hasheous_id: 4872, igdb_id: 3340, ra_id: null, tgdb_id: null });
    expect(pm.hasheous_metadata).toMatchObject({ nointro_match: true, redump_match: false });
    expect(pm.igdb_metadata).toMatchObject({ genres: ['Role-playing (RPG)', 'Adventure'], total_rating: '88.52', youtube_video_id: 'N6k5mCj5WmQ' });
    expect(pm.summary).toMatch(/^Paper Mario, a turn-based/);
    const sorted = (l: string[]) => [...l].sort();
    expect(pm.metadatum.first_release_date).toBe(965952000000);
    expect(sorted(pm.metadatum.genres)).toEqual(['Adventure', 'Role-playing (RPG)']);
    expect(sorted(pm.metadatum.companies)).toEqual(['Intelligent Systems', 'Nintendo']);
    expect(pm.metadatum.franchises).toEqual(['Mario']);
    expect(sorted(pm.metadatum.age_ratings)).toEqual(['3', 'A', 'E']);
    // The cover URL is recorded; the download to a private address was refused.
    expect(pm.url_cover).toBe('https://127.0.0.1:9/t_1080p/co1qda.jpg');
    expect(pm.path_cover_small ?? '').toBe('');
    expect(fake.requests.some((r) => r.url.includes('co1qda'))).toBe(false);

    expect((await roms('&verified=true')).map((r) => r.fs_name)).toEqual([MATCHED]);
    expect((await roms('&verified=false')).map((r) => r.fs_name)).toEqual([UNKNOWN]);
    const unknown = await detail(UNKNOWN);
    expect(unknown).toMatchObject({ hasheous_id: null, igdb_id: null, name: 'Homebrew Demo' });
  });

  it('keeps the match when Hasheous is unreachable during a complete scan', async () => {
    // Forget the cached answers, so the scan must ask Hasheous again.
    await ctx().db.kysely.deleteFrom('metadata_http_cache').execute();
    const before = fake.requests.length;
    down = true;
    try {
      await runScan({ type: 'complete', apis: ['hasheous'] });
    } finally {
      down = false;
    }
    expect(fake.requests.length).toBeGreaterThan(before);
    expect(await detail(MATCHED)).toMatchObject({ hasheous_id: 4872, igdb_id: 3340, hasheous_metadata: { nointro_match: true } });
    expect((await roms('&verified=true')).map((r) => r.fs_name)).toEqual([MATCHED]);
  });
});
