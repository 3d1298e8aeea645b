import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { ROMSHELF_BIN } from './cli.ts';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (SIGKILL after 15 s), resolved once the process is gone. */
  stop(): Promise<void>;
}

/**
 * `bin/romshelf serve` in its own process on a free port, resolved once `/api/heartbeat` answers (polled; up to
 * `readyMs`, generous for a busy machine).
 */
export async function spawnServer(env: Record<string, string>, readyMs = 120_000, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, ROMSHELF_BIN, 'serve'], {
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', SCAN_ON_START: 'false', SCAN_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '4', LIBRETRO_API_ENABLED: 'false', ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const server: ServerProcess = {
    baseUrl: `http://127.0.0.1:${port}`, port, child,
    stderr: () => stderr,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await gone;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
    },
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${stderr}`);
    }
    try {
      const res = await fetch(`${server.baseUrl}/api/heartbeat`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill9();
      throw new Error(`server did not answer /api/heartbeat within ${readyMs} ms:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
