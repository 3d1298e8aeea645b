import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';

describeEachEngine('scan task API', (ctx) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ctx());
    admin = await createUser(t.services, 'admin');
    viewer = await createUser(t.services, 'viewer');
    const dir = path.join(t.config.libraryPath, 'roms', 'gba');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, `Game ${i} (USA).gba`), `g${i}`);
  });

  it('admins start a scan, follow it and read its result; one scan at a time', async () => {
    const headers = { authorization: admin.basic };
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers, payload: { type: 'complete' } });
    expect(res.statusCode).toBe(200);
    const task = res.json<{ task_id: string; status: string; task_name: string }>();
    expect(task).toMatchObject({ status: 'started', task_name: 'Scan library' });
    const second = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers, payload: {} });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toEqual({ detail: 'A scan is already in progress' });
    await t.services.scans.done();
    const status = await t.app.inject({ url: `/api/tasks/${task.task_id}`, headers });
    expect(status.json()).toMatchObject({ status: 'finished', task_type: 'scan', meta: { scan_stats: { new_roms: 5, total_roms: 5 } } });
    const missing = await t.app.inject({ url: '/api/tasks/nope', headers });
    expect(missing.statusCode).toBe(404);
  });

  it('rejects unknown scan types and callers without tasks.run', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: admin.basic }, payload: { type: 'everything' } });
    expect(bad.statusCode).toBe(422);
    const denied = await t.app.inject({ method: 'POST', url: '/api/tasks/run/scan_library', headers: { authorization: viewer.basic }, payload: {} });
    expect(denied.statusCode).toBe(403);
  });

  it('cancel stops a running scan', async () => {
    const headers = { authorization: admin.basic };
    t.services.scans.start({ type: 'hashes' });
    const res = await t.app.inject({ method: 'POST', url: '/api/tasks/scan_library/cancel', headers });
    expect(res.statusCode).toBe(200);
    const result = await t.services.scans.done();
    expect(result?.cancelled ?? true).toBe(true);
  });
});
