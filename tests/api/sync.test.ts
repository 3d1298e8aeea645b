import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';

interface Op {
  action: string; rom_id: number; save_id: number | null; file_name: string; slot: string | null; emulator: string | null;
  reason: string; server_updated_at: string | null; server_content_hash: string | null;
}
interface Negotiation { session_id: number; operations: Op[]; total_upload: number; total_download: number; total_conflict: number; total_no_op: number }
interface Session {
  id: number; device_id: string; user_id: number; status: string; initiated_at: string; completed_at: string | null;
  operations_planned: number; operations_completed: number; operations_failed: number; error_message: string | null;
  created_at: string; updated_at: string;
}
interface Save { id: number; file_name: string; slot: string | null; content_hash: string | null; updated_at: string }

const OP_KEYS = ['action', 'rom_id', 'save_id', 'file_name', 'slot', 'emulator', 'reason', 'server_updated_at', 'server_content_hash'];
const SESSION_KEYS = [
  'id', 'device_id', 'user_id', 'status', 'initiated_at', 'completed_at', 'operations_planned', 'operations_completed',
  'operations_failed', 'error_message', 'created_at', 'updated_at',
];

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();
const PAST = iso(Date.UTC(2020, 0, 1));
const FUTURE = () => iso(Date.now() + 3_600_000);

