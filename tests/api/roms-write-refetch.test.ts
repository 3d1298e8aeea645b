import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { FakeSearchProvider } from '../helpers/fake-metadata-provider.ts';
import { multipart, writeTree } from '../helpers/rom-edit-fixtures.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

interface RomJson {
  id: number; name: string; summary: string; igdb_id: number | null; ss_id: number | null; url_cover: string;
  metadatum: { genres: string[] };
}

describeEachEngine('PUT /api/roms/{id} with a provider id re-fetches that provider', (ctx) => {
  let t: TestApp;
  let editor: TestUser;
  let admin: TestUser;
  let gba: number;
  let n = 0;
  const igdb = new FakeSearchProvider('igdb', [
    { id: 1025, name: 'Metroid Fusion', summary: 'Samus on the B.S.L. station.', genres: ['Platform', 'Adventure'], cover: 'https://images.igdb.com/igdb/image/upload/t_cover_big/co1vci.jpg' },
    { id: 1026, name: 'Metroid: Zero Mission', summary: 'A remake.', genres: ['Shooter'] },
  ]);
  // Answers after 1.5 s: longer than the edit's bound in the last test.
  const ss = new FakeSearchProvider('ss', [{ id: 7001, name: 'Metroid Fusion (SS)', summary: 'Slow answer.' }], { delayMs: 1500 });

  const put = (id: number, fields: Record<string, string>, query = '') => {
    const body = multipart(fields);
    return t.app.inject({ method: 'PUT', url: `/api/roms/${id}${query}`, payload: body.payload, headers: { ...body.headers, authorization: editor.basic } });
  };
  const newRom = async () => {
    const fsName = `Unknown Game ${++n} (USA).gba`;
    await writeTree(t.config.libraryPath, `roms/gba/${fsName}`);
    return createRom(ctx().db.kysely, { platformId: gba, fsPath: 'roms/gba', fsName, regions: ['USA'] });
  };

  beforeAll(async () => {
    t = await createTestApp(ctx(), {}, {}, { extraMetadataProviders: [igdb, ss] });
    editor = await createUser(t.services, 'editor');
    admin = await createUser(t.services, 'admin');
    gba = await createPlatform(ctx().db.kysely, 'gba', { name: 'Game Boy Advance' });
    t.services.romRefresh.waitMs = 30_000;
  });
  afterAll(async () => {
    await t.services.scans.done()?.catch(() => undefined);
    await t.app.close();
  });

  it('fetches the chosen game by its id and answers the ROM with its data', async () => {
    const id = await newRom();
    const res = await put(id, { igdb_id: '1025' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-metadata-refresh']).toBe('done');
    const rom = res.json<RomJson>();
    expect(rom).toMatchObject({ igdb_id: 1025, name: 'Metroid Fusion', summary: 'Samus on the B.S.L. station.', url_cover: 'https://images.igdb.com/igdb/image/upload/t_cover_big/co1vci.jpg' });
    expect([...rom.metadatum.genres].sort()).toEqual(['Adventure', 'Platform']);
    // Only the provider whose id changed ran, and it was handed the new id.
    expect(igdb.lookups.at(-1)).toMatchObject({ id, ids: { igdb_id: 1025 } });
    expect(ss.lookups).toHaveLength(0);

    // Another id replaces the match; the same id again fetches nothing.
    const again = await put(id, { igdb_id: '1026' });
    expect(again.json<RomJson>()).toMatchObject({ igdb_id: 1026, name: 'Metroid: Zero Mission', summary: 'A remake.' });
    const calls = igdb.lookups.length;
    const same = await put(id, { igdb_id: '1026' });
    expect(same.headers['x-metadata-refresh']).toBeUndefined();
    expect(igdb.lookups).toHaveLength(calls);

    // The task status shows the pass per source.
    const status = await t.app.inject({ url: '/api/tasks/scan_library/status', headers: { authorization: admin.basic } });
    expect(status.json<{ meta: { metadata_sources: unknown } }>().meta.metadata_sources).toEqual({ igdb: { matched: 1, unmatched: 0, errors: 0 } });
  });

  it('keeps an id no provider knows, and runs nothing for an unconfigured source', async () => {
    const id = await newRom();
    const unknown = await put(id, { igdb_id: '999' });
    expect(unknown.headers['x-metadata-refresh']).toBe('done');
    expect(unknown.json<RomJson>()).toMatchObject({ igdb_id: 999, name: `Unknown Game ${n}` });
    const moby = await put(id, { moby_id: '12' });
    expect(moby.headers['x-metadata-refresh']).toBe('none');
  });

  it('answers within its bound when the provider is slow; the refresh lands in the background', async () => {
    const id = await newRom();
    t.services.romRefresh.waitMs = 200;
    const started = Date.now();
    const res = await put(id, { ss_id: '7001', name: 'Typed by hand' });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(res.headers['x-metadata-refresh']).toBe('pending');
    // The ROM as edited.
    expect(res.json<RomJson>()).toMatchObject({ ss_id: 7001, name: 'Typed by hand' });
    await expect.poll(() => ss.lookups.length, { timeout: 10_000 }).toBe(1);
    await t.services.scans.done();
    const after = await t.app.inject({ url: `/api/roms/${id}`, headers: { authorization: editor.basic } });
    // The provider's summary arrives; the name typed in the same edit is a user's edit and stays.
    expect(after.json<RomJson>()).toMatchObject({ ss_id: 7001, name: 'Typed by hand', summary: 'Slow answer.' });
  });
});
