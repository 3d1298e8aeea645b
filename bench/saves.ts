/**
 * `npm run bench:saves [-- --saves N --devices D --state-mb M]`: save sync and large states against a real server
 * (`bin/romshelf serve`, SQLite) in a child process on 127.0.0.1. Prints JSON.
 * 1. Sync: D users (default 20), each with a device that negotiates N saves (default 500, 8 KB-2 MB, log-uniform,
 *    one per ROM and slot) and uploads them, then a second device that negotiates and downloads them all. All users
 *    run at once. Reports requests/s, p50/p95 per call type and the server's peak RSS.
 * 2. State: one M MiB state (default 1024) uploaded and downloaded, against `cp` + `sync` of the same file on the
 *    same disk in the same run, with the server's RSS before and at its peak.
 * BENCH_DIR picks the scratch folder (default: a temp dir, removed afterwards).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { runCli } from '../tests/helpers/cli.ts';
import { spawnServer, type ServerProcess } from '../tests/helpers/server-process.ts';
import { percentile } from './lib/auth-http.ts';

const { values } = parseArgs({
  options: {
    saves: { type: 'string', default: '500' },
    devices: { type: 'string', default: '20' },
    'state-mb': { type: 'string', default: '1024' },
    roms: { type: 'string', default: '50' },
  },
});
const savesPerDevice = Number(values.saves);
const devices = Number(values.devices);
const stateMiB = Number(values['state-mb']);
const romCount = Number(values.roms);
const MiB = 1024 ** 2;
const BOUNDARY = '----romshelf-bench-saves';
const run = promisify(execFile);

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Deterministic sizes: the same run twice uploads the same bytes count. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function rssKb(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Samples the server's RSS every 50 ms until stopped; returns the highest seen. */
function rssSampler(pid: number) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, (await rssKb(pid).catch(() => ({ rss: 0 }))).rss);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak;
  };
}

const timings: Record<string, number[]> = { register: [], negotiate: [], upload: [], download: [] };
let requests = 0;

let throttled = 0;

