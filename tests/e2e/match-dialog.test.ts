import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeSearchProvider, type FakeGame } from '../helpers/fake-metadata-provider.ts';
import { chromiumMissing, ensureWebBuilt, launchChromium, startInProcessServer, type InProcessServer } from './harness.ts';

vi.setConfig({ testTimeout: 90_000 });
const eventually = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, interval: 100, ...options });

const missing = chromiumMissing();
if (missing) console.warn(`skipping Match dialog end-to-end test: ${missing}`);

/** The Match dialog in headless Chromium, against a server whose only searchable provider is a fake IGDB. */
describe.skipIf(missing !== null)('Match dialog end to end', () => {
  let server: InProcessServer;
  let browser: Browser;
  let page: Page;
  let libDir: string;
  let romId: number;
  const admin = { username: 'owner', password: 'correct horse battery' };
  // Covers on this origin: the page may load them (the real ones are HTTPS on the providers' hosts).
  const games: FakeGame[] = [
    { id: 1070, name: 'Super Mario World', summary: 'Mario and Yoshi in Dinosaur Land.', cover: '/favicon.svg', genres: ['Platform'] },
    { id: 1071, name: "Super Mario World 2: Yoshi's Island", summary: 'Baby Mario rides Yoshi.', cover: '/favicon.svg' },
  ];
  const igdb = new FakeSearchProvider('igdb', games);
  const url = (p: string) => `${server.baseUrl}${p}`;

  beforeAll(async () => {
    ensureWebBuilt();
    libDir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-e2e-match-'));
    await mkdir(path.join(libDir, 'roms', 'snes'), { recursive: true });
    // A file name no provider matches on its own: the user has to match it.
    await writeFile(path.join(libDir, 'roms', 'snes', 'SMW (USA).sfc'), 'rom bytes');
    [server, browser] = await Promise.all([startInProcessServer(libDir, { extraMetadataProviders: [igdb] }), launchChromium()]);
    await server.services.users.createFromCli({ ...admin, role: 'admin' });
    await server.services.scans.startWhenFree({ type: 'quick' });
    await server.services.scans.done();
    const res = await fetch(url('/api/roms?limit=5'), { headers: { authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` } });
    const body = (await res.json()) as { items: { id: number; name: string }[] };
    expect(body.items.map((r) => r.name)).toEqual(['SMW']);
    romId = body.items[0]?.id ?? 0;
    page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (libDir) await rm(libDir, { recursive: true, force: true });
  });

  it('searches, shows candidates with cover and provider badges, applies one and reloads the ROM', async () => {
    await page.goto(url(`/roms/${romId}`));
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await eventually(() => page.getByTestId('rom-title').textContent()).toBe('SMW');

    await page.getByTestId('match-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The first search uses the file name without tags, which finds nothing.
    await eventually(() => page.getByTestId('match-term').inputValue()).toBe('SMW');
    await page.getByTestId('match-empty').waitFor();
    expect(igdb.searches.at(-1)).toMatchObject({ term: 'SMW', by: 'name' });

    await page.getByTestId('match-term').fill('super mario');
    await page.getByTestId('match-term').press('Enter');
    await eventually(() => page.getByTestId('match-result').count()).toBe(2);
    const first = page.getByTestId('match-result').first();
    expect(await first.getByTestId('match-badge').allTextContents()).toEqual(['IGDB 1070']);
    expect(await first.textContent()).toContain('Mario and Yoshi in Dinosaur Land.');
    const cover = first.locator('img');
    expect(await cover.getAttribute('src')).toBe(url('/favicon.svg'));
    await eventually(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // Phone-sized: the candidates fit the screen.
    const box = await first.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 1000)).toBeLessThanOrEqual(390);

    // By id.
    await page.getByTestId('match-by').selectOption('id');
    await page.getByTestId('match-term').fill('1071');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await eventually(() => page.getByTestId('match-result').allTextContents()).toEqual([expect.stringContaining("Yoshi's Island")]);

    await page.getByTestId('match-by').selectOption('name');
    await page.getByTestId('match-term').fill('super mario');
    await page.getByTestId('match-term').press('Enter');
    await eventually(() => page.getByTestId('match-result').count()).toBe(2);
    await page.getByTestId('match-result').first().click();
    await eventually(() => dialog.isVisible()).toBe(false);
    await eventually(() => page.getByTestId('rom-title').textContent()).toBe('Super Mario World');
    expect(await page.getByTestId('rom-summary').textContent()).toBe('Mario and Yoshi in Dinosaur Land.');
    expect(igdb.lookups.at(-1)).toMatchObject({ id: romId, ids: { igdb_id: 1070 } });
  });

  it('closes with Escape and gives focus back to the page', async () => {
    await page.getByTestId('match-open').click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByRole('dialog').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('match-open');
  });
});
