/// <reference lib="dom" />
// Code passed to page.evaluate() runs in the browser.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumMissing, ensureWebBuilt, launchChromium, startServer, type RunningServer } from './harness.ts';
import { generateE2ELibrary, type E2ELibrary } from './library.ts';

// A browser and a server on two shared cores: give each step room when the rest of the suite runs alongside.
vi.setConfig({ testTimeout: 90_000 });

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
const eventually = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, interval: 100, ...options });

const missing = chromiumMissing();
if (missing) console.warn(`skipping web UI end-to-end tests: ${missing}`);

/**
 * The web UI in real headless Chromium against the real server (`bin/romshelf serve`) on a generated library.
 * One server and one browser for the whole file; the steps build on each other like a first day of use.
 */
describe.skipIf(missing !== null)('web UI end to end', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let lib: E2ELibrary;
  let libDir: string;
  const admin = { username: 'owner', password: 'correct horse battery' };
  const viewer = { username: 'guest', password: 'viewer password 1' };
  const url = (p: string) => `${server.baseUrl}${p}`;
  const api = async (p: string, init: RequestInit = {}) => {
    const auth = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
    const res = await fetch(url(p), { ...init, headers: { authorization: auth, 'content-type': 'application/json', ...init.headers } });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  async function login(p: Page, who: { username: string; password: string }) {
    await p.getByLabel('Username').fill(who.username);
    await p.getByLabel('Password').fill(who.password);
    await p.getByRole('button', { name: 'Log in' }).click();
  }

  beforeAll(async () => {
    ensureWebBuilt();
    libDir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-e2e-lib-'));
    lib = await generateE2ELibrary(libDir);
    [server, browser] = await Promise.all([startServer(libDir), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (libDir) await rm(libDir, { recursive: true, force: true });
  });

  it('serves the app with a strict CSP, nosniff and deep-link fallback that never shadows the API', async () => {
    const home = await fetch(url('/roms/123?x=1'));
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    const csp = home.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await home.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const bundle = /src="(\/_app\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
    const js = await fetch(url(bundle));
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(url('/_app/missing.js'))).status).toBe(404);
    const icon = await fetch(url('/favicon.svg'));
    expect(icon.headers.get('content-type')).toMatch(/image\/svg/);
    expect(icon.headers.get('x-content-type-options')).toBe('nosniff');
    const apiMiss = await fetch(url('/api/definitely-not-a-route'));
    expect(apiMiss.status).toBe(404);
    expect(await apiMiss.json()).toEqual({ detail: 'Not Found' });
    expect((await fetch(url('/openapi.json'))).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(url('/assets/romm/resources/nothing.png'))).status).toBe(404);
  });

  it('runs the first-run setup wizard, which creates the admin and logs in', async () => {
    await page.goto(url('/roms'));
    await page.waitForURL(/\/setup$/);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByLabel('Repeat password').fill(admin.password);
    await page.getByRole('button', { name: 'Create admin and log in' }).click();
    await eventually(() => page.getByTestId('current-user').textContent()).toBe(admin.username);
    // The session lives in an HttpOnly, SameSite cookie, nothing in localStorage.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'romm_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toMatch(/rmm_|romm_session|token/i);
  });

  it('starts a scan from the admin page and shows its live progress until it finishes', async () => {
    await page.goto(url('/admin'));
    await page.getByTestId('admin-tab-scan').click();
    await page.getByTestId('scan-type').selectOption('complete');
    await page.getByTestId('scan-start').click();
    await page.getByTestId('scan-progress').waitFor();
    await eventually(() => page.getByTestId('scan-status').textContent(), { timeout: 60_000 }).toBe('finished');
    expect(Number((await page.getByTestId('scan-roms').textContent())?.replace(/,/g, ''))).toBe(lib.romCount);
  });

  it('browses, searches, filters and sorts, and a reload restores the whole view', async () => {
    await page.goto(url('/'));
    await page.getByTestId('platform-tile').first().waitFor();
    expect(await page.getByTestId('platform-tile').count()).toBe(3);
    await page.getByRole('link', { name: 'ROMs', exact: true }).click();
    await page.getByTestId('rom-card').first().waitFor();
    await eventually(() => page.getByTestId('rom-total').textContent()).toBe(`${lib.romCount} ROMs`);

    await page.getByTestId('search').fill('alpha quest');
    await page.waitForURL(/q=alpha\+quest/);
    const searched = (await api('/api/roms?search_term=alpha%20quest&limit=1')).total;
    expect(searched).toBeGreaterThan(1);
    await eventually(() => page.getByTestId('rom-total').textContent()).toBe(`${searched} ROMs`);

    await page.getByTestId('filters-toggle').click();
    const platforms = await api('/api/platforms');
    const snes = platforms.find((p: { fs_slug: string }) => p.fs_slug === 'snes');
    await page.getByTestId(`filter-platforms-${snes.id}`).waitFor();
    await page.getByTestId(`filter-platforms-${snes.id}`).check();
    await page.waitForURL(new RegExp(`platforms=${snes.id}`));
    const filtered = (await api(`/api/roms?search_term=alpha%20quest&platform_ids=${snes.id}&limit=1`)).total;
    expect(filtered).toBeLessThan(searched);
    await eventually(() => page.getByTestId('rom-total').textContent()).toBe(`${filtered} ROMs`);

    await page.getByTestId('search').fill('');
    await page.waitForURL((u) => !u.search.includes('q='));
    await page.getByTestId('sort').selectOption('fs_size_bytes');
    await page.getByTestId('sort-dir').click();
    await page.waitForURL(/sort=fs_size_bytes.*dir=desc/);
    const expected = (await api(`/api/roms?platform_ids=${snes.id}&order_by=fs_size_bytes&order_dir=desc&limit=1`)).items[0].id;
    await eventually(() => page.getByTestId('rom-card').first().getAttribute('data-rom-id')).toBe(String(expected));

    const before = page.url();
    await page.reload();
    await page.getByTestId('rom-card').first().waitFor();
    expect(page.url()).toBe(before);
    expect(await page.getByTestId('sort').inputValue()).toBe('fs_size_bytes');
    expect(await page.getByTestId('rom-card').first().getAttribute('data-rom-id')).toBe(String(expected));
    await page.getByTestId('filters-toggle').click();
    expect(await page.getByTestId(`filter-platforms-${snes.id}`).isChecked()).toBe(true);
    const snesTotal = (await api(`/api/roms?platform_ids=${snes.id}&limit=1`)).total;
    await eventually(() => page.getByTestId('rom-total').textContent()).toBe(`${snesTotal} ROMs`);
  });

  it('keeps the scroll position in the URL, through a reload and back from a ROM page', async () => {
    await page.goto(url('/roms?view=list'));
    await page.getByTestId('rom-card').first().waitFor();
    await page.getByTestId('gallery-scroller').evaluate((el) => el.scrollTo(0, 48 * 60));
    await page.waitForURL(/at=\d+/);
    const at = Number(new URL(page.url()).searchParams.get('at'));
    expect(at).toBeGreaterThanOrEqual(55);
    const topCard = async () => page.getByTestId('gallery-scroller').evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      const cards = [...el.querySelectorAll<HTMLElement>('[data-testid="rom-card"]')];
      return cards.find((c) => c.getBoundingClientRect().bottom > top + 20)?.dataset.romId ?? '';
    });
    const before = await topCard();
    await page.reload();
    await page.getByTestId('rom-card').first().waitFor();
    await eventually(topCard).toBe(before);
    await page.locator(`[data-rom-id="${before}"] a`).first().click();
    await page.getByTestId('rom-title').waitFor();
    await page.goBack();
    await eventually(topCard).toBe(before);
  });

  it('shows a ROM with its hashes and downloads bytes equal to the file on disk', async () => {
    const found = await api(`/api/roms?search_term=${encodeURIComponent('Alpha Quest (USA)')}&limit=5`);
    const rom = found.items.find((r: { fs_name: string }) => r.fs_name === lib.sample.fsName);
    await page.goto(url(`/roms/${rom.id}`));
    await eventually(() => page.getByTestId('rom-fs-name').textContent()).toBe(lib.sample.fsName);
    const detail = await api(`/api/roms/${rom.id}`);
    expect(await page.getByTestId('hash-SHA-1').first().textContent()).toBe(detail.files[0].sha1_hash);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rom').click()]);
    const saved = await readFile((await download.path()) ?? '');
    expect(saved.equals(await readFile(lib.sample.path))).toBe(true);
  });

  it('applies an uploaded patch from the ROM page and reports that it validated', async () => {
    const found = await api(`/api/roms?search_term=${encodeURIComponent('Patchable Game')}&limit=5`);
    await page.goto(url(`/roms/${found.items[0].id}`));
    await page.getByTestId('tab-patch').click();
    await page.getByTestId('patch-source-upload').check();
    await page.getByTestId('patch-upload').setInputFiles(lib.patchable.patchPath);
    await page.getByTestId('patch-apply').click();
    await page.getByTestId('patch-result').waitFor();
    expect(await page.getByTestId('patch-validated').textContent()).toContain('validated');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('patch-download').click()]);
    expect(download.suggestedFilename()).toBe('Patchable Game (USA) (patched-Patchable Game Translation).sfc');
    expect((await readFile((await download.path()) ?? '')).equals(lib.patchable.expected)).toBe(true);
  });

  it('creates a collection, adds ROMs from the gallery and removes one again', async () => {
    await page.goto(url('/collections'));
    await page.getByTestId('new-collection').click();
    await page.getByTestId('collection-name').fill('Weekend <b>picks</b>');
    await page.getByTestId('collection-save').click();
    await page.getByTestId('collection-card').filter({ hasText: 'Weekend <b>picks</b>' }).waitFor();

    await page.goto(url('/roms?q=quest'));
    await page.getByTestId('rom-card').first().waitFor();
    const cards = page.getByTestId('rom-card');
    await cards.nth(0).hover();
    await cards.nth(0).getByRole('checkbox').click();
    await cards.nth(1).getByRole('checkbox').click();
    expect(await page.getByTestId('selection-count').textContent()).toBe('2 selected');
    const mine = (await api('/api/collections')).find((c: { name: string }) => c.name === 'Weekend <b>picks</b>');
    await page.getByTestId('add-to-collection-select').selectOption(String(mine.id));
    await page.getByTestId('add-to-collection').click();
    await eventually(async () => (await api(`/api/collections/${mine.id}`)).rom_count).toBe(2);

    await page.goto(url(`/collections/${mine.id}`));
    await eventually(() => page.getByTestId('rom-total').textContent()).toBe('2 ROMs');
    await page.getByTestId('rom-card').first().getByRole('checkbox').click();
    await page.getByTestId('remove-from-collection').click();
    await eventually(() => page.getByTestId('rom-total').textContent()).toBe('1 ROMs');
    expect((await api(`/api/collections/${mine.id}`)).rom_count).toBe(1);
  });

  it('shows a ROM whose file name is an HTML payload as text, and the payload never runs', async () => {
    await page.goto(url(`/roms?q=${encodeURIComponent('onerror')}`));
    await page.getByTestId('rom-card').first().waitFor();
    await eventually(() => page.getByTestId('rom-card').first().textContent()).toContain('<img src=x onerror=window.__xss=1>');
    await page.getByTestId('rom-card').first().locator('a').first().click();
    await eventually(() => page.getByTestId('rom-fs-name').textContent()).toBe(lib.xssName);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('creates an API token for a handheld, shown once, and revokes it', async () => {
    await page.goto(url('/admin'));
    await page.getByTestId('admin-tab-tokens').click();
    await page.getByTestId('token-name').fill('Retro handheld');
    await page.getByTestId('token-create').click();
    const raw = (await page.getByTestId('token-value').textContent()) ?? '';
    expect(raw).toMatch(/^rmm_[0-9a-f]{64}$/);
    // The token works for the API on its own.
    const me = await fetch(url('/api/users/me'), { headers: { authorization: `Bearer ${raw}` } });
    expect((await me.json()).username).toBe(admin.username);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke Retro handheld' }).click();
    await eventually(async () => (await fetch(url('/api/users/me'), { headers: { authorization: `Bearer ${raw}` } })).status).toBe(401);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('token-value').count()).toBe(0);
  });

  it('logs out, sends an anonymous visitor to the login page and back to where they were', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(url('/stats'));
    await page.waitForURL(/\/login\?next=%2Fstats/);
    await login(page, admin);
    await page.waitForURL(/\/stats$/);
    await eventually(() => page.getByTestId('stat-ROMs').textContent()).toBe(String(lib.romCount));
  });

  it('shows a viewer no edit or delete controls', async () => {
    await page.goto(url('/admin'));
    await page.getByTestId('admin-tab-users').click();
    await page.getByTestId('new-username').fill(viewer.username);
    await page.getByTestId('new-password').fill(viewer.password);
    await page.getByTestId('new-role').selectOption('viewer');
    await page.getByTestId('create-user').click();
    await page.getByTestId(`user-row-${viewer.username}`).waitFor();

    const guest = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await guest.newPage();
    await p.goto(url('/roms'));
    await p.waitForURL(/\/login/);
    await login(p, viewer);
    await p.getByTestId('rom-card').first().waitFor();
    await p.getByTestId('rom-card').first().getByRole('checkbox').click();
    await p.getByTestId('selection-count').waitFor();
    expect(await p.getByTestId('delete-selection').count()).toBe(0);
    await p.getByTestId('rom-card').first().locator('a').first().click();
    await p.getByTestId('rom-title').waitFor();
    expect(await p.getByTestId('tab-edit').count()).toBe(0);
    await p.goto(url('/admin'));
    await p.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await p.getByTestId('admin-tab-users').count()).toBe(0);
    expect(await p.getByTestId('admin-tab-scan').count()).toBe(0);
    // The server enforces it too.
    const del = await p.evaluate(async () => (await fetch('/api/roms/delete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"roms":[1]}' })).status);
    expect(del).toBe(403);
    await guest.close();
  });
});