async function call<T>(server: ServerProcess, kind: string, auth: string, method: string, url: string, body?: Uint8Array | string, type?: string): Promise<T> {
  const t0 = performance.now();
  const send = () => fetch(`${server.baseUrl}${url}`, {
    method, headers: { authorization: auth, ...(type ? { "content-type": type } : {}) }, ...(body !== undefined ? { body: typeof body === "string" ? body : new Uint8Array(body) } : {}),
  });
  let res = await send();
  // The server sheds concurrent first sign-ins (password hashing) with a 503; an app waits and tries again.
  for (let attempt = 1; res.status === 503 && attempt <= 20; attempt++) {
    throttled++;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 50 * attempt));
    res = await send();
  }
  const data = kind === 'download' ? Buffer.from(await res.arrayBuffer()) : await res.text();
  timings[kind]?.push(performance.now() - t0);
  requests++;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${data.toString().slice(0, 200)}`);
  return (kind === 'download' ? data : JSON.parse(data.toString())) as T;
}

function saveForm(name: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="saveFile"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data, Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

interface Op { action: string; save_id: number | null; rom_id: number; slot: string | null; server_content_hash: string | null }

/** One user: device A negotiates and uploads every save, device B negotiates and downloads them. */
async function syncUser(server: ServerProcess, auth: string, u: number, romIds: number[], pool: Buffer): Promise<void> {
  const rand = prng(u + 1);
  const saves = Array.from({ length: savesPerDevice }, (_, k) => {
    const size = Math.round(8 * 1024 * (256 ** rand()));
    const data = Buffer.concat([Buffer.from(`user ${u} save ${k}\n`), pool.subarray(0, size)]);
    return { rom_id: romIds[k % romIds.length] ?? 0, slot: `slot ${Math.floor(k / romIds.length)}`, data, hash: md5(data) };
  });
  const json = 'application/json';
  const a = await call<{ device_id: string }>(server, 'register', auth, 'POST', '/api/devices', JSON.stringify({ name: `a${u}`, allow_duplicate: true }), json);
  const plan = await call<{ session_id: number; operations: Op[] }>(server, 'negotiate', auth, 'POST', '/api/sync/negotiate', JSON.stringify({
    device_id: a.device_id,
    saves: saves.map((s) => ({
      rom_id: s.rom_id, file_name: 'Game.srm', slot: s.slot, emulator: null, content_hash: s.hash,
      updated_at: new Date().toISOString(), file_size_bytes: s.data.length,
    })),
  }), json);
  const uploads = plan.operations.filter((o) => o.action === 'upload');
  if (uploads.length !== saves.length) throw new Error(`user ${u}: ${uploads.length} uploads planned for ${saves.length} saves`);
  for (const s of saves) {
    const q = `rom_id=${s.rom_id}&slot=${encodeURIComponent(s.slot)}&device_id=${a.device_id}&session_id=${plan.session_id}`;
    await call(server, 'upload', auth, 'POST', `/api/saves?${q}`, saveForm('Game.srm', s.data), `multipart/form-data; boundary=${BOUNDARY}`);
  }
  const b = await call<{ device_id: string }>(server, 'register', auth, 'POST', '/api/devices', JSON.stringify({ name: `b${u}`, allow_duplicate: true }), json);
  const pull = await call<{ session_id: number; operations: Op[] }>(server, 'negotiate', auth, 'POST', '/api/sync/negotiate', JSON.stringify({ device_id: b.device_id, saves: [] }), json);
  const downloads = pull.operations.filter((o) => o.action === 'download');
  if (downloads.length !== saves.length) throw new Error(`user ${u}: ${downloads.length} downloads planned for ${saves.length} saves`);
  const expected = new Set(saves.map((s) => s.hash));
  for (const op of downloads) {
    const body = await call<Buffer>(server, 'download', auth, 'GET', `/api/saves/${op.save_id}/content?device_id=${b.device_id}&session_id=${pull.session_id}`);
    if (!expected.has(md5(body))) throw new Error(`user ${u}: save ${op.save_id} downloaded with unexpected content`);
  }
}

/** Streams a file as a `stateFile` upload; resolves with the answer's status and body. */
function uploadState(server: ServerProcess, auth: string, romId: number, file: string, size: number): Promise<{ status: number; body: string }> {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="stateFile"; filename="Big.state"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.baseUrl}/api/states?rom_id=${romId}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': head.length + size + tail.length },
    }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(head);
    const file$ = createReadStream(file);
    file$.on('error', reject);
    file$.on('end', () => req.end(tail));
    file$.pipe(req, { end: false });
  });
}

function downloadBytes(server: ServerProcess, auth: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${server.baseUrl}${url}`, { headers: { authorization: auth } }, (res) => {
      let n = 0;
      if (res.statusCode !== 200) reject(new Error(`GET ${url}: ${res.statusCode}`));
      res.on('data', (d: Buffer) => (n += d.length));
      res.on('end', () => resolve(n));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'romshelf-bench-saves-')));
  const env = {
    DATA_PATH: path.join(dir, 'data'), LIBRARY_PATH: path.join(dir, 'library'),
    // The state upload is larger than the 512 MiB default limit.
    MAX_ASSET_UPLOAD_SIZE_BYTES: String((stateMiB + 64) * MiB), LOG_LEVEL: 'warn',
  };
  let server: ServerProcess | undefined;
  try {
    const platform = path.join(env.LIBRARY_PATH, 'roms', 'gba');
    mkdirSync(platform, { recursive: true });
    for (let i = 0; i < romCount; i++) writeFileSync(path.join(platform, `Game ${i} (USA).gba`), `rom ${i}`);
    const admin = await runCli(['user', 'create', '--username', 'admin', '--password', 'bench-admin-pw', '--role', 'admin'], env, { timeoutMs: 120_000 });
    if (admin.code !== 0) throw new Error(admin.stderr);
    const scan = await runCli(['scan', '--type', 'quick'], env, { timeoutMs: 300_000 });
    if (scan.code !== 0) throw new Error(scan.stderr);

    // The server runs as `npm start` runs it (package.json), young generation included.
    server = await spawnServer(env, 120_000, ['--max-semi-space-size=4']);
    const pid = server.child.pid ?? 0;
    const adminAuth = basic('admin', 'bench-admin-pw');
    const roms = await call<{ items: { id: number }[] }>(server, 'setup', adminAuth, 'GET', `/api/roms?limit=${romCount}`);
    const romIds = roms.items.map((r) => r.id);
    const users: string[] = [];
    for (let u = 0; u < devices; u++) {
      await call(server, 'setup', adminAuth, 'POST', '/api/users', JSON.stringify({ username: `player${u}`, password: `pw-player-${u}`, role: 'viewer' }), 'application/json');
      users.push(basic(`player${u}`, `pw-player-${u}`));
    }
    const idle = await rssKb(pid);

    // 1. Sync
    process.stderr.write(`sync: ${devices} users x ${savesPerDevice} saves...\n`);
    const pool = randomBytes(2 * MiB);
    requests = 0;
    const stopSync = rssSampler(pid);
    const t0 = performance.now();
    await Promise.all(users.map((auth, u) => syncUser(server!, auth, u, romIds, pool)));
    const seconds = (performance.now() - t0) / 1000;
    const syncRequests = requests;
    const syncPeak = await stopSync();
    const uploadedBytes = (await Promise.all(users.map((auth) => call<{ file_size_bytes: number }[]>(server!, 'setup', auth, 'GET', '/api/saves'))))
      .flat().reduce((n, s) => n + s.file_size_bytes, 0);
    const perCall = Object.fromEntries(Object.entries(timings).map(([k, xs]) => [k, {
      count: xs.length, p50_ms: percentile(xs, 50), p95_ms: percentile(xs, 95), max_ms: percentile(xs, 100),
    }]));

    // 2. Large state
    process.stderr.write(`state: writing ${stateMiB} MiB...\n`);
    const source = path.join(dir, 'big.state');
    const fh = await open(source, 'w');
    const chunk = randomBytes(MiB);
    for (let i = 0; i < stateMiB; i++) await fh.write(chunk);
    await fh.sync();
    await fh.close();
    const size = (await stat(source)).size;
    await run('sync');

    const beforeState = await rssKb(pid);
    const stopUp = rssSampler(pid);
    const u0 = performance.now();
    const up = await uploadState(server, users[0] ?? adminAuth, romIds[0] ?? 0, source, size);
    const upSeconds = (performance.now() - u0) / 1000;
    const upPeak = await stopUp();
    if (up.status !== 200) throw new Error(`state upload: ${up.status} ${up.body.slice(0, 200)}`);
    const state = JSON.parse(up.body) as { id: number; file_size_bytes: number };
    if (state.file_size_bytes !== size) throw new Error(`state stored with ${state.file_size_bytes} bytes, sent ${size}`);

    const stopDown = rssSampler(pid);
    const d0 = performance.now();
    const got = await downloadBytes(server, users[0] ?? adminAuth, `/api/states/${state.id}/content`);
    const downSeconds = (performance.now() - d0) / 1000;
    const downPeak = await stopDown();
    if (got !== size) throw new Error(`state download: ${got} bytes of ${size}`);

    // Reference: the same bytes copied on the same disk and flushed, as the upload does (write, fsync, rename).
    const c0 = performance.now();
    await run('cp', [source, path.join(dir, 'copy.state')]);
    await run('sync');
    const copySeconds = (performance.now() - c0) / 1000;

    const mbps = (seconds_: number) => round1(size / seconds_ / 1e6);
    const final = await rssKb(pid);
    console.log(JSON.stringify({
      server: 'bin/romshelf serve, SQLite, one process',
      sync: {
        users: devices, saves_per_device: savesPerDevice, roms: romIds.length,
        saves_uploaded: devices * savesPerDevice, bytes_uploaded: uploadedBytes,
        seconds: round1(seconds), requests: syncRequests, requests_per_s: round1(syncRequests / seconds), throttled_retries: throttled,
        mb_per_s_each_way: round1(uploadedBytes / seconds / 1e6),
        per_call: perCall,
        rss_idle_mb: round1(idle.rss / 1024), rss_peak_mb: round1(syncPeak / 1024),
      },
      state: {
        mib: round1(size / MiB),
        upload_mb_per_s: mbps(upSeconds), download_mb_per_s: mbps(downSeconds),
        reference_cp_sync_mb_per_s: mbps(copySeconds), upload_vs_cp_sync: Math.round((copySeconds / upSeconds) * 1000) / 1000,
        rss_before_mb: round1(beforeState.rss / 1024), rss_peak_upload_mb: round1(upPeak / 1024), rss_peak_download_mb: round1(downPeak / 1024),
      },
      rss_high_water_mark_mb: round1(final.hwm / 1024),
    }, null, 2));
  } finally {
    await server?.stop();
    if (!process.env.BENCH_DIR) await rm(dir, { recursive: true, force: true });
  }
}

await main();
