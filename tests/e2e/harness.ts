import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../src/api/app.ts';
import { composeServices, type ComposeOptions, type Services } from '../../src/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openConfiguredDatabase } from '../../src/startup.ts';
import { freePort } from '../helpers/server-process.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = process.env.ROMSHELF_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

/** Why browser tests cannot run here, or null when Chromium is installed. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set ROMSHELF_CHROMIUM)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** Builds web/dist if its sources changed since the last build (a no-op when up to date). */
export function ensureWebBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/build-web.ts', '--strict'], {
    cwd: ROOT, stdio: 'pipe', encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`web UI build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface RunningServer {
  baseUrl: string;
  dataPath: string;
  libraryPath: string;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `bin/romshelf serve` as a user runs it, on a scratch data dir and the given library. */
export async function startServer(libraryPath: string, env: Record<string, string> = {}, existingDataPath?: string): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-e2e-'));
  const dataPath = existingDataPath ?? path.join(dir, 'data');
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/romshelf'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_PATH: dataPath, LIBRARY_PATH: libraryPath,
      SCAN_ON_START: 'false', SCAN_INTERVAL_SECONDS: '0', LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '4', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/api/heartbeat`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    baseUrl, dataPath, libraryPath, dir, process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface InProcessServer {
  baseUrl: string;
  services: Services;
  stop(): Promise<void>;
}

/**
 * The server built in this process through the same composition root as `romshelf serve`, for tests that must add
 * to it (fake metadata providers that `serve` cannot load). SQLite in a scratch DATA_PATH.
 */
export async function startInProcessServer(libraryPath: string, compose: ComposeOptions = {}): Promise<InProcessServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-e2e-'));
  const config = loadConfig({
    DATA_PATH: path.join(dir, 'data'), LIBRARY_PATH: libraryPath, HOST: '127.0.0.1', PORT: '0', SCAN_ON_START: 'false',
    SCAN_INTERVAL_SECONDS: '0', PASSWORD_HASH_COST: '4', LOG_LEVEL: 'warn',
  });
  await mkdir(config.dataPath, { recursive: true });
  const db = await openConfiguredDatabase(config);
  const services = composeServices(config, db, 'e2e-secret-0123456789abcdef0123456789abcdef', pino({ level: 'silent' }), compose);
  const { app } = await buildApp({ config, db, services });
  await app.listen({ port: await freePort(), host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`, services,
    async stop() {
      services.scans.cancel();
      await services.scans.done()?.catch(() => undefined);
      await app.close();
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
