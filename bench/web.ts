/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Code passed to page.evaluate() runs in the browser.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { hashPassword } from '../src/auth/passwords.ts';
import { openDatabase } from '../src/db/engine.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { chromiumMissing, ensureWebBuilt, launchChromium, ROOT, startServer } from '../tests/e2e/harness.ts';
import { buildLibrary } from './lib/api-data.ts';

/**
 * `npm run bench:web [-- --roms N --runs R]`: the web UI on an N-ROM library (default 100k) in headless Chromium.
 * Prints JSON: time to the first ROM card, time until cards show after jumping to the middle and the end,
 * the DOM size while scrolling, and the initial JavaScript size gzipped.
 */
const { values } = parseArgs({ options: { roms: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
const n = Number(values.roms);
const runs = Number(values.runs);
const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (x: number) => Math.round(x * 10) / 10;

/** Gzipped size of the JavaScript index.html loads before anything else. */
function initialJs(): { files: string[]; bytes: number; gzip_bytes: number } {
  const dist = path.join(ROOT, 'web/dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  let bytes = 0;
  let gz = 0;
  for (const f of files) {
    const body = readFileSync(path.join(dist, f));
    bytes += body.length;
    gz += gzipSync(body).length;
  }
  return { files, bytes, gzip_bytes: gz };
}

/** In the page: scroll the gallery to a fraction of its height, then time until the visible rows hold real cards. */
async function jump(page: Page, fraction: number): Promise<{ ms: number; dom: number }> {
  return page.evaluate(async (f) => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="gallery-scroller"]');
    if (!scroller) throw new Error('no gallery');
    const start = performance.now();
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * f;
    scroller.dispatchEvent(new Event('scroll'));
    const box = scroller.getBoundingClientRect();
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      const inView = [...scroller.querySelectorAll<HTMLElement>('[data-testid="rom-card"], .skeleton')].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      });
      if (inView.length > 0 && inView.every((el) => el.dataset.testid === 'rom-card')) break;
      if (performance.now() - start > 20_000) throw new Error('cards never showed');
    }
    return { ms: performance.now() - start, dom: document.getElementsByTagName('*').length };
  }, fraction);
}

ensureWebBuilt();
const dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-bench-web-'));
const dataPath = path.join(dir, 'data');
const libraryPath = path.join(dir, 'library');
await mkdir(dataPath, { recursive: true });
await mkdir(libraryPath, { recursive: true });

const buildStart = performance.now();
const db = await openDatabase({ engine: 'sqlite', location: path.join(dataPath, 'romshelf.db') });
await migrateToLatest(db);
const lib = await db.kysely.transaction().execute((trx) => buildLibrary(trx, n, 400));
await db.kysely.updateTable('users').set({ hashed_password: await hashPassword('bench-password', 4) }).where('id', '=', lib.userId).execute();
await db.destroy();
const buildSeconds = (performance.now() - buildStart) / 1000;

const server = await startServer(libraryPath, {}, dataPath);
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const login = await context.request.post(`${server.baseUrl}/api/login`, {
    headers: { authorization: `Basic ${Buffer.from('bench:bench-password').toString('base64')}` },
  });
  if (!login.ok()) throw new Error(`login failed: ${login.status()}`);

  const firstCard: number[] = [];
  const middle: number[] = [];
  const end: number[] = [];
  let maxDom = 0;
  let total = '';
  for (let run = 0; run < runs; run++) {
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${server.baseUrl}/roms`, { waitUntil: 'commit' });
    await page.getByTestId('rom-card').first().waitFor({ timeout: 30_000 });
    firstCard.push(performance.now() - t0);
    if (process.env.BENCH_WEB_DEBUG) {
      const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => `${Math.round(e.startTime)}+${Math.round(e.duration)} ${e.name.replace(location.origin, '').slice(0, 120)}`));
      console.error(entries.filter((e) => !e.includes('/assets/romm')).join('\n'));
    }
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="rom-total"]')?.textContent ?? ''));
    total = (await page.getByTestId('rom-total').textContent()) ?? '';
    // A jump is a user action on a loaded page: let the alphabet and filter sidecars (fetched after the first
    // page) finish first, as they would while the user looks at the first screen.
    await page.waitForLoadState('networkidle');
    const mark = await page.evaluate(() => performance.now());
    const mid = await jump(page, 0.5);
    if (process.env.BENCH_WEB_DEBUG) {
      const entries = await page.evaluate((m) => performance.getEntriesByType('resource').filter((e) => e.startTime >= m).map((e) => `${Math.round(e.startTime - m)}+${Math.round(e.duration)} ${e.name.replace(location.origin, '').slice(0, 90)}`), mark);
      console.error(`jump ${Math.round(mid.ms)} ms\n${entries.join('\n')}`);
    }
    const last = await jump(page, 1);
    middle.push(mid.ms);
    end.push(last.ms);
    // Scroll through a stretch of the gallery and keep the largest DOM seen.
    for (const f of [0.1, 0.25, 0.5, 0.75, 0.9, 1, 0]) maxDom = Math.max(maxDom, (await jump(page, f)).dom);
    maxDom = Math.max(maxDom, mid.dom, last.dom);
    await page.close();
  }
  const js = initialJs();
  const result = {
    benchmark: 'web',
    roms: lib.roms,
    platforms: lib.platforms,
    library_source: lib.source,
    gallery_total_shown: total,
    runs,
    viewport: '1440x900',
    first_card_ms: { median: round(median(firstCard)), first_run: round(firstCard[0] ?? 0), all: firstCard.map(round) },
    jump_middle_ms: { median: round(median(middle)), all: middle.map(round) },
    jump_end_ms: { median: round(median(end)), all: end.map(round) },
    max_dom_elements: maxDom,
    initial_js: { files: js.files, bytes: js.bytes, gzip_bytes: js.gzip_bytes, gzip_kb: round(js.gzip_bytes / 1024) },
    targets: {
      first_card_under_1000ms: median(firstCard) < 1000,
      jump_under_500ms: median(middle) < 500 && median(end) < 500,
      dom_under_2000: maxDom < 2000,
      initial_js_under_200kb_gzip: js.gzip_bytes < 200 * 1024,
    },
    library_build_seconds: round(buildSeconds),
    node: process.version,
    cpus: os.cpus().length,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
