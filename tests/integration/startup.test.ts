import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROMSHELF_BIN, runCli } from '../helpers/cli.ts';

const run = (args: string[], env: Record<string, string>, timeoutMs = 20_000) => runCli(args, env, { timeoutMs });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('start-up', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-startup-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const base = () => ({ DATA_PATH: path.join(dir, 'data'), LIBRARY_PATH: path.join(dir, 'library') });

  it('explains an unreachable database in one line and exits non-zero', async () => {
    const r = await run(['serve'], { ...base(), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^romshelf: cannot open the postgres database at postgres:\/\/nobody@127\.0\.0\.1:1\/none: .*DATABASE_URL/);
  });

  it('explains an unwritable DATA_PATH', async () => {
    const file = path.join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    const r = await run(['serve'], { ...base(), DATA_PATH: file });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^romshelf: DATA_PATH .* is not a writable directory \(\w+\): create it or point DATA_PATH elsewhere$/);
  });

  it('explains a malformed variable', async () => {
    const r = await run(['serve'], { ...base(), PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('romshelf: configuration error: PORT="eighty" is not a whole number');
  });

  it('checks the scanner variables at start, for the server and for the scan command', async () => {
    const serve = await run(['serve'], { ...base(), SCAN_HASH_WORKERS: 'lots' });
    expect(serve.code).toBe(1);
    expect(serve.stderr.trim()).toBe('romshelf: configuration error: SCAN_HASH_WORKERS="lots" is not a whole number');
    const scan = await run(['scan'], { ...base(), SCAN_SKIP_HASH_CALCULATION: 'maybe' });
    expect(scan.code).toBe(1);
    expect(scan.stderr.trim()).toBe('romshelf: configuration error: SCAN_SKIP_HASH_CALCULATION="maybe" must be true or false');
  });

  it('creates a user from the shell, serves, and shuts down gracefully on SIGTERM', { timeout: 120_000 }, async () => {
    const created = await run(['user', 'create', '--username', 'Root', '--password', 'pw', '--role', 'admin'], base());
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toMatch(/^created admin 'root' \(id \d+\)$/);
    const dup = await run(['user', 'create', '--username', 'root', '--password', 'pw', '--role', 'viewer'], base());
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim()).toBe('romshelf user create: Username root already exists');

    const port = await freePort();
    const child = spawn(process.execPath, [ROMSHELF_BIN, 'serve'], {
      env: { ...process.env, ...base(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', SCAN_ON_START: 'false' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let body: { SYSTEM: { SHOW_SETUP_WIZARD: boolean } } | undefined;
    // Start-up through tsx can take several seconds on a busy 2-core machine.
    const deadline = Date.now() + 60_000;
    while (!body && Date.now() < deadline) {
      try {
        body = (await (await fetch(`http://127.0.0.1:${port}/api/heartbeat`)).json()) as typeof body;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(body?.SYSTEM.SHOW_SETUP_WIZARD).toBe(false);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('prints usage for unknown commands', async () => {
    const r = await run(['frobnicate'], base());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
