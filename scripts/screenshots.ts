import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { chromiumMissing, ensureWebBuilt, launchChromium, ROOT, startServer } from '../tests/e2e/harness.ts';
import { generateE2ELibrary } from '../tests/e2e/library.ts';

/**
 * `npm run screenshots`: the web UI on a generated library at phone (390x844) and desktop (1440x900) sizes,
 * written to docs/screenshots/ for the README.
 */
const OUT = path.join(ROOT, 'docs/screenshots');
const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(2);
}

const admin = { username: 'admin', password: 'screenshot-password' };
const auth = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;

/** A simple generated box-art image, so the gallery shows real covers next to generated placeholders. */
async function coverPng(title: string, hue: number): Promise<Buffer> {
  const safe = title.replace(/[<>&"]/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="480">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,20%)"/></linearGradient></defs>
    <rect width="360" height="480" fill="url(#g)"/><circle cx="270" cy="120" r="70" fill="rgba(255,255,255,.18)"/>
    <rect x="24" y="330" width="312" height="120" rx="12" fill="rgba(0,0,0,.35)"/>
    <text x="40" y="385" font-family="DejaVu Sans, sans-serif" font-size="30" font-weight="bold" fill="#fff">${safe}</text>
    <text x="40" y="425" font-family="DejaVu Sans, sans-serif" font-size="18" fill="#ddd">romshelf demo</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function api(base: string, p: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${base}${p}`, { ...init, headers: { authorization: auth, ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

ensureWebBuilt();
await mkdir(OUT, { recursive: true });
const libDir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-shots-'));
await generateE2ELibrary(libDir, 60, { hostile: false });
const server = await startServer(libDir);
const browser = await launchChromium();
try {
  const base = server.baseUrl;
  const hb = await fetch(`${base}/api/heartbeat`);
  const csrf = /romm_csrftoken=([^;]+)/.exec(hb.headers.get('set-cookie') ?? '')?.[1] ?? '';
  await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `romm_csrftoken=${csrf}`, 'x-csrftoken': csrf },
    body: JSON.stringify({ ...admin, role: 'admin' }),
  });
  await api(base, '/api/tasks/run/scan_library', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'complete' }) });
  for (let i = 0; i < 120; i++) {
    const s = (await api(base, '/api/tasks/scan_library/status')) as { status: string };
    if (s.status !== 'started') break;
    await new Promise((r) => setTimeout(r, 500));
  }

  const page1 = (await api(base, '/api/roms?limit=40&order_by=name')) as { items: Array<{ id: number; name: string }> };
  const covered = page1.items.filter((_, i) => i % 3 !== 2).slice(0, 24);
  for (const [i, rom] of covered.entries()) {
    const form = new FormData();
    form.set('artwork', new Blob([await coverPng(rom.name, (i * 47) % 360)], { type: 'image/png' }), 'cover.png');
    await api(base, `/api/roms/${rom.id}`, { method: 'PUT', body: form });
  }
  for (const [name, ids] of [['Couch co-op', covered.slice(0, 6)], ['Weekend RPGs', covered.slice(6, 11)], ['Speedrun practice', covered.slice(11, 15)]] as const) {
    const form = new FormData();
    form.set('name', name);
    form.set('description', '');
    const c = (await api(base, '/api/collections?is_public=true', { method: 'POST', body: form })) as { id: number };
    await api(base, `/api/collections/${c.id}/roms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rom_ids: ids.map((r) => r.id) }) });
  }
  const detailId = covered[1]?.id ?? 1;

  for (const [label, viewport] of [['mobile', { width: 390, height: 844 }], ['desktop', { width: 1440, height: 900 }]] as const) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'dark' });
    await context.request.post(`${base}/api/login`, { headers: { authorization: auth } });
    const page = await context.newPage();
    const shots: Array<[string, string, string]> = [
      ['home', '/', '[data-testid="platform-tile"]'],
      ['gallery', '/roms', '[data-testid="rom-card"]'],
      ['rom-detail', `/roms/${detailId}`, '[data-testid="rom-files"]'],
      ['collections', '/collections', '[data-testid="collection-card"]'],
    ];
    for (const [name, url, ready] of shots) {
      await page.goto(`${base}${url}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const file = path.join(OUT, `${name}-${label}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  await rm(libDir, { recursive: true, force: true });
}
