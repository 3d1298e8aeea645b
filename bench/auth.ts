import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { basic, countStatuses, hit, percentile, sampleHeartbeat, type Answer } from './lib/auth-http.ts';

/**
 * `npm run bench:auth [-- --seconds S --attackers N]`: a real server on 127.0.0.1 in a child process (SQLite, default
 * settings, bcrypt cost 12), measuring
 * 1. /api/heartbeat p95 with no load (the reference),
 * 2. /api/heartbeat p95 while N clients, each from its own loopback address (so no throttle engages), keep a wrong
 *    password login in flight (retrying after Retry-After when turned away; every 50 ms with --flood), with the
 *    concurrency gate on, and with it effectively off for comparison,
 * 3. how many bcrypt runs an attacker gets, and at what rate, before the per-account and per-address throttles stop
 *    them.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    attackers: { type: 'string', default: '50' },
    flood: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const attackers = Number(values.attackers);
const dir = mkdtempSync(path.join(os.tmpdir(), 'romshelf-bench-auth-'));

interface Server {
  port: number;
  settings: Record<string, number>;
  stop(): Promise<void>;
}

async function startServer(name: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lib', 'auth-server.ts'), dir, name, JSON.stringify(env)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const { port, ...settings } = JSON.parse(line) as { port: number } & Record<string, number>;
  return {
    port,
    settings,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Heartbeat latency while `attackers` loops send wrong passwords until the deadline. */
async function underLoad(port: number, distinctAddresses: boolean) {
  const deadline = performance.now() + seconds * 1000;
  const answers: Answer[] = [];
  const attack = async (i: number) => {
    const from = distinctAddresses ? `127.0.${10 + Math.floor(i / 250)}.${1 + (i % 250)}` : '127.0.0.1';
    let n = 0;
    while (performance.now() < deadline) {
      const answer = await hit(port, 'POST', '/api/login', { authorization: basic(`nobody${i}-${n++}`, 'wrong') }, from);
      answers.push(answer);
      // A refused client retries after the Retry-After it was given (1 s for 503), or 50 ms with --flood.
      if (answer.status !== 401) await new Promise((r) => setTimeout(r, values.flood ? 50 : 1000));
    }
  };
  await new Promise((r) => setTimeout(r, 200));
  const [samples] = await Promise.all([
    sampleHeartbeat(port, deadline, 10_000),
    Promise.all(Array.from({ length: attackers }, (_, i) => attack(i))),
  ]);
  const bcryptRuns = answers.filter((a) => a.status === 401).length;
  return {
    heartbeat_p50_ms: percentile(samples, 50),
    heartbeat_p95_ms: percentile(samples, 95),
    heartbeat_max_ms: percentile(samples, 100),
    heartbeat_samples: samples.length,
    login_answers: countStatuses(answers),
    bcrypt_runs_per_second: Math.round((bcryptRuns / seconds) * 10) / 10,
  };
}

/** Parallel wrong passwords from one address until every answer is 429: bcrypt runs the attacker got, and how fast. */
async function untilThrottled(port: number, usernames: (n: number) => string) {
  const started = performance.now();
  const answers: Answer[] = [];
  let firstBlockMs: number | null = null;
  let n = 0;
  const deadline = started + 120_000;
  const worker = async () => {
    while (performance.now() < deadline && firstBlockMs === null) {
      const answer = await hit(port, 'POST', '/api/login', { authorization: basic(usernames(n++), 'wrong') });
      answers.push(answer);
      if (answer.status === 429) firstBlockMs ??= performance.now() - started;
      if (answer.status === 503) await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all(Array.from({ length: attackers }, worker));
  const bcryptRuns = answers.filter((a) => a.status === 401).length;
  const blocked = await hit(port, 'POST', '/api/login', { authorization: basic(usernames(n), 'wrong') });
  return {
    bcrypt_runs_before_block: bcryptRuns,
    seconds_until_blocked: firstBlockMs === null ? null : Math.round(firstBlockMs / 100) / 10,
    bcrypt_runs_per_second_before_block: firstBlockMs ? Math.round((bcryptRuns / (firstBlockMs / 1000)) * 10) / 10 : null,
    answers: countStatuses(answers),
    next_attempt_status: blocked.status,
    next_attempt_ms: Math.round(blocked.ms * 10) / 10,
  };
}

const gated = await startServer('gated');
const idleDeadline = performance.now() + 3000;
const idle = await sampleHeartbeat(gated.port, idleDeadline, 150);
const out: Record<string, unknown> = {
  machine: { cpus: os.availableParallelism(), node: process.version },
  settings: gated.settings,
  attackers,
  load_seconds: seconds,
  retry_after_refusal_ms: values.flood ? 50 : 1000,
  reference_no_load: { heartbeat_p50_ms: percentile(idle, 50), heartbeat_p95_ms: percentile(idle, 95), samples: idle.length },
};
console.error('reference done');
out.gated_distinct_addresses = await underLoad(gated.port, true);
console.error('gated load done');
out.attacker_one_account = await untilThrottled(gated.port, () => 'owner');
console.error('one account done');
await gated.stop();

const spread = await startServer('spread');
out.attacker_one_address_many_accounts = await untilThrottled(spread.port, (n) => `someone${n}`);
console.error('many accounts done');
await spread.stop();

// The same load with the gate opened wide: what the server did before verifications were capped.
const ungated = await startServer('ungated', { AUTH_MAX_CONCURRENT_VERIFICATIONS: '64', AUTH_VERIFY_QUEUE: '1000' });
out.ungated_distinct_addresses = await underLoad(ungated.port, true);
await ungated.stop();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(out, null, 2));
