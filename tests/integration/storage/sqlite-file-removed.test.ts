import { copyFile, rename, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/engine.ts';
import { createTestApp, createUser, type TestApp } from '../../helpers/app.ts';
import { createTestDb, dropTestDb, type TestDb } from '../../helpers/engines.ts';

// SQLite only by nature: PostgreSQL and MariaDB keep their files behind a server, not under DATA_PATH.
describe('SQLite database file removed or replaced while serving', () => {
  let t: TestDb | undefined;
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.app.close();
    if (t) await dropTestDb(t);
    t = undefined;
    app = undefined;
  });

  async function start() {
    t = await createTestDb('sqlite');
    app = await createTestApp(t);
    const admin = await createUser(app.services, 'admin');
    const post = (name: string) => (app as TestApp).app.inject({
      method: 'POST', url: '/api/collections', headers: { authorization: admin.basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `name=${name}`,
    });
    expect((await post('Before')).statusCode).toBe(200);
    return { file: t.target.location, post };
  }

  async function namesAfterRestart(file: string): Promise<string[]> {
    const db = await openDatabase({ engine: 'sqlite', location: file });
    try {
      return (await db.kysely.selectFrom('collections').select('name').execute()).map((r) => r.name);
    } finally {
      await db.destroy();
    }
  }

  it('refuses writes with 503 once the file and its log are deleted', async () => {
    const { file, post } = await start();
    await Promise.all(['', '-wal', '-shm'].map((s) => rm(`${file}${s}`, { force: true })));
    const res = await post('After');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ detail: expect.stringMatching(/^Database unavailable/) as unknown });
    expect((await post('Again')).statusCode).toBe(503);
  });

  it('refuses writes with 503 once the file is replaced, and the refused write is not in the file a restart opens', async () => {
    const { file, post } = await start();
    await copyFile(file, `${file}.copy`);
    await rename(`${file}.copy`, file);
    const res = await post('After');
    expect(res.statusCode).toBe(503);
    expect(await namesAfterRestart(file)).not.toContain('After');
  });

  it('refuses writes with 503 once only the write-ahead log is deleted', async () => {
    const { file, post } = await start();
    await rm(`${file}-wal`);
    expect((await post('After')).statusCode).toBe(503);
  });
});
