import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { generatedGames, logiqxDat } from '../../helpers/dat-fixtures.ts';

describe('romshelf dat import', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-dat-cli-'));
    env = { DATA_PATH: path.join(dir, 'data'), LIBRARY_PATH: path.join(dir, 'library'), DATS_PATH: path.join(dir, 'dats') };
    mkdirSync(env.DATS_PATH as string, { recursive: true });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('imports the folder, reports a broken file with its line and exits 1, then finds everything unchanged', async () => {
    writeFileSync(path.join(dir, 'dats', 'gb.dat'), logiqxDat({ name: 'Nintendo - Game Boy' }, generatedGames('gb', 6)));
    writeFileSync(path.join(dir, 'dats', 'bad.dat'), 'clrmamepro ( name x )\ngame ( name "y"\n');
    const first = await runCli(['dat', 'import'], env, { timeoutMs: 60_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('imported gb.dat: 6 games, 6 ROMs');
    expect(first.stdout).toContain("failed bad.dat: line 2: 'game' block opened here is never closed");
    expect(first.stdout).toContain('1 imported, 0 unchanged, 0 removed, 1 failed');

    writeFileSync(path.join(dir, 'dats', 'bad.dat'), 'clrmamepro ( name x )\n');
    const second = await runCli(['dat', 'import'], env, { timeoutMs: 60_000 });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('1 imported, 1 unchanged, 0 removed, 0 failed');
  }, 150_000);

  it('prints its usage for an unknown subcommand', async () => {
    const r = await runCli(['dat', 'export'], env, { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: romshelf dat import/);
  }, 90_000);
});
