import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { percentile } from './auth-http.ts';
import { childEnv, ROMSHELF_BIN, runRomshelf } from './cli-scan.ts';

/**
 * The gallery as a browser loads it, over real HTTP against `romshelf serve` in a child process: a page of
 * `GET /api/roms?limit=72&offset=…&order_by=name&order_dir=asc` (the request `bench:api` times as the default gallery
 * page), then every `path_cover_small` of that page from `/assets/romm/resources/…`, six at a time on kept-alive
 * connections as a browser fetches images from one host.
 */

const USER = 'bench';
const PASSWORD = 'bench-password-1234';

interface Reply { status: number; ms: number; body: Buffer }

function get(agent: http.Agent, port: number, url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: url, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  const agent = new http.Agent();
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`romshelf serve exited with ${child.exitCode}`);
    try {
      if ((await get(agent, port, '/api/heartbeat')).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('romshelf serve did not answer /api/heartbeat within 60 s');
}

async function token(port: number): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'password', username: USER, password: PASSWORD, scope: 'roms.read' }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/token', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`/api/token answered ${res.statusCode}: ${text.slice(0, 200)}`));
        resolve((JSON.parse(text) as { access_token: string }).access_token);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface GalleryResult {
  pages: number;
  total_roms: number | null;
  /** `GET /api/roms` of one page. */
  page_ms: { p50: number | null; p95: number | null; max: number | null };
  /** All `path_cover_small` images of one page, six in flight. */
  page_covers_ms: { p50: number | null; p95: number | null; max: number | null };
  /** The page and then its covers: what a user waits for before a screenful is drawn. */
  page_with_covers_ms: { p50: number | null; p95: number | null; max: number | null };
  /** One cover request. */
  cover_ms: { p50: number | null; p95: number | null };
  covers_per_page: number;
  covers_fetched: number;
  cover_bytes_avg: number | null;
  /** Items on the measured pages without a small cover. */
  items_without_cover: number;
  failed_requests: number;
}

const stats = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), max: percentile(values, 100) });

/** Creates the bench user in the database at `env.DATA_PATH`, serves it, and pages through the gallery `pages` times. */
export async function measureGallery(env: Record<string, string>, scratch: string, pages: number): Promise<GalleryResult> {
  const created = await runRomshelf({ args: ['user', 'create', '--username', USER, '--password', PASSWORD, '--role', 'viewer'], env, rssFile: `${scratch}/user.rss` });
  // A database measured before already has the user (same password).
  if (created.exit_code !== 0 && !created.stderr_tail?.some((l) => l.includes('already exists'))) throw new Error(`romshelf user create failed: ${created.stderr_tail?.join(' | ') ?? created.stdout}`);
  const port = await freePort();
  const child = spawn(process.execPath, [ROMSHELF_BIN, 'serve'], {
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1', SCAN_ON_START: 'false', SCAN_INTERVAL_SECONDS: '0' }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(port, child);
    const auth = { authorization: `Bearer ${await token(port)}` };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const pageUrl = (offset: number) => `/api/roms?limit=72&offset=${offset}&order_by=name&order_dir=asc`;
    const first = await get(agent, port, pageUrl(0), auth);
    if (first.status !== 200) throw new Error(`/api/roms answered ${first.status}: ${first.body.toString().slice(0, 200)}`);
    const total = (JSON.parse(first.body.toString()) as { total?: number | null }).total ?? null;
    const span = Math.max(0, (total ?? 72) - 72);

    const pageMs: number[] = [];
    const coversMs: number[] = [];
    const bothMs: number[] = [];
    const coverMs: number[] = [];
    let coverBytes = 0;
    let without = 0;
    let failed = 0;
    let perPage = 0;
    // Two warm-up pages, then pages spread over the whole library, as a user scrolling or jumping by letter.
    for (let k = -2; k < pages; k++) {
      const offset = k < 0 ? 72 * (k + 3) : Math.floor((span * k) / Math.max(1, pages - 1));
      const page = await get(agent, port, pageUrl(offset), auth);
      if (page.status !== 200) { failed++; continue; }
      const items = (JSON.parse(page.body.toString()) as { items: { path_cover_small?: string | null }[] }).items;
      const covers = items.map((i) => i.path_cover_small).filter((u): u is string => !!u);
      const started = performance.now();
      const replies = await Promise.all(covers.map((u) => get(agent, port, encodeURI(decodeURI(u)))));
      const coversTime = performance.now() - started;
      if (k < 0) continue;
      pageMs.push(page.ms);
      coversMs.push(coversTime);
      bothMs.push(page.ms + coversTime);
      without += items.length - covers.length;
      perPage = Math.max(perPage, covers.length);
      for (const r of replies) {
        if (r.status !== 200) { failed++; continue; }
        coverMs.push(r.ms);
        coverBytes += r.body.length;
      }
    }
    agent.destroy();
    return {
      pages, total_roms: total, page_ms: stats(pageMs), page_covers_ms: stats(coversMs), page_with_covers_ms: stats(bothMs),
      cover_ms: { p50: percentile(coverMs, 50), p95: percentile(coverMs, 95) },
      covers_per_page: perPage, covers_fetched: coverMs.length,
      cover_bytes_avg: coverMs.length ? Math.round(coverBytes / coverMs.length) : null, items_without_cover: without, failed_requests: failed,
    };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('close', r));
  }
}
