import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';

const FULL_DISK = path.resolve('tests/fixtures/sqlite-max-pages.cjs');

const run = (args: string[], env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 30_000) =>
  runCli(args, { SCAN_ON_START: 'false', PORT: '0', HOST: '127.0.0.1', ...env }, { nodeArgs, timeoutMs });

// SQLite only by nature: the file, its pages and the disk under it belong to PostgreSQL/MariaDB servers otherwise.
describe('full disk and damaged SQLite database', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-storage-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const paths = (name: string) => ({ DATA_PATH: path.join(dir, name, 'data'), LIBRARY_PATH: path.join(dir, name, 'library') });

  it('start-up on a full disk names the disk, not DATABASE_URL', { timeout: 60_000 }, async () => {
    const env = paths('fresh');
    const r = await run(['serve'], env, ['--require', FULL_DISK]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`romshelf: the disk holding ${env.DATA_PATH} is full: free space on it, then retry`);
  });

  it('a scan on a full disk ends with one line naming the disk, not a stack trace', { timeout: 120_000 }, async () => {
    const env = paths('scan');
    expect((await run(['user', 'create', '--username', 'root', '--password', 'pw', '--role', 'admin'], env)).code).toBe(0);
    const platform = path.join(env.LIBRARY_PATH, 'roms', 'nes');
    mkdirSync(platform, { recursive: true });
    for (let i = 0; i < 300; i++) writeFileSync(path.join(platform, `Game number ${i} with a long enough name (USA).nes`), `rom ${i}`);
    const r = await run(['scan', '--type', 'complete'], env, ['--require', FULL_DISK], 90_000);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/SqliteError/);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`romshelf scan: the disk holding ${env.DATA_PATH} is full: free space on it, then retry`);
  });

  it('refuses to serve a database whose middle pages are damaged, saying how to recover', { timeout: 60_000 }, async () => {
    const env = paths('damaged');
    expect((await run(['user', 'create', '--username', 'root', '--password', 'pw', '--role', 'admin'], env)).code).toBe(0);
    const file = path.join(env.DATA_PATH, 'romshelf.db');
    const sqlite = new Database(file);
    sqlite.exec('create table filler (id integer primary key, body blob)');
    const insert = sqlite.prepare('insert into filler (body) values (randomblob(1000))');
    for (let i = 0; i < 2000; i++) insert.run();
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.close();
    const handle = await open(file, 'r+');
    const middle = Math.floor(pages / 2);
    await handle.write(Buffer.alloc(pageSize * 8, 0xa5), 0, pageSize * 8, middle * pageSize);
    await handle.close();

    const r = await run(['serve'], env, [], 30_000);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^romshelf: the SQLite database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(.+\\): .*restore a backup.*\\.recover`));
  });
});
