import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

describeEachEngine('GET /api/stats', (ctx) => {
  let t: TestApp;
  let snes: number;
  let gba: number;
  beforeAll(async () => {
    t = await createTestApp(ctx());
    const db = ctx().db.kysely;
    snes = await createPlatform(db, 'snes');
    gba = await createPlatform(db, 'gba');
    await createPlatform(db, 'n64'); // a platform without ROMs is not counted
    await createRom(db, { platformId: snes, fsName: 'A (USA).sfc', size: 1000, regions: ['USA'], ids: { igdb_id: 1 } });
    await createRom(db, { platformId: snes, fsName: 'B (Europe).sfc', size: 2000, regions: ['Europe'], ids: { igdb_id: 2, ss_id: 3 } });
    await createRom(db, { platformId: snes, fsName: 'C (USA, Europe).sfc', size: 3000, regions: ['USA', 'Europe'] });
    await createRom(db, { platformId: gba, fsName: 'D (Japan).gba', size: 4000, regions: ['Japan'] });
  });
  afterAll(async () => t.app.close());

  it('answers RomM\'s totals without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/stats' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ PLATFORMS: 2, ROMS: 4, SAVES: 0, STATES: 0, SCREENSHOTS: 0, TOTAL_FILESIZE_BYTES: 10000 });
  });

  it('adds metadata coverage and region breakdown per platform on request', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/stats?include_platform_stats=true' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.METADATA_COVERAGE[String(snes)]).toEqual([{ source: 'igdb', matched: 2 }, { source: 'ss', matched: 1 }]);
    expect(body.METADATA_COVERAGE[String(gba)]).toEqual([]);
    expect(body.REGION_BREAKDOWN[String(snes)]).toEqual([{ region: 'Europe', count: 2 }, { region: 'USA', count: 2 }]);
    expect(body.REGION_BREAKDOWN[String(gba)]).toEqual([{ region: 'Japan', count: 1 }]);
  });

  it('rejects a malformed flag with a 422', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/stats?include_platform_stats=perhaps' });
    expect(res.statusCode).toBe(422);
  });
});
