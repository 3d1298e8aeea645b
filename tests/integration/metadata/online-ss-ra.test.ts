import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MetadataCacheRepository } from '../../../src/db/repositories/metadata-cache-repository.ts';
import { MetadataRepository } from '../../../src/db/repositories/metadata-repository.ts';
import { runMetadataPass, type MediaStorage } from '../../../src/metadata/pass.ts';
import { RetroAchievementsProvider } from '../../../src/metadata/ra/provider.ts';
import { ScreenScraperProvider } from '../../../src/metadata/screenscraper/provider.ts';
import { metadataSettingsFromYaml } from '../../../src/metadata/settings.ts';
import { isMediaUrl, type MediaSource } from '../../../src/metadata/types.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { startFakeProvider } from '../../helpers/fake-provider-server.ts';
import { clearLibrary, freshLibrary, hashesOf, scan, writeTree } from '../scanner/fixtures.ts';

const fixtures = path.join(__dirname, '../../fixtures/metadata');
const SONIC = readFileSync(path.join(fixtures, 'screenscraper/jeuInfos-sonic.json'), 'utf8');
const GAME = readFileSync(path.join(fixtures, 'ra/game-extended-1.json'), 'utf8');
const CONTENT = 'sonic rom bytes';

/** Records the URLs the pass hands to the media store. */
class UrlMedia implements MediaStorage {
  urls: string[] = [];
  origin(f: MediaSource) { return Promise.resolve(isMediaUrl(f) ? `url:${f.url}` : null); }
  storeCover(rom: { platformId: number; id: number }, f: MediaSource) {
    if (isMediaUrl(f)) this.urls.push(f.url);
    return Promise.resolve({ path_cover_l: `roms/${rom.platformId}/${rom.id}/cover/big.png`, path_cover_s: `roms/${rom.platformId}/${rom.id}/cover/small.png` });
  }
  storeScreenshots(rom: { platformId: number; id: number }, files: MediaSource[]) {
    return Promise.resolve(files.map((_, i) => `roms/${rom.platformId}/${rom.id}/screenshots/${i}.png`));
  }
  storeManual(rom: { platformId: number; id: number }) { return Promise.resolve(`roms/${rom.platformId}/${rom.id}/manual/${rom.id}.pdf`); }
  storeExtra(rom: { platformId: number; id: number }, kind: string) { return Promise.resolve(`roms/${rom.platformId}/${rom.id}/${kind}/${kind}.png`); }
}

describeEachEngine('ScreenScraper and RetroAchievements through the metadata pass', (ctx) => {
  let library: string;
  let fake: Awaited<ReturnType<typeof startFakeProvider>>;

  beforeEach(async () => {
    const { db, dir } = ctx();
    await clearLibrary(db);
    await db.kysely.deleteFrom('metadata_http_cache').execute();
    library = freshLibrary(dir, 'lib');
    writeTree(library, { 'roms/genesis/Sonic The Hedgehog (USA, Europe).md': CONTENT, 'roms/genesis/Unknown (USA).md': 'nothing' });
    await scan(db, library, 'quick');
    const md5 = hashesOf(CONTENT).md5;
    fake = await startFakeProvider((r) => {
      const u = new URL(r.url, 'http://x');
      const q = (k: string) => u.searchParams.get(k);
      if (u.pathname === '/ss/ssuserInfos.php') return { body: { response: { ssuser: { maxthreads: '2' } } } };
      if (u.pathname === '/ss/jeuInfos.php') return q('md5') === md5 ? { raw: SONIC } : { status: 404, raw: 'Erreur : Jeu non trouvée !' };
      if (u.pathname === '/ss/jeuRecherche.php') return { body: { response: { jeux: [{}] } } };
      if (u.pathname === '/ra/API_GetGameList.php') return { body: [{ ID: 1, Title: 'Sonic the Hedgehog', Hashes: [md5.toUpperCase()] }] };
      if (u.pathname === '/ra/API_GetGameExtended.php') return q('i') === '1' ? { raw: GAME } : { raw: '[]' };
      return null;
    });
  });
  afterEach(async () => { await fake.close(); });

  it('fills ss and ra ids, blobs, facets and media URLs, caches answers without credentials, and repeats no call', async () => {
    const db = ctx().db;
    const cache = new MetadataCacheRepository(db.kysely);
    const providers = () => [
      new ScreenScraperProvider({ config: { user: 'alice', password: 'hunter2pw', devId: 'dev', devPassword: 'devsecret', url: `${fake.url}/ss` }, cache }),
      new RetroAchievementsProvider({ config: { apiKey: 'ra-secret-key', url: `${fake.url}/ra`, refreshCacheDays: 30 }, cache }),
    ];
    const media = new UrlMedia();
    const run = (type: 'quick' | 'update') => runMetadataPass({
      repo: new MetadataRepository(db.kysely), providers: providers(), media, settings: metadataSettingsFromYaml({}),
      platformDir: () => Promise.resolve(path.join(library, 'roms', 'genesis')), issues: { add: () => undefined },
    }, { type });

    const result = await run('quick');
    expect(result).toMatchObject({ sources: ['ss', 'ra'], total: 2, identified: 1, perSource: { ss: { matched: 1, unmatched: 1 }, ra: { matched: 1, unmatched: 1 } } });
    const row = await db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', 'Sonic The Hedgehog (USA, Europe).md').executeTakeFirstOrThrow();
    expect(Number(row.ss_id)).toBe(2);
    expect(Number(row.ra_id)).toBe(1);
    expect(row.name).toBe('Sonic & the Hedgehog: Genesis');
    expect(row.url_cover).toMatch(/^https:\/\/neoclone\.screenscraper\.fr\/.*media=box-2D%28us%29$/);
    expect(row.url_cover).not.toMatch(/password|ssid/);
    expect(JSON.parse(row.ss_metadata)).toMatchObject({ ss_score: '7.5', genres: ['Platform'] });
    expect(JSON.parse(row.ra_metadata)).toMatchObject({ companies: ['Sega', 'Sonic Team'], achievements: [{ ra_id: 23 }, { ra_id: 25 }] });
    expect(media.urls).toHaveLength(1);
    const facets = await db.kysely.selectFrom('rom_facets').select(['kind', 'value']).where('rom_id', '=', row.id).where('kind', '=', 'genre').execute();
    expect(facets.map((f) => f.value)).toEqual(['Platform']);

    const cached = await db.kysely.selectFrom('metadata_http_cache').selectAll().execute();
    expect(cached.length).toBeGreaterThan(0);
    for (const c of cached) expect(c.body).not.toMatch(/hunter2pw|ra-secret-key/);

    // An update refreshes by the stored ids (ScreenScraper's gameid answer is new once), then costs nothing.
    const lookups = () => fake.requests.filter((r) => !r.url.includes('ssuserInfos')).length;
    await run('update');
    const calls = lookups();
    await run('update');
    expect(lookups()).toBe(calls);
  });
});
