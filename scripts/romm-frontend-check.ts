/**
 * `npm run check:romm-frontend -- /path/to/romm-checkout [--e2e] [--keep]`: RomM's own web frontend, built from a RomM
 * checkout, driven in headless Chromium against romshelf. It checks that romshelf serves what RomM's UI needs:
 *
 *   1. builds `<checkout>/frontend` when `frontend/dist` is missing (`npm ci --engine-strict=false && npm run build`)
 *      and copies `frontend/assets` into `dist/assets`, as RomM's Dockerfile lays out nginx's web root;
 *   2. starts `bin/romshelf serve` on a scratch DATA_PATH and a generated library (two platforms, a bios folder), and
 *      a small server that does what RomM's nginx does: the dist folder with the SPA fallback to index.html, and
 *      `/api`, `/ws` (WebSocket upgrades included), `/netplay`, `/openapi.json` and `/assets/romm` passed to romshelf;
 *   3. drives the UI: first-run setup wizard, login, gallery, ROM page, edit dialog, a new collection holding a ROM,
 *      a platform's firmware list, and a scan started from the UI with live progress over socket.io;
 *   4. with `--e2e`, runs RomM's Playwright suite (`<checkout>/frontend/e2e`) against the same server.
 *
 * Each flow prints PASS or FAIL with its reason and the /api calls that failed while it ran; a JSON summary ends the
 * output; failures leave a screenshot in a scratch folder whose path is printed. Nothing from the checkout is copied
 * into this repository. Not part of `npm test`: it needs a RomM checkout, its npm dependencies and Chromium.
 * Exit code: 0 when every flow passed (or no checkout was given), 1 otherwise, 2 when it could not run at all.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumMissing, startServer, type RunningServer } from '../tests/e2e/harness.ts';

const args = process.argv.slice(2);
const checkoutArg = args.find((a) => !a.startsWith('--'));
const runE2E = args.includes('--e2e');
const keep = args.includes('--keep');

if (!checkoutArg) {
  console.log('romm-frontend-check: skipped (no RomM checkout given).');
  console.log('usage: npx tsx scripts/romm-frontend-check.ts /path/to/romm-checkout [--e2e] [--keep]');
  process.exit(0);
}
const checkout = path.resolve(checkoutArg);
const frontend = path.join(checkout, 'frontend');
const dist = path.join(frontend, 'dist');
if (!existsSync(path.join(frontend, 'package.json'))) {
  console.error(`romm-frontend-check: ${frontend}/package.json not found; is ${checkout} a RomM checkout?`);
  process.exit(2);
}
const missing = chromiumMissing();
if (missing) {
  console.error(`romm-frontend-check: ${missing}`);
  process.exit(2);
}

const ADMIN = { username: 'admin', email: 'admin@example.invalid', password: 'Romshelf-check-1!' };
// RomM's e2e fixtures (frontend/e2e/fixtures/auth.ts), created for --e2e.
const E2E_PASSWORD = process.env.E2E_PASSWORD ?? 'e2e-Passw0rd!';
const E2E_USERS = { admin: process.env.E2E_ADMIN_USERNAME ?? 'e2e_admin', viewer: process.env.E2E_VIEWER_USERNAME ?? 'e2e_viewer' };

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

// ── 1. RomM's frontend build ───────────────────────────────────────────────────────────────────────────────────────

function run(cmd: string, cmdArgs: string[], cwd: string): void {
  log(`$ (cd ${cwd} && ${cmd} ${cmdArgs.join(' ')})`);
  const result = spawnSync(cmd, cmdArgs, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed with exit code ${result.status ?? result.signal}`);
}

function ensureFrontendBuilt(): void {
  if (!existsSync(path.join(dist, 'index.html'))) {
    log(`building RomM's frontend in ${frontend} (dist/ is missing)`);
    run('npm', ['ci', '--engine-strict=false', '--no-audit', '--no-fund'], frontend);
    run('npm', ['run', 'build'], frontend);
  }
  // RomM's Dockerfile: `COPY ./frontend/assets ${WEBSERVER_FOLDER}/assets` over the build output, so nginx serves
  // the static images, fonts and platform icons under /assets next to the bundles.
  const assets = path.join(frontend, 'assets');
  if (existsSync(assets)) cpSync(assets, path.join(dist, 'assets'), { recursive: true, force: false, errorOnExist: false });
}

// ── 2. Library, romshelf, and the nginx stand-in ───────────────────────────────────────────────────────────────────

function makeLibrary(root: string): { roms: Record<string, string[]>; bios: string } {
  const roms: Record<string, string[]> = {
    gba: ['Alpha Quest (USA).gba', 'Blaster Zone (Europe).gba', 'Castle Climber (Japan).gba'],
    snes: ['Dungeon Diver (USA).sfc', 'Echo Racer (World).sfc'],
  };
  for (const [platform, files] of Object.entries(roms)) {
    mkdirSync(path.join(root, 'roms', platform), { recursive: true });
    for (const [i, file] of files.entries()) writeFileSync(path.join(root, 'roms', platform, file), Buffer.alloc(4096 + i * 512, i + 1));
  }
  const bios = 'gba_bios.bin';
  mkdirSync(path.join(root, 'bios', 'gba'), { recursive: true });
  writeFileSync(path.join(root, 'bios', 'gba', bios), Buffer.alloc(16384, 7));
  return { roms, bios };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif',
  '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.wasm': 'application/wasm', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

/** Paths RomM's nginx hands to the backend (docker/nginx/templates/default.conf.template, Dockerfile's symlink). */
const isBackendPath = (p: string): boolean =>
  p === '/openapi.json' || /^\/(api|ws|netplay)(\/|$)/.test(p) || p.startsWith('/assets/romm/');

