import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

const DELETED_KEYS = ['id', 'rom_id', 'file_name', 'file_path', 'emulator', 'slot', 'deleted_at', 'versions'];

interface Version { id: number; asset_id: number; reason: string; content_hash: string | null; download_path: string }
interface Deleted { id: number; rom_id: number; file_name: string; file_path: string; emulator: string | null; slot: string | null; deleted_at: string; versions: Version[] }
interface Asset { id: number; file_name: string; file_path: string }

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function multipart(field: string, filename: string, data: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----romshelf-deleted-test';
  return {
    payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n${data}\r\n--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeEachEngine('deleted saves and states (romshelf extension)', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let rom: number;
  let rom2: number;
  let hiddenRom: number;

  const get = (url: string, user: TestUser = alice) => t.app.inject({ url, headers: { authorization: user.basic } });
  const post = (url: string, body: unknown, user: TestUser = alice) =>
    t.app.inject({ method: 'POST', url, payload: body as object, headers: { authorization: user.basic } });
  const upload = async (kind: 'saves' | 'states', query: string, name: string, data: string, user: TestUser = alice): Promise<Asset> => {
    const body = multipart(kind === 'saves' ? 'saveFile' : 'stateFile', name, data);
    const res = await t.app.inject({ method: 'POST', url: `/api/${kind}?${query}`, payload: body.payload, headers: { ...body.headers, authorization: user.basic } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Asset>();
  };
  const remove = async (kind: 'saves' | 'states', id: number, user: TestUser = alice) => {
    const res = await post(`/api/${kind}/delete`, { [kind]: [id] }, user);
    expect(res.statusCode, res.body).toBe(200);
  };
  const deleted = async (kind: 'saves' | 'states', query = '', user: TestUser = alice) => {
    const res = await get(`/api/${kind}/deleted${query}`, user);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Deleted[]>();
  };

  beforeAll(async () => {
    t = await createTestApp(ctx(), { SAVE_VERSIONS_KEEP: '5' });
    alice = await createUser(t.services, 'viewer', 'alice');
    bob = await createUser(t.services, 'viewer', 'bob');
    admin = await createUser(t.services, 'admin', 'root');
    const db = ctx().db.kysely;
    const gba = await createPlatform(db, 'gba');
    rom = await createRom(db, { platformId: gba, fsName: 'Game (USA).gba' });
    rom2 = await createRom(db, { platformId: gba, fsName: 'Other.gba' });
    hiddenRom = await createRom(db, { platformId: gba, fsName: 'Hidden.gba' });
  });
  afterAll(async () => t.app.close());

  it('lists a deleted save with its versions, newest first; live saves, even with versions, are not listed', async () => {
    const live = await upload('saves', `rom_id=${rom}&emulator=mgba`, 'Live.srm', 'live-1');
    await upload('saves', `rom_id=${rom}&emulator=mgba`, 'Live.srm', 'live-2');
    const gone = await upload('saves', `rom_id=${rom}&emulator=mgba`, 'Gone.srm', 'gone-1');
    await upload('saves', `rom_id=${rom}&emulator=mgba`, 'Gone.srm', 'gone-2');
    await remove('saves', gone.id);

    const list = await deleted('saves', `?rom_id=${rom}`);
    expect(list).toHaveLength(1);
    const d = list[0]!;
    expect(Object.keys(d)).toEqual(DELETED_KEYS);
    expect(d).toMatchObject({ id: gone.id, rom_id: rom, file_name: 'Gone.srm', file_path: gone.file_path, emulator: 'mgba', slot: null });
    expect(d.versions.map((v) => [v.asset_id, v.reason, v.content_hash])).toEqual([
      [gone.id, 'delete', md5('gone-2')], [gone.id, 'overwrite', md5('gone-1')],
    ]);
    expect(Date.parse(d.deleted_at)).not.toBeNaN();
    // The static path does not shadow, nor is shadowed by, `/api/saves/{id}`.
    expect((await get(`/api/saves/${live.id}`)).json<Asset>().file_name).toBe('Live.srm');
    expect((await get(`/api/saves/${gone.id}`)).statusCode).toBe(404);
    // rom_id narrows; none or 0 lists every ROM.
    const other = await upload('saves', `rom_id=${rom2}`, 'Other.srm', 'other');
    await remove('saves', other.id);
    expect((await deleted('saves', `?rom_id=${rom2}`)).map((x) => x.id)).toEqual([other.id]);
    expect((await deleted('saves')).map((x) => x.id)).toEqual([other.id, gone.id]);
    expect((await deleted('saves', '?rom_id=0')).map((x) => x.id)).toEqual([other.id, gone.id]);
  });

  it('shows only the caller\'s own deleted saves and lets no one else read or restore them', async () => {
    const list = await deleted('saves', `?rom_id=${rom}`);
    const d = list[0]!;
    const v = d.versions[0]!;
    expect(await deleted('saves', '', bob)).toEqual([]);
    expect(await deleted('saves', '', admin)).toEqual([]);
    expect((await get(`/api/saves/${d.id}/versions`, bob)).statusCode).toBe(404);
    expect((await get(v.download_path, bob)).statusCode).toBe(404);
    const res = await post(`/api/saves/${d.id}/versions/${v.id}/restore`, {}, bob);
    expect(res.statusCode).toBe(404);
    expect(res.json<{ detail: string }>().detail).toBe(`Version with ID ${v.id} of save ${d.id} not found`);
    expect(await deleted('saves', `?rom_id=${rom}`)).toEqual(list);
  });

  it('leaves out saves of ROMs hidden from the caller', async () => {
    const s = await upload('saves', `rom_id=${hiddenRom}`, 'Secret.srm', 'secret');
    await remove('saves', s.id);
    expect((await deleted('saves', `?rom_id=${hiddenRom}`)).map((x) => x.id)).toEqual([s.id]);
    await new PermissionsRepository(ctx().db.kysely).addHidden('roms', hiddenRom, { userId: alice.user.id }, Date.now());
    expect(await deleted('saves', `?rom_id=${hiddenRom}`)).toEqual([]);
    expect((await deleted('saves')).map((x) => x.id)).not.toContain(s.id);
  });

  it('restores a deleted save under its id; it leaves the list; a taken name answers 409', async () => {
    const [d] = await deleted('saves', `?rom_id=${rom}`);
    const restored = await post(`/api/saves/${d!.id}/versions/${d!.versions[0]!.id}/restore`, {});
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<Asset>()).toMatchObject({ id: d!.id, file_name: 'Gone.srm', file_path: d!.file_path });
    expect((await get(`/api/saves/${d!.id}/content`)).body).toBe('gone-2');
    expect((await deleted('saves', `?rom_id=${rom}`)).map((x) => x.id)).toEqual([]);

    // Deleted again, and the name is taken by a new save meanwhile: the old one stays listed and restorable later.
    await remove('saves', d!.id);
    const taken = await upload('saves', `rom_id=${rom}&emulator=mgba`, 'Gone.srm', 'newcomer');
    const [again] = await deleted('saves', `?rom_id=${rom}`);
    expect(again?.id).toBe(d!.id);
    const conflict = await post(`/api/saves/${d!.id}/versions/${again!.versions[0]!.id}/restore`, {});
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json<{ detail: string }>().detail).toBe(`Save with ID ${taken.id} now has the file name 'Gone.srm'`);
  });

  it('lists and restores deleted states the same way', async () => {
    const s = await upload('states', `rom_id=${rom}&emulator=snes9x`, 'Game.state1', 'state-1');
    await upload('states', `rom_id=${rom}&emulator=snes9x`, 'Game.state1', 'state-2');
    await remove('states', s.id);
    const list = await deleted('states', `?rom_id=${rom}`);
    expect(list.map((x) => [x.id, x.file_name, x.emulator, x.slot])).toEqual([[s.id, 'Game.state1', 'snes9x', null]]);
    expect(Object.keys(list[0]!)).toEqual(DELETED_KEYS);
    expect(list[0]!.versions.map((v) => [v.reason, v.content_hash])).toEqual([['delete', md5('state-2')], ['overwrite', md5('state-1')]]);
    expect(await deleted('states', '', bob)).toEqual([]);
    expect((await post(`/api/states/${s.id}/versions/${list[0]!.versions[1]!.id}/restore`, {}, bob)).statusCode).toBe(404);

    const back = await post(`/api/states/${s.id}/versions/${list[0]!.versions[1]!.id}/restore`, {});
    expect(back.statusCode, back.body).toBe(200);
    expect((await get(`/api/states/${s.id}/content`)).body).toBe('state-1');
    expect(await deleted('states', `?rom_id=${rom}`)).toEqual([]);
  });

  it('answers bad queries with 422 and a detail (as every validation error), never 500', async () => {
    for (const q of ['?rom_id=abc', '?rom_id=1.5', `?rom_id=${2 ** 40}`]) {
      for (const kind of ['saves', 'states']) {
        const res = await get(`/api/${kind}/deleted${q}`);
        expect(res.statusCode, `${kind} ${q}`).toBe(422);
        expect(res.json<{ detail: unknown }>().detail).toBeTruthy();
      }
    }
    expect((await t.app.inject({ url: '/api/saves/deleted' })).statusCode).toBe(401);
  });
});