function multipart(filename: string, data: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----romshelf-sync-test';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="saveFile"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(data), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachEngine('save sync routes', (ctx) => {
  let t: TestApp;
  let rom: number;
  let rom2: number;

  type Who = TestUser | string;
  const auth = (who: Who) => ({ authorization: typeof who === 'string' ? `Bearer ${who}` : who.basic });
  const call = (who: Who, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    t.app.inject({ method, url, headers: auth(who), ...(body === undefined ? {} : { payload: body as object }) });
  const device = async (who: TestUser, extra: object = {}) =>
    (await call(who, 'POST', '/api/devices', { name: 'dev', allow_duplicate: true, ...extra })).json<{ device_id: string }>().device_id;
  const entry = (romId: number, content: string, updatedAt: string, slot: string | null = 'autosave', extra: object = {}) => ({
    rom_id: romId, file_name: 'Game.srm', slot, emulator: 'mgba', content_hash: md5(content), updated_at: updatedAt,
    file_size_bytes: content.length, ...extra,
  });
  const negotiate = async (who: Who, deviceId: string | null, saves: object[]) => {
    const res = await call(who, 'POST', '/api/sync/negotiate', { ...(deviceId === null ? {} : { device_id: deviceId }), saves });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Negotiation>();
  };
  const upload = async (who: Who, query: string, data: string, name = 'Game.srm', method: 'POST' | 'PUT' = 'POST', url = '/api/saves') => {
    const body = multipart(name, data);
    return t.app.inject({ method, url: `${url}?${query}`, payload: body.payload, headers: { ...body.headers, ...auth(who) } });
  };
  const uploadOk = async (who: Who, query: string, data: string, name = 'Game.srm') => {
    const res = await upload(who, query, data, name);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Save>();
  };
  const token = async (who: TestUser, scopes: string[], deviceId?: string) => {
    const res = (await call(who, 'POST', '/api/client-tokens', { name: `t${Math.random()}`, scopes })).json<{ id: number; raw_token: string }>();
    if (deviceId) await ctx().db.kysely.updateTable('client_tokens').set({ device_id: deviceId }).where('id', '=', res.id).execute();
    return res.raw_token;
  };
  const session = async (who: Who, id: number) => (await call(who, 'GET', `/api/sync/sessions/${id}`)).json<Session>();
  const user = () => createUser(t.services, 'viewer');

  beforeAll(async () => {
    t = await createTestApp(ctx());
    const db = ctx().db.kysely;
    const gba = await createPlatform(db, 'gba');
    rom = await createRom(db, { platformId: gba, fsName: 'Game (USA).gba' });
    rom2 = await createRom(db, { platformId: gba, fsName: 'Other.gba' });
  });

  it('new on the device: upload with the client fields echoed; a null slot always uploads', async () => {
    const u = await user();
    const dev = await device(u);
    await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${dev}`, 'same');
    const res = await negotiate(u, dev, [
      entry(rom2, 'a', PAST),
      entry(rom, 'same', PAST, null, { file_name: 'Manual.srm', emulator: null }),
    ]);
    expect(Object.keys(res)).toEqual(['session_id', 'operations', 'total_upload', 'total_download', 'total_conflict', 'total_no_op']);
    expect(res.operations[0]).toEqual({
      action: 'upload', rom_id: rom2, save_id: null, file_name: 'Game.srm', slot: 'autosave', emulator: 'mgba',
      reason: 'Save exists on client but not on server', server_updated_at: null, server_content_hash: null,
    });
    expect(Object.keys(res.operations[0]!)).toEqual(OP_KEYS);
    expect(res.operations[1]).toMatchObject({ action: 'upload', rom_id: rom, save_id: null, file_name: 'Manual.srm', slot: null, emulator: null });
    // The slotted server save the client did not mention is synced and unchanged: skipped.
    expect(res.operations).toHaveLength(2);
    expect([res.total_upload, res.total_download, res.total_conflict, res.total_no_op]).toEqual([2, 0, 0, 0]);
  });

  it('new on the server: download with the server save; older rows of a slot are never offered', async () => {
    const u = await user();
    const up = await device(u);
    const first = await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${up}`, 'one');
    const second = await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${up}`, 'two', 'Second.srm');
    expect(second.id).not.toBe(first.id);
    const other = await device(u);
    const res = await negotiate(u, other, []);
    expect(res.operations).toEqual([{
      action: 'download', rom_id: rom, save_id: second.id, file_name: second.file_name, slot: 'autosave', emulator: null,
      reason: 'Save exists on server but not on client', server_updated_at: second.updated_at, server_content_hash: md5('two'),
    }]);
    expect(res.total_download).toBe(1);
  });

  it('no sync history: the newer side wins, equal content is a no-op, equal times with other content conflict', async () => {
    const u = await user();
    const up = await device(u);
    const save = await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${up}`, 'server');
    const dev = await device(u);
    const cases: [object, string, string][] = [
      [entry(rom, 'client', PAST), 'download', 'Server save is newer (no sync history)'],
      [entry(rom, 'client', 946_684_800 as unknown as string), 'download', 'Server save is newer (no sync history)'],
      [entry(rom, 'client', String(Date.now() + 3_600_000)), 'upload', 'Client save is newer (no sync history)'],
      [entry(rom, 'client', '2999-01-01T00:00:00'), 'upload', 'Client save is newer (no sync history)'],
      [entry(rom, 'client', FUTURE()), 'upload', 'Client save is newer (no sync history)'],
      [entry(rom, 'server', PAST), 'no_op', 'Content is identical'],
      [entry(rom, 'client', save.updated_at), 'conflict', 'Same timestamp but different content'],
      [entry(rom, 'x', save.updated_at, 'autosave', { content_hash: null }), 'conflict', 'Same timestamp but different content'],
    ];
    for (const [client, action, reason] of cases) {
      const res = await negotiate(u, dev, [client]);
      expect(res.operations).toEqual([{
        action, rom_id: rom, save_id: save.id, file_name: save.file_name, slot: 'autosave', emulator: null, reason,
        server_updated_at: save.updated_at, server_content_hash: md5('server'),
      }]);
    }
    // Pairing is on (rom, slot) only: another slot of the same ROM is a new save.
    expect((await negotiate(u, dev, [entry(rom, 'server', PAST, 'slot2')])).operations.map((o) => o.action)).toEqual(['upload', 'download']);
  });

  it('with sync history: changed sides decide; both changed is a conflict; unchanged is a no-op', async () => {
    const u = await user();
    const a = await device(u);
    const b = await device(u);
    const save = await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${a}`, 'v1');
    expect((await call(u, 'POST', `/api/saves/${save.id}/downloaded`, { device_id: b })).statusCode).toBe(200);
    const synced = Date.parse(save.updated_at);
    const before = iso(synced - 60_000);
    const after = iso(synced + 1);
    expect((await negotiate(u, a, [entry(rom, 'local', before)])).operations[0]).toMatchObject({ action: 'no_op', reason: 'No changes since last sync' });
    expect((await negotiate(u, a, [entry(rom, 'local', after)])).operations[0]).toMatchObject({ action: 'upload', reason: 'Client save is newer than last sync' });

    // B rewrites the same save: for A the server changed since its sync.
    const put = await upload(u, `device_id=${b}`, 'v2', 'Game.srm', 'PUT', `/api/saves/${save.id}`);
    expect(put.statusCode, put.body).toBe(200);
    const v2 = put.json<Save>();
    expect(Date.parse(v2.updated_at)).toBeGreaterThan(synced);
    expect((await negotiate(u, a, [entry(rom, 'local', before)])).operations[0]).toMatchObject({
      action: 'download', reason: 'Server save is newer than last sync', server_content_hash: md5('v2'),
    });
    const both = await negotiate(u, a, [entry(rom, 'local', FUTURE())]);
    expect(both.operations[0]).toMatchObject({ action: 'conflict', reason: 'Both sides changed since last sync', save_id: save.id });
    expect(both.total_conflict).toBe(1);
    // Identical content beats any history.
    expect((await negotiate(u, a, [entry(rom, 'v2', FUTURE())])).operations[0]).toMatchObject({ action: 'no_op', reason: 'Content is identical' });

    // Whatever A was told, its upload over the save it has not seen is refused, and nothing is overwritten.
    const refused = await upload(u, `rom_id=${rom}&slot=autosave&device_id=${a}`, 'local');
    expect(refused.statusCode).toBe(409);
    const list = (await call(u, 'GET', `/api/saves?rom_id=${rom}`)).json<Save[]>();
    expect(list.map((s) => s.content_hash)).toEqual([md5('v2')]);
  });

  it('deleted on the device: a synced, unchanged save is left alone; a changed one is offered again', async () => {
    const u = await user();
    const a = await device(u);
    const b = await device(u);
    const save = await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${a}`, 'v1');
    expect((await negotiate(u, a, [])).operations).toEqual([]);
    expect((await call(u, 'POST', `/api/saves/${save.id}/downloaded`, { device_id: b })).statusCode).toBe(200);
    expect((await upload(u, `device_id=${b}`, 'v2', 'Game.srm', 'PUT', `/api/saves/${save.id}`)).statusCode).toBe(200);
    expect((await negotiate(u, a, [])).operations).toEqual([expect.objectContaining({
      action: 'download', save_id: save.id, reason: 'Server save updated since last sync, not present on client',
    })]);
  });

  it('saves of a ROM hidden from the user are not offered; a client save of it negotiates as new', async () => {
    const u = await user();
    const dev = await device(u);
    const db = ctx().db.kysely;
    const gb = await createPlatform(db, `gb${Math.random().toString(36).slice(2, 8)}`);
    const hidden = await createRom(db, { platformId: gb, fsName: 'Later Hidden.gb' });
    const save = await uploadOk(u, `rom_id=${hidden}&slot=autosave`, 'h');
    const other = await device(u);
    expect((await negotiate(u, other, [])).operations.map((o) => o.save_id)).toContain(save.id);
    await new PermissionsRepository(db).addHidden('roms', hidden, { userId: u.user.id }, Date.now());
    expect((await negotiate(u, other, [])).operations.map((o) => o.save_id)).not.toContain(save.id);
    expect((await negotiate(u, dev, [entry(hidden, 'h', PAST)])).operations).toEqual([
      expect.objectContaining({ action: 'upload', rom_id: hidden, save_id: null }),
    ]);
    // The upload itself is refused, so nothing on the server changes.
    expect((await upload(u, `rom_id=${hidden}&slot=autosave&device_id=${dev}`, 'new')).statusCode).toBe(404);
  });

  it('untracked saves: a no-op without server fields when sent, skipped when not', async () => {
    const u = await user();
    const dev = await device(u);
    const save = await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${dev}`, 'v1');
    expect((await call(u, 'POST', `/api/saves/${save.id}/untrack`, { device_id: dev })).statusCode).toBe(200);
    expect((await negotiate(u, dev, [entry(rom, 'other', FUTURE())])).operations).toEqual([{
      action: 'no_op', rom_id: rom, save_id: save.id, file_name: save.file_name, slot: 'autosave', emulator: null,
      reason: 'Save is untracked on this device', server_updated_at: null, server_content_hash: null,
    }]);
    expect((await negotiate(u, dev, [])).operations).toEqual([]);
  });

  it('errors: no device, another user\'s device, sync disabled, bad datetimes; a device-bound token supplies the id', async () => {
    const u = await user();
    const other = await user();
    const theirs = await device(other);
    const dev = await device(u);
    let res = await call(u, 'POST', '/api/sync/negotiate', { saves: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'device_id is required (either in the request payload or implicit via a device-bound client token)' });
    res = await call(u, 'POST', '/api/sync/negotiate', { device_id: theirs, saves: [] });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: `Device with ID ${theirs} not found` });
    res = await call(u, 'POST', '/api/sync/negotiate', { device_id: dev, saves: [entry(rom, 'x', 'yesterday')] });
    expect(res.statusCode).toBe(422);
    res = await call(u, 'POST', '/api/sync/negotiate', { device_id: dev, saves: [{ rom_id: rom, file_name: 'x' }] });
    expect(res.statusCode).toBe(422);
    res = await call(u, 'POST', '/api/sync/negotiate', { device_id: dev, saves: [entry(99_999_999_999, 'x', PAST)] });
    expect(res.statusCode).toBe(422);
    expect((await call(u, 'GET', '/api/sync/sessions')).json()).toEqual([]);

    const bound = await token(u, ['assets.read', 'devices.read'], dev);
    const viaToken = await negotiate(bound, null, [entry(rom2, 'x', PAST)]);
    expect((await session(u, viaToken.session_id)).device_id).toBe(dev);

    expect((await call(u, 'PUT', `/api/devices/${dev}`, { sync_enabled: false })).statusCode).toBe(200);
    res = await call(u, 'POST', '/api/sync/negotiate', { device_id: dev, saves: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'Sync is disabled for this device' });
  });

  it('sessions: negotiate plans, a new negotiate cancels, complete overwrites counters and ingests play sessions', async () => {
    const u = await user();
    const dev = await device(u);
    const first = await negotiate(u, dev, [entry(rom, 'a', PAST), entry(rom2, 'b', PAST)]);
    let s = await session(u, first.session_id);
    expect(Object.keys(s)).toEqual(SESSION_KEYS);
    expect(s).toMatchObject({ device_id: dev, user_id: u.user.id, status: 'IN_PROGRESS', completed_at: null, operations_planned: 2, operations_completed: 0 });
    const lastSeen = (await call(u, 'GET', `/api/devices/${dev}`)).json<{ last_seen: string | null }>().last_seen;
    expect(lastSeen).not.toBeNull();

    const second = await negotiate(u, dev, [entry(rom, 'a', PAST)]);
    s = await session(u, first.session_id);
    expect(s.status).toBe('CANCELLED');
    expect(s.completed_at).not.toBeNull();
    let res = await call(u, 'POST', `/api/sync/sessions/${first.session_id}/complete`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'Session is already CANCELLED' });

    // Transfers naming the session count towards it; complete overwrites the count.
    await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${dev}&session_id=${second.session_id}`, 'a');
    expect((await session(u, second.session_id)).operations_completed).toBe(1);
    const start = Date.now() - 3_600_000;
    res = await call(u, 'POST', `/api/sync/sessions/${second.session_id}/complete`, {
      operations_completed: 5, operations_failed: 1,
      play_sessions: [{ rom_id: rom, save_slot: 'autosave', start_time: iso(start), end_time: iso(start + 600_000), duration_ms: 600_000 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json<{ session: Session; play_session_ingest: { created_count: number; results: { id: number }[] } }>();
    expect(Object.keys(done)).toEqual(['session', 'play_session_ingest']);
    expect(done.session).toMatchObject({ id: second.session_id, status: 'COMPLETED', operations_completed: 5, operations_failed: 1 });
    expect(done.session.completed_at).not.toBeNull();
    expect(done.play_session_ingest.created_count).toBe(1);
    const played = (await call(u, 'GET', '/api/play-sessions')).json<{ device_id: string; sync_session_id: number }[]>();
    expect(played).toEqual([expect.objectContaining({ device_id: dev, sync_session_id: second.session_id })]);
    res = await call(u, 'POST', `/api/sync/sessions/${second.session_id}/complete`, {});
    expect(res.json()).toEqual({ detail: 'Session is already COMPLETED' });

    // Without play sessions the ingest result is null; bad play-session times are a 422 and change nothing.
    const third = await negotiate(u, dev, []);
    res = await call(u, 'POST', `/api/sync/sessions/${third.session_id}/complete`, {
      play_sessions: [{ rom_id: rom, start_time: iso(start), end_time: iso(start), duration_ms: 0 }],
    });
    expect(res.statusCode).toBe(422);
    expect((await session(u, third.session_id)).status).toBe('IN_PROGRESS');
    res = await call(u, 'POST', `/api/sync/sessions/${third.session_id}/complete`, { play_sessions: [] });
    expect(res.json()).toMatchObject({ session: { status: 'COMPLETED', operations_completed: 0 }, play_session_ingest: null });

    const fourth = await negotiate(u, dev, []);
    res = await call(u, 'POST', `/api/sync/sessions/${fourth.session_id}/complete`, { play_sessions: null, operations_failed: 2 });
    expect(res.json()).toMatchObject({ session: { status: 'COMPLETED', operations_failed: 2 }, play_session_ingest: null });

    const other = await device(u);
    await negotiate(u, other, []);
    const all = (await call(u, 'GET', '/api/sync/sessions')).json<Session[]>();
    expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((x, y) => y - x));
    expect(all).toHaveLength(5);
    expect((await call(u, 'GET', `/api/sync/sessions?device_id=${dev}`)).json<Session[]>().map((x) => x.id))
      .toEqual([fourth.session_id, third.session_id, second.session_id, first.session_id]);
    expect((await call(u, 'GET', '/api/sync/sessions?limit=1')).json<Session[]>()).toHaveLength(1);
    expect((await call(u, 'GET', '/api/sync/sessions?limit=-1')).statusCode).toBe(422);

    // Deleting the device deletes its sessions.
    expect((await call(u, 'DELETE', `/api/devices/${dev}`)).statusCode).toBe(204);
    expect((await call(u, 'GET', `/api/sync/sessions/${second.session_id}`)).statusCode).toBe(404);
    expect((await call(u, 'GET', '/api/sync/sessions')).json<Session[]>()).toHaveLength(1);
  });

  it('isolation: another user\'s sessions are 404 and never listed; an upload cannot count towards them', async () => {
    const u = await user();
    const other = await user();
    const dev = await device(u);
    const mine = await negotiate(u, dev, [entry(rom, 'a', PAST)]);
    for (const [method, url] of [['GET', `/api/sync/sessions/${mine.session_id}`], ['POST', `/api/sync/sessions/${mine.session_id}/complete`]] as const) {
      const res = await call(other, method, url, method === 'POST' ? {} : undefined);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: `Sync session with ID ${mine.session_id} not found` });
    }
    expect((await call(other, 'GET', '/api/sync/sessions')).json()).toEqual([]);
    expect((await call(other, 'GET', `/api/sync/sessions?device_id=${dev}`)).json()).toEqual([]);
    await uploadOk(other, `rom_id=${rom}&session_id=${mine.session_id}`, 'theirs');
    expect((await session(u, mine.session_id)).operations_completed).toBe(0);
    expect((await session(u, mine.session_id)).status).toBe('IN_PROGRESS');
    expect((await call(u, 'GET', '/api/sync/sessions/999999999')).statusCode).toBe(404);
    expect((await call(u, 'GET', '/api/sync/sessions/abc')).statusCode).toBe(422);
  });

  it('deleting a user with devices, sessions and synced saves removes them all', async () => {
    const u = await user();
    const admin = await createUser(t.services, 'admin');
    const dev = await device(u);
    const n = await negotiate(u, dev, [entry(rom, 'gone', PAST)]);
    await uploadOk(u, `rom_id=${rom}&slot=autosave&device_id=${dev}&session_id=${n.session_id}`, 'gone');
    await call(u, 'POST', `/api/sync/sessions/${n.session_id}/complete`, {});
    await negotiate(u, dev, []);
    const res = await call(admin, 'DELETE', `/api/users/${u.user.id}`);
    expect(res.statusCode, res.body).toBeLessThan(300);
    const left = await ctx().db.kysely.selectFrom('sync_sessions').select('id').where('user_id', '=', u.user.id).execute();
    expect(left).toEqual([]);
  });

  it('scopes: negotiate needs assets.read and devices.read; complete needs devices.write', async () => {
    const u = await user();
    const dev = await device(u);
    const devicesOnly = await token(u, ['devices.read']);
    const assetsOnly = await token(u, ['assets.read']);
    const readBoth = await token(u, ['assets.read', 'devices.read']);
    expect((await call(devicesOnly, 'POST', '/api/sync/negotiate', { device_id: dev, saves: [] })).statusCode).toBe(403);
    expect((await call(assetsOnly, 'POST', '/api/sync/negotiate', { device_id: dev, saves: [] })).statusCode).toBe(403);
    const n = await negotiate(readBoth, dev, []);
    expect((await call(readBoth, 'GET', '/api/sync/sessions')).statusCode).toBe(200);
    expect((await call(assetsOnly, 'GET', '/api/sync/sessions')).statusCode).toBe(403);
    expect((await call(readBoth, 'POST', `/api/sync/sessions/${n.session_id}/complete`, {})).statusCode).toBe(403);
    expect((await call(readBoth, 'POST', `/api/sync/devices/${dev}/push-pull`)).statusCode).toBe(403);
    const writer = await token(u, ['devices.write']);
    expect((await call(writer, 'POST', `/api/sync/sessions/${n.session_id}/complete`, {})).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/sync/negotiate', payload: { device_id: dev, saves: [] } })).statusCode).toBe(401);
  });

  it('push-pull: RomM\'s checks, then a pending session answered at once; the run fails on the session without known_hosts', async () => {
    const u = await user();
    const other = await user();
    const api = await device(u);
    const pp = await device(u, { sync_mode: 'push_pull', sync_config: { ssh_host: 'handheld.local', save_directories: [{ platform_slug: 'gba', path: '/saves' }] } });
    const theirs = await device(other, { sync_mode: 'push_pull' });
    let res = await call(u, 'POST', `/api/sync/devices/${theirs}/push-pull`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: `Device with ID ${theirs} not found` });
    res = await call(u, 'POST', `/api/sync/devices/${api}/push-pull`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'Device is not in push_pull sync mode' });
    res = await call(u, 'POST', `/api/sync/devices/${'x'.repeat(300)}/push-pull`);
    expect(res.statusCode).toBe(422);

    res = await call(u, 'POST', `/api/sync/devices/${pp}/push-pull`);
    expect(res.statusCode, res.body).toBe(200);
    const pending = res.json<Session>();
    expect(Object.keys(pending)).toEqual(SESSION_KEYS);
    expect(pending).toMatchObject({ device_id: pp, user_id: u.user.id, status: 'PENDING', completed_at: null, operations_planned: 0 });
    await t.services.pushPull.idle();
    const failed = await session(u, pending.id);
    expect(failed).toMatchObject({ status: 'FAILED', operations_completed: 0 });
    expect(failed.error_message).toMatch(/^SSH known_hosts file not found/);
    expect(failed.completed_at).not.toBeNull();
    // Sessions are the owner's only.
    expect((await call(other, 'GET', `/api/sync/sessions/${pending.id}`)).statusCode).toBe(404);

    await call(u, 'PUT', `/api/devices/${pp}`, { sync_enabled: false });
    res = await call(u, 'POST', `/api/sync/devices/${pp}/push-pull`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: 'Sync is disabled for this device' });
    expect((await call(u, 'GET', '/api/sync/sessions')).json<Session[]>().map((s) => s.id)).toEqual([pending.id]);
  });

  it('two devices round trip as an app does it: upload on A, download on B, edit on B, download on A, then a conflict', async () => {
    const u = await user();
    const a = await device(u, { name: 'A' });
    const b = await device(u, { name: 'B' });
    const complete = async (id: number, n: number) =>
      expect((await call(u, 'POST', `/api/sync/sessions/${id}/complete`, { operations_completed: n })).statusCode).toBe(200);

    // A has a save the server lacks.
    const aTime = iso(Date.now() - 60_000);
    let n = await negotiate(u, a, [entry(rom, 'v1', aTime)]);
    expect(n.operations.map((o) => o.action)).toEqual(['upload']);
    // Apps upload under their own file names; slotted names carry a tag, so pairing is on (rom, slot) only.
    const v1 = await uploadOk(u, `rom_id=${rom}&slot=autosave&emulator=mgba&device_id=${a}&session_id=${n.session_id}`, 'v1', 'A.srm');
    expect((await session(u, n.session_id)).operations_completed).toBe(1);
    await complete(n.session_id, 1);

    // B has nothing: download, then confirm.
    n = await negotiate(u, b, []);
    expect(n.operations).toEqual([expect.objectContaining({ action: 'download', save_id: v1.id, server_content_hash: md5('v1') })]);
    const got = await call(u, 'GET', `/api/saves/${v1.id}/content?device_id=${b}&optimistic=false&session_id=${n.session_id}`);
    expect(got.body).toBe('v1');
    expect((await session(u, n.session_id)).operations_completed).toBe(1);
    expect((await call(u, 'POST', `/api/saves/${v1.id}/downloaded`, { device_id: b })).statusCode).toBe(200);
    await complete(n.session_id, 1);
    const bTime = iso(Date.parse(v1.updated_at) - 1000);
    expect((await negotiate(u, b, [entry(rom, 'v1', bTime)])).operations[0]).toMatchObject({ action: 'no_op' });

    // B plays: its save is newer than its last sync.
    n = await negotiate(u, b, [entry(rom, 'v2', FUTURE())]);
    expect(n.operations[0]).toMatchObject({ action: 'upload', reason: 'Client save is newer than last sync' });
    const v2 = await uploadOk(u, `rom_id=${rom}&slot=autosave&emulator=mgba&device_id=${b}`, 'v2', 'B.srm');
    await complete(n.session_id, 1);

    // A still has v1: the server's newest save of the slot is offered.
    n = await negotiate(u, a, [entry(rom, 'v1', aTime)]);
    expect(n.operations).toEqual([expect.objectContaining({ action: 'download', save_id: v2.id, server_content_hash: md5('v2') })]);
    expect((await call(u, 'GET', `/api/saves/${v2.id}/content?device_id=${a}`)).body).toBe('v2');
    await complete(n.session_id, 1);
    expect((await negotiate(u, a, [entry(rom, 'v2', FUTURE())])).operations[0]).toMatchObject({ action: 'no_op', reason: 'Content is identical' });

    // Both edit v2 before syncing: B gets its edit in first; A is told of a conflict and its upload is refused.
    const put = await upload(u, `device_id=${b}`, 'v3-b', 'x.srm', 'PUT', `/api/saves/${v2.id}`);
    expect(put.statusCode, put.body).toBe(200);
    n = await negotiate(u, a, [entry(rom, 'v3-a', FUTURE())]);
    expect(n.operations).toEqual([expect.objectContaining({ action: 'conflict', save_id: v2.id, server_content_hash: md5('v3-b') })]);
    expect((await upload(u, `rom_id=${rom}&slot=autosave&device_id=${a}`, 'v3-a', 'A.srm')).statusCode).toBe(409);
    const saves = (await call(u, 'GET', `/api/saves?rom_id=${rom}`)).json<Save[]>();
    expect(saves.map((s) => s.content_hash).sort()).toEqual([md5('v1'), md5('v3-b')].sort());
    // The overwritten v2 stays as a version.
    const versions = (await call(u, 'GET', `/api/saves/${v2.id}/versions`)).json<{ content_hash: string | null }[]>();
    expect(versions.map((v) => v.content_hash)).toContain(md5('v2'));
  });
});
