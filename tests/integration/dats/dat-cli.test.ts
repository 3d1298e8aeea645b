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

  it('dat report lists a platform\'s counts and missing games by name and exits 0; --fixdat writes a Logiqx DAT', async () => {
    // A scanned Game Boy library with one ROM the DAT knows (by hashes, under another name) and one it does not.
    const games = generatedGames('gb', 6);
    writeFileSync(path.join(dir, 'dats', 'gb.dat'), logiqxDat({ name: 'Nintendo - Game Boy' }, games));
    mkdirSync(path.join(dir, 'library', 'roms', 'gb'), { recursive: true });
    writeFileSync(path.join(dir, 'library', 'roms', 'gb', 'Homebrew.gb'), 'not in any DAT');
    const scan = await runCli(['scan', '--metadata', 'none'], env, { timeoutMs: 90_000 });
    expect(scan.code, scan.stderr).toBe(0);
    const report = await runCli(['dat', 'report', '--platform', 'gb'], env, { timeoutMs: 60_000 });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('verified 0, renamed 0, bad dumps 0, unknown 1, missing 6');
    for (const g of games) expect(report.stdout).toContain(`  ${g.name}\n`);
    const fixdat = await runCli(['dat', 'report', '--platform', 'gb', '--fixdat'], env, { timeoutMs: 60_000 });
    expect(fixdat.code).toBe(0);
    expect(fixdat.stdout.match(/<game /g)).toHaveLength(6);
    const unknown = await runCli(['dat', 'report', '--platform', 'nosuch'], env, { timeoutMs: 60_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Platform nosuch not found');
    expect((await runCli(['dat', 'report'], env, { timeoutMs: 60_000 })).code).toBe(2);
  }, 300_000);

  it('prints its usage for an unknown subcommand', async () => {
    const r = await runCli(['dat', 'export'], env, { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: romshelf dat import/);
  }, 90_000);
});
