import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { PermissionsRepository } from '../../src/db/repositories/permissions-repository.ts';

const SESSION_KEYS = [
  'id', 'user_id', 'device_id', 'rom_id', 'sync_session_id', 'save_slot', 'start_time', 'end_time', 'duration_ms', 'created_at', 'updated_at',
];
const OFFSET = /(\+00:00|Z)$/;
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describeEachEngine('/api/play-sessions (RomM 5)', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let mario: number;
  let zelda: number;
  let secret: number;
  let aliceDevice: string;
  let bobDevice: string;
  const call = (as: TestUser | string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method, url,
      headers: as === null ? {} : { authorization: typeof as === 'string' ? `Bearer ${as}` : as.basic },
      ...(payload ? { payload } : {}),
    });
  const session = (romId: number | null, startMs: number, minutes = 30, extra: object = {}) => ({
    rom_id: romId, start_time: iso(startMs), end_time: iso(startMs + minutes * 60_000), duration_ms: minutes * 60_000, ...extra,
  });
  const romUser = (romId: number, userId: number) =>
    ctx().db.kysely.selectFrom('rom_user').selectAll().where('rom_id', '=', romId).where('user_id', '=', userId).executeTakeFirst();
  const token = async (as: TestUser, scopes: string[], deviceId?: string) => {
    const res = (await call(as, 'POST', '/api/client-tokens', { name: `t${Math.random()}`, scopes })).json();
    if (deviceId) await ctx().db.kysely.updateTable('client_tokens').set({ device_id: deviceId }).where('id', '=', res.id).execute();
    return res.raw_token as string;
  };

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer');
    bob = await createUser(t.services, 'viewer');
    admin = await createUser(t.services, 'admin');
    const k = ctx().db.kysely;
    const snes = await createPlatform(k, 'snes');
    mario = await createRom(k, { platformId: snes, fsName: 'Mario.sfc', name: 'Super Mario World' });
    zelda = await createRom(k, { platformId: snes, fsName: 'Zelda.sfc', name: 'Zelda' });
    secret = await createRom(k, { platformId: snes, fsName: 'Secret.sfc', name: 'Secret' });
    await new PermissionsRepository(k).addHidden('roms', secret, { userId: alice.user.id }, Date.now());
    aliceDevice = (await call(alice, 'POST', '/api/devices', { name: 'Handheld', client: 'grout' })).json().device_id;
    bobDevice = (await call(bob, 'POST', '/api/devices', { name: 'Bob TV', client: 'argosy' })).json().device_id;
  });
  afterAll(async () => t?.app.close());

  it('ingests a batch (201), lists it in RomM\'s shape with UTC offsets, newest first', async () => {
    const base = Date.UTC(2026, 5, 1, 10, 0, 0);
    const res = await call(alice, 'POST', '/api/play-sessions', {
      device_id: aliceDevice,
      sessions: [session(mario, base), { ...session(zelda, base + HOUR), start_time: '2026-06-01T13:00:00.987654+02:00', end_time: '2026-06-01T13:20:00+02:00', duration_ms: 1_200_000, save_slot: 'slot1' }],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['results', 'created_count', 'skipped_count']);
    expect(body.created_count).toBe(2);
    expect(body.skipped_count).toBe(0);
    expect(body.results.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    expect(Object.keys(body.results[0])).toEqual(['index', 'status', 'id', 'detail']);
    expect(body.results[0]).toMatchObject({ status: 'created', detail: null });

    const list = await call(alice, 'GET', `/api/play-sessions?device_id=${aliceDevice}`);
    expect(list.statusCode).toBe(200);
    const rows = list.json();
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0])).toEqual(SESSION_KEYS);
    // Zelda started at 11:00 UTC (13:00+02:00, fractions dropped), after Mario's 10:00.
    expect(rows[0]).toMatchObject({
      id: body.results[1].id, user_id: alice.user.id, device_id: aliceDevice, rom_id: zelda, sync_session_id: null, save_slot: 'slot1',
      start_time: '2026-06-01T11:00:00+00:00', end_time: '2026-06-01T11:20:00+00:00', duration_ms: 1_200_000,
    });
    expect(rows[1]).toMatchObject({ rom_id: mario, start_time: '2026-06-01T10:00:00+00:00', save_slot: null });
    for (const row of rows) for (const k of ['start_time', 'end_time', 'created_at', 'updated_at']) expect(row[k]).toMatch(OFFSET);
  });

  it('moves last_played (only forwards), sets now_playing and rewinds a finished status', async () => {
    const k = ctx().db.kysely;
    const before = await romUser(mario, alice.user.id);
    expect(Number(before?.last_played)).toBe(Date.UTC(2026, 5, 1, 10, 30, 0));
    expect(before?.now_playing).toBeTruthy();
    expect(before?.status).toBe('incomplete');

    await k.updateTable('rom_user').set({ status: 'finished', now_playing: 0 }).where('rom_id', '=', mario).where('user_id', '=', alice.user.id).execute();
    // An older session: stored, but last_played and status stay.
    await call(alice, 'POST', '/api/play-sessions', { sessions: [session(mario, Date.UTC(2026, 0, 1))] });
    let row = await romUser(mario, alice.user.id);
    expect(Number(row?.last_played)).toBe(Date.UTC(2026, 5, 1, 10, 30, 0));
    expect(row?.status).toBe('finished');
    // A newer one moves both.
    const newer = Date.now() - HOUR;
    await call(alice, 'POST', '/api/play-sessions', { sessions: [session(mario, newer, 10), session(mario, newer - 2 * HOUR, 10)] });
    row = await romUser(mario, alice.user.id);
    expect(Number(row?.last_played)).toBe(Math.floor((newer + 600_000) / 1000) * 1000);
    expect(row?.status).toBe('incomplete');
    expect(row?.now_playing).toBeTruthy();
    // A status set on purpose stays.
    await k.updateTable('rom_user').set({ status: 'completed_100' }).where('rom_id', '=', mario).where('user_id', '=', alice.user.id).execute();
    await call(alice, 'POST', '/api/play-sessions', { sessions: [session(mario, Date.now() - 20 * 60_000, 10)] });
    expect((await romUser(mario, alice.user.id))?.status).toBe('completed_100');
    // The ROM detail shows it.
    const detail = (await call(alice, 'GET', `/api/roms/${mario}`)).json();
    expect(detail.rom_user.last_played).toMatch(OFFSET);
  });

  it('marks duplicates (stored or within the batch), future ends and impossible durations, grouped as RomM lists them', async () => {
    const base = Date.UTC(2026, 2, 3, 4, 5, 6);
    await call(alice, 'POST', '/api/play-sessions', { sessions: [session(zelda, base)] });
    const res = await call(alice, 'POST', '/api/play-sessions', {
      sessions: [
        session(zelda, base + HOUR),
        session(zelda, base),
        session(zelda, Date.now() + HOUR),
        session(zelda, base + HOUR),
        session(zelda, base + 2 * HOUR, 10, { duration_ms: 11 * 60_000 }),
        session(null, base),
      ],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.results.map((r: { index: number; status: string }) => [r.index, r.status])).toEqual([
      [2, 'error'], [4, 'error'], [1, 'duplicate'], [3, 'duplicate'], [0, 'created'], [5, 'created'],
    ]);
    expect(body.results[0].detail).toBe('end_time is too far in the future');
    expect(body.results[1].detail).toBe('duration_ms exceeds the time between start_time and end_time');
    expect(body.results[2]).toEqual({ index: 1, status: 'duplicate', id: null, detail: null });
    expect(body.created_count).toBe(2);
    expect(body.skipped_count).toBe(4);
    // Without a device, the same (rom, start) is a different identity from the device's one.
    const again = (await call(alice, 'POST', '/api/play-sessions', { device_id: aliceDevice, sessions: [session(zelda, base)] })).json();
    expect(again.results[0].status).toBe('created');
  });

  it('answers RomM\'s 400s and 422s for bad batches and times', async () => {
    const empty = await call(alice, 'POST', '/api/play-sessions', { sessions: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ detail: 'Payload must contain at least one session' });
    const big = await call(alice, 'POST', '/api/play-sessions', { sessions: Array.from({ length: 101 }, (_, i) => session(mario, Date.UTC(2020, 0, 1) + i * HOUR)) });
    expect(big.statusCode).toBe(400);
    expect(big.json()).toEqual({ detail: 'Batch size exceeds maximum of 100' });

    const backwards = await call(alice, 'POST', '/api/play-sessions', { sessions: [{ rom_id: mario, start_time: '2026-01-01T10:00:00Z', end_time: '2026-01-01T09:00:00Z', duration_ms: 0 }] });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().detail[0]).toMatchObject({ loc: ['body', 'sessions', 0], msg: 'Value error, end_time must be after start_time' });
    // Equal after the fractions are dropped.
    const same = await call(alice, 'POST', '/api/play-sessions', { sessions: [{ rom_id: mario, start_time: '2026-01-01T10:00:00.1Z', end_time: '2026-01-01T10:00:00.9Z', duration_ms: 0 }] });
    expect(same.statusCode).toBe(422);
    const garbage = await call(alice, 'POST', '/api/play-sessions', { sessions: [{ rom_id: mario, start_time: 'yesterday', end_time: '2026-01-01T10:00:00Z', duration_ms: 0 }] });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().detail[0].loc).toEqual(['body', 'sessions', 0, 'start_time']);
    // Unix times, as pydantic reads them: seconds, or milliseconds above 2e10.
    const unix = await call(alice, 'POST', '/api/play-sessions', { sessions: [{ rom_id: null, start_time: 1_577_836_800, end_time: 1_577_840_400_000, duration_ms: 60_000 }] });
    expect(unix.json().results[0].status).toBe('created');
    const unixRow = (await call(alice, 'GET', '/api/play-sessions?start_after=2020-01-01T00:00:00Z&end_before=2020-01-01T00:00:00Z')).json();
    expect(unixRow).toEqual([expect.objectContaining({ start_time: '2020-01-01T00:00:00+00:00', end_time: '2020-01-01T01:00:00+00:00' })]);
    const badDay = await call(alice, 'POST', '/api/play-sessions', { sessions: [session(mario, 0, 1, { start_time: '2026-02-30T10:00:00Z' })] });
    expect(badDay.statusCode).toBe(422);
    for (const s of [session(mario, Date.UTC(2026, 0, 1), 10, { duration_ms: -1 }), session(99_999_999_999, Date.UTC(2026, 0, 1)), { rom_id: mario }]) {
      const res = await call(alice, 'POST', '/api/play-sessions', { sessions: [s] });
      expect(res.statusCode).toBe(422);
      expect(Array.isArray(res.json().detail)).toBe(true);
    }
    expect((await call(alice, 'POST', '/api/play-sessions', { device_id: aliceDevice })).statusCode).toBe(422);
    expect((await call(alice, 'GET', '/api/play-sessions?start_after=soon')).statusCode).toBe(422);
    expect((await call(alice, 'GET', '/api/play-sessions?rom_id=abc')).statusCode).toBe(422);
  });

  it('unknown or hidden ROMs and other users\' devices are stored as null, as RomM does with unknown ones', async () => {
    const base = Date.UTC(2025, 6, 1);
    const res = (await call(alice, 'POST', '/api/play-sessions', {
      device_id: bobDevice, sessions: [session(123456, base), session(secret, base + HOUR)],
    })).json();
    expect(res.created_count).toBe(2);
    const rows = (await call(alice, 'GET', `/api/play-sessions?start_after=${iso(base)}&end_before=${iso(base + HOUR)}`)).json();
    expect(rows.map((r: { rom_id: number | null; device_id: string | null }) => [r.rom_id, r.device_id])).toEqual([[null, null], [null, null]]);
    // Bob's device's last_seen is not Alice's to move, and the hidden ROM gains no rom_user row.
    expect(await romUser(secret, alice.user.id)).toBeUndefined();
  });

  it('filters by rom, device, time window (start_time on both ends), limit and offset', async () => {
    const all = (await call(alice, 'GET', '/api/play-sessions?limit=1000')).json();
    expect(all.length).toBeGreaterThan(6);
    const starts = all.map((r: { start_time: string }) => Date.parse(r.start_time));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    expect((await call(alice, 'GET', '/api/play-sessions')).json().length).toBeLessThanOrEqual(50);
    const byRom = (await call(alice, 'GET', `/api/play-sessions?rom_id=${zelda}&limit=1000`)).json();
    expect(byRom.length).toBeGreaterThan(0);
    expect(byRom.every((r: { rom_id: number }) => r.rom_id === zelda)).toBe(true);
    const page = (await call(alice, 'GET', '/api/play-sessions?limit=2&offset=1')).json();
    expect(page.map((r: { id: number }) => r.id)).toEqual(all.slice(1, 3).map((r: { id: number }) => r.id));
    // end_before compares start_time, and a time filter drops the limit.
    const win = (await call(alice, 'GET', `/api/play-sessions?start_after=2026-06-01T10:00:00Z&end_before=2026-06-01T11:00:00%2B00:00&limit=1`)).json();
    expect(win.map((r: { rom_id: number }) => r.rom_id)).toEqual([zelda, mario]);
    // A device-bound token sees its device's sessions unless it names another.
    const bound = await token(alice, ['roms.user.read'], aliceDevice);
    const mine = (await call(bound, 'GET', '/api/play-sessions?limit=1000')).json();
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r: { device_id: string }) => r.device_id === aliceDevice)).toBe(true);
  });

  it('a device-bound token\'s sessions are filed under its device', async () => {
    const bound = await token(alice, ['roms.user.write', 'roms.user.read'], aliceDevice);
    const res = (await call(bound, 'POST', '/api/play-sessions', { sessions: [session(mario, Date.UTC(2024, 1, 1))] })).json();
    const rows = (await call(alice, 'GET', `/api/play-sessions?start_after=2024-02-01T00:00:00Z&end_before=2024-02-01T00:00:00Z`)).json();
    expect(rows).toEqual([expect.objectContaining({ id: res.results[0].id, device_id: aliceDevice })]);
  });

  it('isolates users: listing, deleting; DELETE answers 204 then 404', async () => {
    const mine = (await call(alice, 'GET', '/api/play-sessions?limit=1')).json()[0];
    expect((await call(bob, 'GET', '/api/play-sessions?limit=1000')).json()).toEqual([]);
    // Not even an admin lists or deletes another user's sessions (RomM scopes every query by the caller).
    expect((await call(admin, 'GET', '/api/play-sessions?limit=1000')).json()).toEqual([]);
    const foreign = await call(bob, 'DELETE', `/api/play-sessions/${mine.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ detail: `Play session ${mine.id} not found` });
    expect((await call(admin, 'DELETE', `/api/play-sessions/${mine.id}`)).statusCode).toBe(404);
    expect((await call(alice, 'DELETE', `/api/play-sessions/${mine.id}`)).statusCode).toBe(204);
    expect((await call(alice, 'DELETE', `/api/play-sessions/${mine.id}`)).statusCode).toBe(404);
    expect((await call(alice, 'DELETE', '/api/play-sessions/abc')).statusCode).toBe(422);
  });

  it('needs roms.user.read / roms.user.write', async () => {
    expect((await call(null, 'GET', '/api/play-sessions')).statusCode).toBe(401);
    expect((await call(null, 'POST', '/api/play-sessions', { sessions: [] })).statusCode).toBe(401);
    const readOnly = await token(alice, ['roms.user.read']);
    expect((await call(readOnly, 'GET', '/api/play-sessions')).statusCode).toBe(200);
    expect((await call(readOnly, 'POST', '/api/play-sessions', { sessions: [session(mario, Date.UTC(2023, 0, 1))] })).statusCode).toBe(403);
    expect((await call(readOnly, 'DELETE', '/api/play-sessions/1')).statusCode).toBe(403);
    const writeOnly = await token(alice, ['roms.user.write']);
    expect((await call(writeOnly, 'GET', '/api/play-sessions')).statusCode).toBe(403);
  });

  it('deleting a device or ROM keeps the sessions, unlinked', async () => {
    const { device_id } = (await call(alice, 'POST', '/api/devices', { name: 'Temp' })).json();
    const k = ctx().db.kysely;
    const snes = Number((await k.selectFrom('roms').select('platform_id').where('id', '=', mario).executeTakeFirstOrThrow()).platform_id);
    const doomed = await createRom(k, { platformId: snes, fsName: 'Doomed.sfc' });
    const res = (await call(alice, 'POST', '/api/play-sessions', { device_id, sessions: [session(doomed, Date.UTC(2022, 0, 1))] })).json();
    await call(alice, 'DELETE', `/api/devices/${device_id}`);
    await k.deleteFrom('rom_user').where('rom_id', '=', doomed).execute();
    await k.deleteFrom('rom_files').where('rom_id', '=', doomed).execute();
    await k.deleteFrom('rom_facets').where('rom_id', '=', doomed).execute();
    await k.deleteFrom('roms').where('id', '=', doomed).execute();
    const rows = (await call(alice, 'GET', '/api/play-sessions?start_after=2022-01-01T00:00:00Z&end_before=2022-01-01T00:00:00Z')).json();
    expect(rows).toEqual([expect.objectContaining({ id: res.results[0].id, device_id: null, rom_id: null })]);
  });

  it('deleting a user removes their sessions and live entries', async () => {
    const carol = await createUser(t.services, 'viewer');
    const { device_id } = (await call(carol, 'POST', '/api/devices', { name: 'Carol\'s' })).json();
    expect((await call(carol, 'POST', '/api/play-sessions', { device_id, sessions: [session(mario, Date.UTC(2021, 0, 1))] })).statusCode).toBe(201);
    expect((await call(carol, 'POST', '/api/activity/heartbeat', { rom_id: mario, device_id })).statusCode).toBe(200);
    const del = await call(admin, 'DELETE', `/api/users/${carol.user.id}`);
    expect(del.statusCode, del.body).toBeLessThan(300);
    const k = ctx().db.kysely;
    expect(await k.selectFrom('play_sessions').select('id').where('user_id', '=', carol.user.id).execute()).toEqual([]);
    expect(await k.selectFrom('activity_entries').select('rom_id').where('user_id', '=', carol.user.id).execute()).toEqual([]);
    expect((await call(admin, 'GET', '/api/activity')).json()).toEqual([]);
  });
});
