import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { MetadataCacheRepository } from '../../../src/db/repositories/metadata-cache-repository.ts';
import { MetadataRepository } from '../../../src/db/repositories/metadata-repository.ts';
import { runMetadataPass, type MediaStorage } from '../../../src/metadata/pass.ts';
import { metadataSettingsFromYaml } from '../../../src/metadata/settings.ts';
import { isMediaUrl, type MediaSource } from '../../../src/metadata/types.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { startFakeProvider } from '../../helpers/fake-provider-server.ts';
import { igdbAnswer, provider } from '../../unit/metadata/igdb/igdb-fake.ts';
import { clearLibrary, freshLibrary, scan, writeTree } from '../scanner/fixtures.ts';

/** Records the URLs the pass would download. */
class UrlMedia implements MediaStorage {
  urls: string[] = [];
  origin(s: MediaSource) { return Promise.resolve(isMediaUrl(s) ? `url:${s.url}` : s.path); }
  storeCover(rom: { platformId: number; id: number }, s: MediaSource) {
    if (isMediaUrl(s)) this.urls.push(s.url);
    return Promise.resolve({ path_cover_l: `roms/${rom.platformId}/${rom.id}/cover/big.png`, path_cover_s: `roms/${rom.platformId}/${rom.id}/cover/small.png` });
  }
  storeScreenshots(rom: { platformId: number; id: number }, files: MediaSource[]) {
    return Promise.resolve(files.map((_, i) => `roms/${rom.platformId}/${rom.id}/screenshots/${i}.png`));
  }
  storeManual(rom: { platformId: number; id: number }) { return Promise.resolve(`roms/${rom.platformId}/${rom.id}/manual/${rom.id}.pdf`); }
  storeExtra(rom: { platformId: number; id: number }, kind: string) { return Promise.resolve(`roms/${rom.platformId}/${rom.id}/${kind}/${kind}.png`); }
}

let fake: Awaited<ReturnType<typeof startFakeProvider>>;
beforeAll(async () => { fake = await startFakeProvider(igdbAnswer); });
afterAll(async () => { await fake.close(); });

describeEachEngine('IGDB through the metadata pass', (ctx) => {
  let library: string;

  beforeEach(async () => {
    const { db, dir } = ctx();
    await clearLibrary(db);
    library = freshLibrary(dir, 'lib');
    writeTree(library, {
      'roms/snes/Legend of Zelda, The - A Link to the Past (USA) (Rev 1).sfc': 'z',
      'roms/snes/Unknown Homebrew (World).sfc': 'u',
    });
    await scan(db, library, 'quick');
  });

  it('fills igdb_id, igdb_metadata, text, cover URL and facets; a rerun is answered by the cache', async () => {
    const { db } = ctx();
    const media = new UrlMedia();
    const run = (type: 'quick' | 'complete' | 'update') => runMetadataPass({
      repo: new MetadataRepository(db.kysely), media, settings: metadataSettingsFromYaml({}),
      providers: [provider(fake.url, { cache: new MetadataCacheRepository(db.kysely) })],
      platformDir: () => Promise.resolve(path.join(library, 'roms', 'snes')), issues: { add: () => undefined },
    }, { type });
    fake.requests.length = 0;
    const result = await run('quick');
    expect(result.perSource.igdb).toEqual({ matched: 1, unmatched: 1, errors: 0 });
    const zelda = await db.kysely.selectFrom('roms').selectAll().where('fs_name', 'like', 'Legend of Zelda%').executeTakeFirstOrThrow();
    expect(Number(zelda.igdb_id)).toBe(1026);
    expect(zelda.name).toBe('The Legend of Zelda: A Link to the Past');
    expect(zelda.url_cover).toBe('https://images.igdb.com/igdb/image/upload/t_1080p/co1ub0.jpg');
    expect(JSON.parse(zelda.igdb_metadata)).toMatchObject({ total_rating: '91.57', companies: ['Nintendo', 'Nintendo EAD'] });
    expect(media.urls).toEqual(['https://images.igdb.com/igdb/image/upload/t_1080p/co1ub0.jpg']);
    const facets = (await db.kysely.selectFrom('rom_facets').select(['kind', 'value']).where('rom_id', '=', zelda.id).where('kind', 'in', ['genre', 'company']).execute())
      .map((r) => `${r.kind}:${r.value}`).sort();
    expect(facets).toEqual(['company:Nintendo', 'company:Nintendo EAD', 'genre:Adventure', 'genre:Role-playing (RPG)']);

    // A matched ROM is refreshed by its id from then on: the game found by name was recorded as that answer, so the
    // update scan that follows costs no call, nor does any scan run again.
    fake.requests.length = 0;
    expect((await run('update')).perSource.igdb).toEqual({ matched: 1, unmatched: 0, errors: 0 });
    expect(fake.requests).toHaveLength(0);
    await run('complete');
    fake.requests.length = 0;
    expect((await run('complete')).perSource.igdb).toEqual({ matched: 1, unmatched: 1, errors: 0 });
    expect(fake.requests).toHaveLength(0);
  });
});
