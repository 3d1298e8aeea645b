import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROMSHELF_BIN = path.resolve('bin/romshelf');

export interface CliRun { code: number | null; stdout: string; stderr: string }

export interface CliOptions {
  /** Extra arguments for node itself, before the script (e.g. `--require` a preload). */
  nodeArgs?: string[];
  /** Killed with SIGKILL after this long. */
  timeoutMs?: number;
}

/** Runs `bin/romshelf` in its own process with silent logs and the given environment on top of this one's. */
export function runCli(args: string[], env: Record<string, string>, options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ROMSHELF_BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', LIBRETRO_API_ENABLED: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
