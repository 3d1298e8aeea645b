import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { startFakeProvider } from '../helpers/fake-provider-server.ts';

const FIX = path.resolve('tests/fixtures/metadata/sgdb');
const SEARCH = JSON.parse(readFileSync(path.join(FIX, 'search-mario.json'), 'utf8')) as unknown;
const GRIDS = JSON.parse(readFileSync(path.join(FIX, 'grids-5254.json'), 'utf8')) as unknown;

describeEachEngine('GET /api/search/cover', (ctx) => {
  let withKey: TestApp;
  let without: TestApp;
  let viewer: TestUser;
  let fake: Awaited<ReturnType<typeof startFakeProvider>>;

  beforeAll(async () => {
    fake = await startFakeProvider((r) => {
      if (r.headers.authorization !== 'Bearer good-key') return { status: 401, body: { success: false, errors: ['Invalid key format'] } };
      if (r.url.startsWith('/api/v2/search/autocomplete/')) return { body: SEARCH };
      if (r.url.startsWith('/api/v2/grids/game/5254?')) return { body: GRIDS };
      return { body: { success: true, page: 0, total: 0, limit: 50, data: [] } };
    });
    withKey = await createTestApp(ctx(), { STEAMGRIDDB_API_KEY: 'good-key', STEAMGRIDDB_API_URL: `${fake.url}/api/v2` });
    viewer = await createUser(withKey.services, 'viewer');
    without = await createTestApp(ctx());
  });

  afterAll(() => fake.close());

  it("answers RomM's SearchCoverSchema list, 500 without a key and 401 without a caller", async () => {
    const headers = { authorization: viewer.basic };
    const res = await withKey.app.inject({ url: '/api/search/cover?search_term=super%20mario%20world', headers });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ name: string; resources: { url: string; thumb: string; type: string }[] }[]>();
    expect(body.length).toBeGreaterThan(0);
    expect(body[0]).toMatchObject({ name: 'Super Mario World', resources: [expect.objectContaining({ type: 'animated' })] });
    const off = await without.app.inject({ url: '/api/search/cover?search_term=mario', headers });
    expect(off.statusCode).toBe(500);
    expect(off.json()).toEqual({ detail: 'No SteamGridDB enabled' });
    expect((await withKey.app.inject({ url: '/api/search/cover?search_term=mario' })).statusCode).toBe(401);
  });
});
