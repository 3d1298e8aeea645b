import { createHash } from 'node:crypto';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

interface Asset { id: number; full_path: string; file_size_bytes: number; content_hash: string; updated_at: string }
interface Version { id: number; content_hash: string | null }

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describeEachEngine('start-up check of save and state files a crash left newer than their rows', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let rom: number;
  let assets: string;

  const get = (url: string) => t.app.inject({ url, headers: { authorization: alice.basic } });
  const upload = async (kind: 'saves' | 'states', name: string, data: string): Promise<Asset> => {
    const boundary = '----romshelf-reconcile';
    const field = kind === 'saves' ? 'saveFile' : 'stateFile';
    const res = await t.app.inject({
      method: 'POST', url: `/api/${kind}?rom_id=${rom}`,
      payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\n\r\n${data}\r\n--${boundary}--\r\n`),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: alice.basic },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Asset>();
  };
  /** What a crash between the rename and the row update leaves: the new bytes in place, written after the row's time. */
  const crashAfterRename = (a: Asset, data: string) => {
    const file = path.join(assets, a.full_path);
    writeFileSync(file, data);
    const later = (Date.parse(a.updated_at) + 5_000) / 1000;
    utimesSync(file, later, later);
  };

  beforeAll(async () => {
    t = await createTestApp(ctx(), { SAVE_VERSIONS_KEEP: '5' });
    alice = await createUser(t.services, 'viewer', 'alice');
    const db = ctx().db.kysely;
    rom = await createRom(db, { platformId: await createPlatform(db, 'gba'), fsName: 'Game.gba' });
    assets = path.join(t.config.dataPath, 'assets');
  });
  afterAll(async () => t.app.close());

  it('a row whose file was replaced after its update takes the file\'s size and hash; untouched rows stay', async () => {
    const save = await upload('saves', 'Game.srm', 'old save');
    const other = await upload('saves', 'Other.srm', 'other');
    const state = await upload('states', 'Game.state', 'old state');
    crashAfterRename(save, 'the new, longer save');
    crashAfterRename(state, 'the new, longer state');

    expect(await t.services.saves.reconcileFiles()).toBe(1);
    expect(await t.services.states.reconcileFiles()).toBe(1);
    const fixed = (await get(`/api/saves/${save.id}`)).json<Asset>();
    expect([fixed.file_size_bytes, fixed.content_hash]).toEqual([20, md5('the new, longer save')]);
    expect(Date.parse(fixed.updated_at)).toBeGreaterThan(Date.parse(save.updated_at));
    const fixedState = (await get(`/api/states/${state.id}`)).json<Asset>();
    expect(fixedState.file_size_bytes).toBe(21);
    // StateSchema carries no hash: read the row.
    const row = await ctx().db.kysely.selectFrom('states').select('content_hash').where('id', '=', state.id).executeTakeFirst();
    expect(row?.content_hash).toBe(md5('the new, longer state'));
    expect((await get(`/api/saves/${other.id}`)).json<Asset>()).toEqual(other);

    // Once corrected, nothing is left to do.
    expect(await t.services.saves.reconcileFiles()).toBe(0);
    expect(await t.services.states.reconcileFiles()).toBe(0);
  });

  it('ordinary uploads, overwrites and restores leave nothing to correct', async () => {
    const save = await upload('saves', 'Restored.srm', 'one');
    await upload('saves', 'Restored.srm', 'two');
    const [v] = (await get(`/api/saves/${save.id}/versions`)).json<Version[]>();
    const res = await t.app.inject({ method: 'POST', url: `/api/saves/${save.id}/versions/${v?.id}/restore`, headers: { authorization: alice.basic } });
    expect(res.statusCode, res.body).toBe(200);
    const state = await upload('states', 'Restored.state', 'one');
    await upload('states', 'Restored.state', 'two');
    const [sv] = (await get(`/api/states/${state.id}/versions`)).json<Version[]>();
    const back = await t.app.inject({ method: 'POST', url: `/api/states/${state.id}/versions/${sv?.id}/restore`, headers: { authorization: alice.basic } });
    expect(back.statusCode, back.body).toBe(200);

    // Every file is at most as new as its row: the check never has to hash them.
    for (const a of [res.json<Asset>(), back.json<Asset>()]) {
      expect(statSync(path.join(assets, a.full_path)).mtimeMs, a.full_path).toBeLessThanOrEqual(Date.parse(a.updated_at) + 1);
    }
    expect(await t.services.saves.reconcileFiles()).toBe(0);
    expect(await t.services.states.reconcileFiles()).toBe(0);
  });
});