/** nginx's `try_files $uri $uri/ /index.html` for `/`, `=404` under `/assets`, and the proxy locations. */
function startFrontServer(backend: URL, onBackendError: (call: FailedCall) => void): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (isBackendPath(url.pathname)) {
      const upstream = http.request({
        host: backend.hostname, port: backend.port, method: req.method, path: req.url,
        // Host kept as the browser sent it (nginx: proxy_set_header Host $http_host), so romshelf's origin checks see
        // the page's own origin.
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '', 'x-forwarded-proto': 'http' },
      }, (up) => {
        if ((up.statusCode ?? 502) >= 400 && url.pathname.startsWith('/api/')) {
          onBackendError({ method: req.method ?? 'GET', path: url.pathname, status: up.statusCode ?? 502 });
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy error: ${err.message}`);
      });
      req.pipe(upstream);
      return;
    }
    let file: string | null = null;
    try {
      const decoded = decodeURIComponent(url.pathname);
      const candidate = path.resolve(dist, `.${decoded}`);
      if (candidate === dist || candidate.startsWith(dist + path.sep)) {
        const info = statSync(candidate, { throwIfNoEntry: false });
        if (info?.isFile()) file = candidate;
        else if (info?.isDirectory() && existsSync(path.join(candidate, 'index.html'))) file = path.join(candidate, 'index.html');
      }
    } catch {
      file = null;
    }
    if (!file && url.pathname.startsWith('/assets')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    file ??= path.join(dist, 'index.html');
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  // `location ~ ^/(ws|netplay)` with `Upgrade`/`Connection: upgrade`: the handshake is replayed to romshelf and the
  // two sockets are joined.
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!/^\/(ws|netplay)(\/|$)/.test(pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(backend.port), backend.hostname, () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

// ── 3. The flows ───────────────────────────────────────────────────────────────────────────────────────────────────

interface FailedCall {
  method: string;
  path: string;
  status: number;
  detail?: string;
}

interface FlowResult {
  flow: string;
  status: 'PASS' | 'FAIL' | 'SKIP';
  reason: string;
  ms: number;
  failedApiCalls: FailedCall[];
  screenshot?: string;
}

class Recorder {
  current: FailedCall[] = [];
  readonly all: (FailedCall & { flow: string })[] = [];
  flow = '';
  readonly socketFrames: string[] = [];
  readonly pageErrors: string[] = [];

  attach(page: Page): void {
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (!url.pathname.startsWith('/api/') || res.status() < 400) return;
      const call: FailedCall = { method: res.request().method(), path: url.pathname + url.search, status: res.status() };
      void res.text().then((body) => {
        try {
          const detail = (JSON.parse(body) as { detail?: unknown }).detail;
          if (detail !== undefined) call.detail = (typeof detail === 'string' ? detail : JSON.stringify(detail)).slice(0, 200);
        } catch {
          /* not JSON */
        }
      }).catch(() => undefined);
      this.current.push(call);
      this.all.push(Object.assign(call, { flow: this.flow }));
    });
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/ws/')) return;
      ws.on('framereceived', (frame) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
        const event = /^42\/?[^,[]*,?\["([^"]+)"/.exec(text)?.[1];
        if (event) this.socketFrames.push(event);
      });
    });
    page.on('pageerror', (err) => this.pageErrors.push(`${this.flow}: ${err.message}`));
  }
}

class FlowFailure extends Error {}
const fail = (reason: string): never => {
  throw new FlowFailure(reason);
};

async function flow(name: string, page: Page, rec: Recorder, shots: string, results: FlowResult[], body: () => Promise<string>): Promise<boolean> {
  rec.flow = name;
  rec.current = [];
  const started = Date.now();
  let result: FlowResult;
  try {
    const reason = await body();
    result = { flow: name, status: 'PASS', reason, ms: Date.now() - started, failedApiCalls: rec.current };
  } catch (err) {
    const file = path.join(shots, `${results.length + 1}-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    const reason = err instanceof FlowFailure ? err.message : (err as Error).message.split('\n').slice(0, 3).join(' | ');
    result = { flow: name, status: 'FAIL', reason, ms: Date.now() - started, failedApiCalls: rec.current, screenshot: file };
  }
  // Let late response bodies land before the calls are printed.
  await page.waitForTimeout(100);
  results.push(result);
  log(`${result.status} ${name} (${result.ms} ms): ${result.reason}`);
  for (const call of result.failedApiCalls) log(`     ${call.status} ${call.method} ${call.path}${call.detail ? ` -> ${call.detail}` : ''}`);
  if (result.screenshot) log(`     screenshot: ${result.screenshot}`);
  return result.status === 'PASS';
}

function skip(name: string, reason: string, results: FlowResult[]): void {
  results.push({ flow: name, status: 'SKIP', reason, ms: 0, failedApiCalls: [] });
  log(`SKIP ${name}: ${reason}`);
}

async function apiJson<T>(page: Page, p: string): Promise<T> {
  const res = await page.request.get(p);
  if (!res.ok()) fail(`GET ${p} answered ${res.status()}`);
  return (await res.json()) as T;
}

interface RomItem { id: number; name: string | null; fs_name: string; platform_id: number }
interface PlatformItem { id: number; fs_slug: string; rom_count: number; firmware?: { file_name: string }[]; firmware_count?: number }

async function main(): Promise<number> {
  ensureFrontendBuilt();
  const work = mkdtempSync(path.join(os.tmpdir(), 'romm-frontend-check-'));
  const shots = path.join(work, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const libraryPath = path.join(work, 'library');
  const lib = makeLibrary(libraryPath);
  log(`scratch folder (library, screenshots): ${work}`);

  let server: RunningServer | null = null;
  let front: http.Server | null = null;
  let browser: Browser | null = null;
  const results: FlowResult[] = [];
  const rec = new Recorder();
  let e2e: E2EResult | null = null;
  // /api answers of 400 and above that pass the proxy while RomM's suite runs (it runs in its own process).
  let proxyTap: Map<string, number> | null = null;
  try {
    server = await startServer(libraryPath);
    const started = await startFrontServer(new URL(server.baseUrl), (call) => {
      if (!proxyTap) return;
      const key = `${call.status} ${call.method} ${call.path}`;
      proxyTap.set(key, (proxyTap.get(key) ?? 0) + 1);
    });
    front = started.server;
    const base = started.url;
    log(`romshelf ${server.baseUrl}, RomM frontend at ${base}`);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    // RomM's own e2e config blocks the PWA service worker (it precaches megabytes and makes runs nondeterministic).
    const context: BrowserContext = await browser.newContext({ baseURL: base, serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    rec.attach(page);

    const setupOk = await flow('setup wizard (create admin)', page, rec, shots, results, async () => {
      await page.goto('/');
      await page.waitForURL(/\/setup/, { timeout: 20_000 }).catch(() => fail(`the app did not open the setup wizard (at ${page.url()})`));
      await page.getByText('Step 1 of 3').waitFor();
      const next = page.getByRole('button', { name: 'Next', exact: true });
      await next.waitFor();
      await page.getByText('Inspecting your library').waitFor({ state: 'hidden', timeout: 15_000 });
      const detected = await page.getByText(/Structure A detected|Structure B detected|No library structure detected/).first().textContent().catch(() => null);
      await next.click();
      await page.getByText('Step 2 of 3').waitFor();
      await page.locator('input[autocomplete="username"]').fill(ADMIN.username);
      await page.locator('input[type="email"]').fill(ADMIN.email);
      const passwords = page.locator('input[autocomplete="new-password"]');
      await passwords.nth(0).fill(ADMIN.password);
      await passwords.nth(1).fill(ADMIN.password);
      await next.click();
      await page.getByText('Step 3 of 3').waitFor();
      await page.getByRole('button', { name: 'Finish', exact: true }).click();
      await page.waitForURL(/\/login/, { timeout: 20_000 }).catch(() => fail(`after Finish the app stayed at ${page.url()}`));
      return `wizard done (${detected?.trim() ?? 'structure banner not shown'}), admin "${ADMIN.username}" created, redirected to /login`;
    });

    const loginOk = setupOk && await flow('login', page, rec, shots, results, async () => {
      if (!page.url().includes('/login')) await page.goto('/login');
      const form = page.locator('form.r-v2-login-form');
      await form.locator('input[name="username"]').fill(ADMIN.username);
      await form.locator('input[name="password"]').fill(ADMIN.password);
      await form.locator('button[type="submit"]').click();
      await page.locator('.r-v2-user__name').filter({ hasText: ADMIN.username }).waitFor({ timeout: 25_000 })
        .catch(() => fail(`the app bar never showed the signed-in user (at ${page.url()})`));
      if (page.url().includes('/login')) fail('still on /login after signing in');
      return `signed in, app shell shows "${ADMIN.username}"`;
    });
    if (!setupOk) skip('login', 'setup failed', results);

    // The scan comes first: it is what puts the platforms and ROMs in the gallery for the flows after it.
    const scanOk = loginOk && await flow('scan from the UI with live progress (socket.io)', page, rec, shots, results, async () => {
      const framesBefore = rec.socketFrames.length;
      await page.goto('/scan');
      const scanBtn = page.getByRole('button', { name: /^Scan$/ });
      await scanBtn.waitFor();
      if (await scanBtn.isDisabled()) {
        const hint = await page.getByText('Please select at least one metadata source').isVisible().catch(() => false);
        fail(`the Scan button is disabled${hint ? ': "Please select at least one metadata source" (no source enabled in the heartbeat)' : ''}`);
      }
      await scanBtn.click();
      await page.getByText('Scanning', { exact: true }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
      await page.getByText('Scan complete', { exact: true }).first().waitFor({ timeout: 60_000 })
        .catch(() => fail(`"Scan complete" never shown; socket events seen: ${rec.socketFrames.slice(framesBefore).join(', ') || 'none'}`));
      const events = [...new Set(rec.socketFrames.slice(framesBefore))];
      if (!events.includes('scan:done')) fail(`no scan:done event over the socket (seen: ${events.join(', ') || 'none'})`);
      const platforms = await apiJson<PlatformItem[]>(page, '/api/platforms');
      const roms = platforms.reduce((n, p) => n + p.rom_count, 0);
      const expected = Object.values(lib.roms).flat().length;
      if (roms !== expected) fail(`scan finished but /api/platforms counts ${roms} ROMs, expected ${expected}`);
      // The live panel (aria-live region) lists each platform the scan reported over the socket.
      const live = page.locator('[aria-live="polite"]');
      const listed: string[] = [];
      for (const name of ['Game Boy Advance', 'Super Nintendo']) {
        if (await live.getByText(name).first().isVisible().catch(() => false)) listed.push(name);
      }
      if (listed.length === 0) fail(`the live progress panel lists no platform (socket events: ${events.join(', ')})`);
      return `scan done; socket events ${events.join(', ')}; live panel lists ${listed.join(', ')}; ${platforms.length} platforms, ${roms} ROMs`;
    });
    if (!loginOk) skip('scan from the UI with live progress (socket.io)', 'not signed in', results);
    if (loginOk && !scanOk) {
      // Later flows need ROMs: scan through the API instead, so they still test their own part.
      const res = await page.request.post('/api/tasks/run/scan_library', { data: {} });
      log(`     (fallback: scan through POST /api/tasks/run/scan_library -> ${res.status()})`);
      for (let i = 0; i < 60; i++) {
        const status = await page.request.get('/api/tasks/status').then((r) => r.json() as Promise<{ status: string }[]>).catch(() => []);
        if (status.every((s) => s.status !== 'started' && s.status !== 'queued')) break;
        await page.waitForTimeout(500);
      }
    }

    let rom: RomItem | null = null;
    const galleryOk = loginOk && await flow('gallery shows the platforms and ROMs', page, rec, shots, results, async () => {
      const platforms = await apiJson<PlatformItem[]>(page, '/api/platforms');
      const gba = platforms.find((p) => p.fs_slug === 'gba') ?? fail(`no gba platform in /api/platforms (${platforms.map((p) => p.fs_slug).join(', ')})`);
      await page.goto('/platforms');
      const names = ['Game Boy Advance', 'Super Nintendo'];
      for (const name of names) {
        await page.getByText(name).first().waitFor({ timeout: 15_000 }).catch(() => fail(`platforms index does not show "${name}"`));
      }
      await page.goto(`/platform/${gba.id}`);
      const titles = lib.roms.gba?.map((f) => f.replace(/ \(.*$/, '')) ?? [];
      for (const title of titles) {
        await page.getByText(title).first().waitFor({ timeout: 15_000 }).catch(() => fail(`gba gallery does not show "${title}"`));
      }
      const list = await apiJson<{ items: RomItem[] }>(page, `/api/roms?platform_ids=${gba.id}&limit=10&order_by=name`);
      rom = list.items[0] ?? fail('no ROM in the gba platform');
      return `platforms index shows ${names.join(', ')}; gba gallery shows ${titles.length} ROM cards`;
    });
    if (!loginOk) skip('gallery shows the platforms and ROMs', 'not signed in', results);

    const romTitle = (r: RomItem) => (r.name ?? r.fs_name).replace(/ \(.*$/, '');
    const romOk = galleryOk && await flow('ROM page', page, rec, shots, results, async () => {
      const r = rom ?? fail('no ROM');
      const card = page.getByText(romTitle(r)).first();
      await card.click();
      await page.waitForURL(new RegExp(`/rom/${r.id}(\\?|$)`), { timeout: 15_000 }).catch(async () => {
        await page.goto(`/rom/${r.id}`);
      });
      await page.getByRole('heading', { name: new RegExp(romTitle(r)) }).first().waitFor({ timeout: 15_000 })
        .catch(() => page.getByText(romTitle(r)).first().waitFor({ timeout: 5000 }))
        .catch(() => fail(`the ROM page does not show "${romTitle(r)}"`));
      const filesTab = page.getByRole('tab', { name: /^Files/ }).or(page.getByRole('button', { name: /^Files/ })).first();
      await filesTab.click().catch(() => fail('no "Files" tab on the ROM page'));
      await page.getByText(r.fs_name).first().waitFor({ timeout: 10_000 }).catch(() => fail(`the Files tab does not show the file name "${r.fs_name}"`));
      return `opened /rom/${r.id} from its card; title shown, Files tab lists ${r.fs_name}`;
    });
    if (!galleryOk) skip('ROM page', 'no gallery', results);

    const newName = 'Renamed By Check';
    if (romOk) {
      await flow('edit dialog: rename and see it', page, rec, shots, results, async () => {
        const r = rom ?? fail('no ROM');
        const direct = page.getByRole('button', { name: 'Edit', exact: true });
        if (await direct.first().isVisible().catch(() => false)) await direct.first().click();
        else {
          const more = page.getByRole('button', { name: 'More actions' }).first();
          await more.waitFor({ timeout: 10_000 }).catch(() => fail('no "More actions" button on the ROM page'));
          await more.click();
          const item = page.locator('[role="menu"]').getByText('Edit', { exact: true });
          await item.waitFor({ timeout: 5000 }).catch(async () => {
            const labels = await page.locator('[role="menu"] .r-menu-item__label').allInnerTexts().catch(() => []);
            fail(`the ⋯ menu has no "Edit" (items: ${labels.join(', ') || 'none'}); RomM shows it only with the rom edit grant from /api/permissions/me`);
          });
          await item.click();
        }
        const dialog = page.getByRole('dialog').filter({ hasText: 'Edit' }).first();
        await dialog.waitFor({ timeout: 10_000 }).catch(() => fail('the edit dialog did not open'));
        const nameInput = dialog.locator('.r-v2-edit__fields input').first();
        await nameInput.fill(newName);
        await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
        await dialog.waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => fail('the edit dialog stayed open after Apply'));
        await page.getByText(newName).first().waitFor({ timeout: 10_000 }).catch(() => fail(`the page does not show the new name "${newName}"`));
        const saved = await apiJson<RomItem>(page, `/api/roms/${r.id}`);
        if (saved.name !== newName) fail(`GET /api/roms/${r.id} has name ${JSON.stringify(saved.name)}`);
        return `renamed to "${newName}" through the dialog; the page and GET /api/roms/${r.id} show it`;
      });
      await flow('collection: create one and add the ROM', page, rec, shots, results, async () => {
        const r = rom ?? fail('no ROM');
        await page.goto(`/rom/${r.id}`);
        const collName = 'Check Favourites';
        const direct = page.getByRole('button', { name: 'Manage collections' });
        if (await direct.first().isVisible({ timeout: 5000 }).catch(() => false)) await direct.first().click();
        else {
          await page.getByRole('button', { name: 'More actions' }).first().click();
          const item = page.locator('[role="menu"]').getByText('Manage collections');
          await item.waitFor({ timeout: 5000 }).catch(async () => {
            const labels = await page.locator('[role="menu"] .r-menu-item__label').allInnerTexts().catch(() => []);
            fail(`no "Manage collections" action (menu: ${labels.join(', ') || 'none'})`);
          });
          await item.click();
        }
        const dialog = page.getByRole('dialog').filter({ hasText: 'Manage collections' }).first();
        await dialog.waitFor({ timeout: 10_000 }).catch(() => fail('the collections dialog did not open'));
        await dialog.getByText('Create collection').first().click();
        await dialog.getByPlaceholder('Collection name').fill(collName);
        await dialog.getByRole('button', { name: 'Create', exact: true }).click();
        let found: { id: number; name: string; rom_ids?: number[]; rom_count?: number } | undefined;
        for (let i = 0; i < 40 && !(found?.rom_ids?.includes(r.id)); i++) {
          await page.waitForTimeout(250);
          found = (await apiJson<typeof found[]>(page, '/api/collections')).find((c) => c?.name === collName);
        }
        if (!found) fail(`no collection "${collName}" in /api/collections`);
        if (!found?.rom_ids?.includes(r.id)) fail(`collection "${collName}" was created but does not hold ROM ${r.id} (rom_ids ${JSON.stringify(found?.rom_ids)})`);
        await page.keyboard.press('Escape');
        await page.goto(`/collection/${found!.id}`);
        await page.getByText(newName).or(page.getByText(romTitle(r))).first().waitFor({ timeout: 15_000 })
          .catch(() => fail(`the collection page does not list the ROM`));
        return `created "${collName}" from the ROM's dialog; it holds ROM ${r.id} and its page lists it`;
      });
    } else {
      skip('edit dialog: rename and see it', 'no ROM page', results);
      skip('collection: create one and add the ROM', 'no ROM page', results);
    }

    if (loginOk) {
      await flow('platform firmware / BIOS list', page, rec, shots, results, async () => {
        const platforms = await apiJson<PlatformItem[]>(page, '/api/platforms');
        const gba = platforms.find((p) => p.fs_slug === 'gba') ?? fail('no gba platform');
        await page.goto(`/platform/${gba.id}?tab=firmware`);
        await page.getByText('Firmware / BIOS').first().waitFor({ timeout: 15_000 }).catch(() => fail('no "Firmware / BIOS" tab'));
        const shown = await page.getByText(lib.bios).first().waitFor({ timeout: 10_000 }).then(() => true, () => false);
        if (!shown) {
          const api = await apiJson<PlatformItem>(page, `/api/platforms/${gba.id}`);
          fail(`"${lib.bios}" not listed; GET /api/platforms/${gba.id} has firmware ${JSON.stringify(api.firmware ?? null)}, firmware_count ${api.firmware_count ?? 'absent'}`);
        }
        return `the gba platform's Firmware / BIOS tab lists ${lib.bios}`;
      });
    } else skip('platform firmware / BIOS list', 'not signed in', results);

    await context.close();
    if (runE2E) {
      proxyTap = new Map();
      e2e = await runRommE2E(base, server, work);
      e2e.failedApiCalls = [...proxyTap].sort((a, b) => b[1] - a[1]).map(([call, count]) => `${call} (x${count})`);
      log('\n/api calls that failed during RomM\'s suite (status method path, count):');
      for (const line of e2e.failedApiCalls) log(`     ${line}`);
    }
  } catch (err) {
    log(`ERROR ${(err as Error).stack ?? String(err)}`);
    results.push({ flow: 'harness', status: 'FAIL', reason: (err as Error).message, ms: 0, failedApiCalls: [] });
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise((r) => (front ? front.close(r) : r(undefined)));
    await server?.stop().catch(() => undefined);
    if (!keep && results.every((r) => r.status !== 'FAIL') && (!e2e || e2e.failed === 0)) rmSync(work, { recursive: true, force: true });
  }

  const summary = {
    checkout, frontendDist: dist, scratch: work,
    passed: results.filter((r) => r.status === 'PASS').length,
    failed: results.filter((r) => r.status === 'FAIL').length,
    skipped: results.filter((r) => r.status === 'SKIP').length,
    flows: results,
    failedApiCalls: rec.all,
    pageErrors: rec.pageErrors.slice(0, 20),
    ...(e2e ? { e2e } : {}),
  };
  log('\nSUMMARY');
  log(JSON.stringify(summary, null, 2));
  return summary.failed > 0 || (e2e !== null && e2e.failed > 0) ? 1 : 0;
}

// ── 4. RomM's own Playwright suite ─────────────────────────────────────────────────────────────────────────────────

interface E2EResult {
  failedApiCalls?: string[];
  passed: number;
  failed: number;
  skipped: number;
  tests: { title: string; status: string; error?: string }[];
}

/**
 * RomM's e2e suite against the proxy: its fixture users are created in romshelf (`romshelf user create`), and a
 * throw-away config beside RomM's (removed afterwards) reuses it with our Chromium and the JSON reporter.
 */
async function runRommE2E(base: string, server: RunningServer, work: string): Promise<E2EResult> {
  log('\nRomM e2e suite (frontend/e2e) against romshelf');
  const root = path.resolve(import.meta.dirname, '..');
  for (const [role, username] of [['admin', E2E_USERS.admin], ['viewer', E2E_USERS.viewer]] as const) {
    const res = spawnSync(process.execPath, [path.join(root, 'bin/romshelf'), 'user', 'create', '--username', username, '--password', E2E_PASSWORD, '--role', role], {
      cwd: root, encoding: 'utf8', env: { ...process.env, DATA_PATH: server.dataPath, LIBRARY_PATH: server.libraryPath, LOG_LEVEL: 'warn' },
    });
    if (res.status !== 0) log(`     could not create ${username}: ${res.stderr.trim() || res.stdout.trim()}`);
  }
  if (!existsSync(path.join(frontend, 'node_modules', '@playwright', 'test'))) {
    log('     @playwright/test is not installed in the checkout (npm ci in frontend/ installs it)');
    return { passed: 0, failed: 1, skipped: 0, tests: [{ title: 'setup', status: 'failed', error: '@playwright/test missing' }] };
  }
  const configFile = path.join(frontend, `.romshelf-e2e-${process.pid}.config.ts`);
  const reportFile = path.join(os.tmpdir(), `romshelf-romm-e2e-${process.pid}.json`);
  writeFileSync(configFile, [
    "import base from './playwright.config';",
    'const launchOptions = { executablePath: ' + JSON.stringify(CHROMIUM) + ', args: ' + JSON.stringify(CHROMIUM_FLAGS) + ' };',
    'export default {',
    '  ...base,',
    '  retries: 0,',
    '  outputDir: ' + JSON.stringify(path.join(work, 'e2e-results')) + ',',
    '  reporter: [["list"], ["json", { outputFile: ' + JSON.stringify(reportFile) + ' }]],',
    '  use: { ...base.use, launchOptions },',
    '  projects: (base.projects ?? []).map((p) => ({ ...p, use: { ...p.use, launchOptions } })),',
    '};',
    '',
  ].join('\n'));
  try {
    await new Promise<void>((resolve) => {
      const child = spawn('npx', ['playwright', 'test', '--config', configFile], {
        cwd: frontend, stdio: 'inherit', env: { ...process.env, E2E_BASE_URL: base, CI: '' },
      });
      child.on('exit', () => resolve());
    });
  } finally {
    rmSync(configFile, { force: true });
  }
  const tests: E2EResult['tests'] = [];
  try {
    const report = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(reportFile, 'utf8'))) as PwReport;
    const walk = (suite: PwSuite, prefix: string[]) => {
      const here = suite.title ? [...prefix, suite.title] : prefix;
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          const last = t.results?.[t.results.length - 1];
          const error = briefError(last?.error?.message);
          tests.push({ title: [...here, spec.title].join(' › '), status: last?.status ?? t.status ?? 'unknown', ...(error ? { error } : {}) });
        }
      }
      for (const child of suite.suites ?? []) walk(child, here);
    };
    for (const suite of report.suites ?? []) walk(suite, []);
  } catch (err) {
    tests.push({ title: 'report', status: 'failed', error: `no JSON report: ${(err as Error).message}` });
  } finally {
    rmSync(reportFile, { force: true });
  }
  log('\nRomM e2e per test:');
  for (const t of tests) log(`${t.status === 'passed' ? 'PASS' : t.status === 'skipped' ? 'SKIP' : 'FAIL'} ${t.title}${t.error ? `: ${t.error}` : ''}`);
  return {
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status !== 'passed' && t.status !== 'skipped').length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
    tests,
  };
}

// eslint-disable-next-line no-control-regex -- terminal colour codes in Playwright's messages
const ANSI = /\u001b\[[0-9;]*m/g;

/** Playwright's message cut to its first line plus the locator and the received value. */
function briefError(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const lines = message.replace(ANSI, '').split('\n').map((l) => l.trim()).filter(Boolean);
  const extra = lines.filter((l) => /^(Locator|Received|Expected)/.test(l) && l.length < 240);
  return [lines[0], ...extra].join('; ');
}

interface PwSuite {
  title?: string;
  specs?: { title: string; tests?: { status?: string; results?: { status?: string; error?: { message?: string } }[] }[] }[];
  suites?: PwSuite[];
}
interface PwReport { suites?: PwSuite[] }

process.exitCode = await main();
