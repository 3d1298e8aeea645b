import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LaunchboxRepository } from '../../../src/db/repositories/launchbox-repository.ts';
import { MetadataCacheRepository } from '../../../src/db/repositories/metadata-cache-repository.ts';
import { MetadataRepository } from '../../../src/db/repositories/metadata-repository.ts';
import { LaunchboxProvider } from '../../../src/metadata/launchbox/provider.ts';
import { MediaStore } from '../../../src/metadata/media-store.ts';
import { MobyProvider } from '../../../src/metadata/moby/provider.ts';
import { runMetadataPass } from '../../../src/metadata/pass.ts';
import { metadataSettingsFromYaml } from '../../../src/metadata/settings.ts';
import type { MetadataIssueKind } from '../../../src/metadata/types.ts';
import { describeEachEngine } from '../../helpers/engines.ts';
import { startFakeProvider } from '../../helpers/fake-provider-server.ts';
import { tinyZip } from '../../helpers/tiny-zip.ts';
import { clearLibrary, freshLibrary, scan, writeTree } from '../scanner/fixtures.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/metadata');
const SONIC = readFileSync(path.join(FIXTURES, 'moby/games-sonic-genesis.json'), 'utf8');

class Issues {
  list: { kind: MetadataIssueKind; path: string; message: string }[] = [];
  add(kind: MetadataIssueKind, p: string, message: string): void { this.list.push({ kind, path: p, message }); }
}

describeEachEngine('MobyGames and LaunchBox online', (ctx) => {
  let close: (() => Promise<void>) | null = null;
  beforeEach(async () => { await clearLibrary(ctx().db); });
  afterEach(async () => { await close?.(); close = null; });

  it('fills a ROM from MobyGames through the pass, the key kept out of the cache', async () => {
    const { db, dir } = ctx();
    const library = freshLibrary(dir, 'moby-lib');
    writeTree(library, { 'roms/genesis/Sonic The Hedgehog (USA, Europe).md': 'sonic', 'roms/genesis/Zzz Unknown (USA).md': 'zzz' });
    await scan(db, library, 'quick');
    const s = await startFakeProvider((r) => (r.url.includes('title=sonic') ? { raw: SONIC } : { body: { games: [] } }));
    close = s.close;
    const cache = new MetadataCacheRepository(db.kysely);
    const moby = new MobyProvider({ apiKey: 'SECRET-KEY', url: `${s.url}/v1`, perSecond: 0, cache });
    const png = await sharp({ create: { width: 20, height: 30, channels: 3, background: 'blue' } }).png().toBuffer();
    const fetched: string[] = [];
    const media = new MediaStore({ resourcesRoot: path.join(dir, 'moby-resources'), fetch: (url) => { fetched.push(url); return Promise.resolve(png); } });
    const issues = new Issues();
    const result = await runMetadataPass({
      repo: new MetadataRepository(db.kysely), providers: [moby], media, settings: metadataSettingsFromYaml({}),
      platformDir: () => Promise.resolve(path.join(library, 'roms', 'genesis')), issues,
    }, { type: 'quick' });
    expect(issues.list).toEqual([]);
    expect(result).toMatchObject({ sources: ['moby'], processed: 2, identified: 1 });
    const row = await db.kysely.selectFrom('roms').selectAll().where('fs_name', '=', 'Sonic The Hedgehog (USA, Europe).md').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Sonic the Hedgehog', url_cover: 'https://cdn.mobygames.com/covers/4018427-sonic-the-hedgehog-genesis-front-cover.jpg' });
    expect(Number(row.moby_id)).toBe(3025);
    expect(JSON.parse(row.moby_metadata)).toMatchObject({ moby_score: '8.0', genres: ['Action', 'Platform'] });
    expect(row.path_cover_s).toMatch(/cover\/small\.png$/);
    expect(fetched[0]).toBe('https://cdn.mobygames.com/covers/4018427-sonic-the-hedgehog-genesis-front-cover.jpg');
    const genres = await db.kysely.selectFrom('rom_facets').select('value').where('rom_id', '=', row.id).where('kind', '=', 'genre').orderBy('value').execute();
    expect(genres.map((g) => g.value)).toEqual(['Action', 'Platform']);
    const cached = await db.kysely.selectFrom('metadata_http_cache').selectAll().where('provider', '=', 'moby').execute();
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.some((c) => JSON.stringify(c).includes('SECRET-KEY'))).toBe(false);
  });

  it('downloads Metadata.zip in prepare() and imports it; the heartbeat flag follows LAUNCHBOX_API_ENABLED', async () => {
    const { db, dir } = ctx();
    const zip = tinyZip({ 'Metadata.xml': await readFile(path.join(FIXTURES, 'launchbox/Metadata.xml')) });
    const s = await startFakeProvider(() => ({ raw: zip, headers: { etag: '"abc"' } }));
    close = s.close;
    const repo = new LaunchboxRepository(db.kysely);
    const metadataPath = path.join(dir, `lb-online-${Date.now()}`, 'Metadata.xml');
    const off = new LaunchboxProvider({ launchboxPath: null, metadataPath, repo });
    const on = new LaunchboxProvider({ launchboxPath: null, metadataPath, repo, download: { url: `${s.url}/Metadata.zip`, timeoutMs: 2000 } });
    if (!(await repo.hasGames())) expect(await off.available()).toBe(false);
    expect(await on.available()).toBe(true);
    const issues = new Issues();
    await on.prepare(issues);
    expect(issues.list).toEqual([]);
    expect(await repo.importedFile()).toMatchObject({ path: metadataPath });
    expect((await repo.gameById(141))?.name).toBe('Paper Mario');
    // The next pass the same day neither downloads nor imports again.
    await on.prepare(issues);
    expect(s.requests).toHaveLength(1);
  });
});
