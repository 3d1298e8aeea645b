import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumMissing, ensureWebBuilt, launchChromium, startInProcessServer, type InProcessServer } from './harness.ts';

vi.setConfig({ testTimeout: 90_000 });
const eventually = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 15_000, interval: 100, ...options });

const missing = chromiumMissing();
if (missing) console.warn(`skipping Saves tab end-to-end test: ${missing}`);

/** The ROM page's Saves tab, play time and the Devices settings tab in headless Chromium, fed through the API. */
describe.skipIf(missing !== null)('Saves tab and devices end to end', () => {
  let server: InProcessServer;
  let browser: Browser;
  let page: Page;
  let libDir: string;
  let romId: number;
  let deviceId: string;
  const pageErrors: string[] = [];
  const admin = { username: 'owner', password: 'correct horse battery' };
  const url = (p: string) => `${server.baseUrl}${p}`;
  const auth = () => `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
  async function api<T>(p: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(url(p), { ...init, headers: { authorization: auth(), ...init.headers } });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  async function uploadSave(content: string, query: string): Promise<{ id: number; file_name: string }> {
    const form = new FormData();
    form.append('saveFile', new Blob([content]), 'Zelda.srm');
    return api(`/api/saves?rom_id=${romId}&emulator=snes9x${query}`, { method: 'POST', body: form });
  }
  async function download(href: string): Promise<string> {
    const res = await fetch(url(href), { headers: { authorization: auth() } });
    expect(res.status).toBe(200);
    return res.text();
  }

  beforeAll(async () => {
    ensureWebBuilt();
    libDir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-e2e-saves-'));
    await mkdir(path.join(libDir, 'roms', 'snes'), { recursive: true });
    await writeFile(path.join(libDir, 'roms', 'snes', 'Zelda (USA).sfc'), 'rom bytes');
    [server, browser] = await Promise.all([startInProcessServer(libDir), launchChromium()]);
    await server.services.users.createFromCli({ ...admin, role: 'admin' });
    await server.services.scans.startWhenFree({ type: 'quick' });
    await server.services.scans.done();
    const roms = await api<{ items: { id: number }[] }>('/api/roms?limit=5');
    romId = roms.items[0]?.id ?? 0;
    expect(romId).toBeGreaterThan(0);
    ({ device_id: deviceId } = await api<{ device_id: string }>('/api/devices', json({ name: 'Retroid Pocket', platform: 'android', client: 'argosy' })));
    page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (libDir) await rm(libDir, { recursive: true, force: true });
  });

  it('lists an uploaded save, shows its previous version after an overwrite and restores it', async () => {
    const save = await uploadSave('first content', `&device_id=${deviceId}`);
    await api('/api/play-sessions', json({
      device_id: deviceId,
      sessions: [
        { rom_id: romId, start_time: '2026-01-02T10:00:00Z', end_time: '2026-01-02T11:30:00Z', duration_ms: 90 * 60_000 },
        { rom_id: romId, start_time: '2026-01-03T10:00:00Z', end_time: '2026-01-03T10:15:00Z', duration_ms: 15 * 60_000 },
      ],
    }));

    await page.goto(url(`/roms/${romId}`));
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await eventually(() => page.getByTestId('rom-title').textContent()).toBe('Zelda');
    await eventually(() => page.getByTestId('rom-playtime-total').textContent()).toBe('1 h 45 min');
    expect(await page.getByTestId('rom-playtime-last').textContent()).toBe('2026-01-03 10:15 UTC');

    await page.getByTestId('tab-saves').click();
    const item = page.getByTestId('rom-saves').getByTestId('asset-item');
    await eventually(() => item.count()).toBe(1);
    expect(await item.getByTestId('asset-name').textContent()).toBe(save.file_name);
    expect(await item.getByTestId('asset-size').textContent()).toBe('13 B');
    expect(await item.getByTestId('asset-updated').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await eventually(() => item.getByTestId('asset-device').textContent()).toBe('Retroid Pocket');
    expect(await item.textContent()).toContain('snes9x');
    expect(await page.getByTestId('rom-states').textContent()).toContain('No states yet.');
    const href = (await item.getByTestId('asset-download').getAttribute('href')) ?? '';
    expect(await download(href)).toBe('first content');
    // Phone-sized: the entry fits the screen.
    const box = await item.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 1000)).toBeLessThanOrEqual(390);

    await item.getByTestId('asset-versions-toggle').click();
    await eventually(() => item.getByTestId('asset-versions').textContent()).toContain('No previous versions.');

    // Overwritten through the API (as a handheld would): reloading the page shows the earlier content as a version.
    await uploadSave('second, longer content', '&overwrite=true');
    await page.reload();
    await page.getByTestId('tab-saves').click();
    await eventually(() => item.getByTestId('asset-size').textContent()).toBe('22 B');
    await item.getByTestId('asset-versions-toggle').click();
    const version = item.getByTestId('asset-version');
    await eventually(() => version.count()).toBe(1);
    expect(await version.textContent()).toContain('13 B');
    expect(await version.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC.*replaced by an upload \d{4}-\d\d-\d\d \d\d:\d\d UTC/s);
    expect(await download((await version.getByRole('link', { name: /Download/ }).getAttribute('href')) ?? '')).toBe('first content');

    page.once('dialog', (d) => void d.accept());
    await version.getByTestId('asset-version-restore').click();
    await eventually(() => item.getByTestId('asset-size').textContent()).toBe('13 B');
    expect(await download(href)).toBe('first content');
    // The replaced content is kept in turn.
    await item.getByTestId('asset-versions-toggle').click();
    await item.getByTestId('asset-versions-toggle').click();
    await eventually(() => item.getByTestId('asset-version').first().textContent()).toContain('22 B');
    expect(pageErrors).toEqual([]);
  });

  it('uploads a state through the form', async () => {
    await page.getByTestId('asset-upload-kind').selectOption('states');
    await page.getByTestId('asset-upload-emulator').fill('retroarch');
    await page.getByTestId('asset-upload-file').setInputFiles({ name: 'Zelda.state1', mimeType: 'application/octet-stream', buffer: Buffer.from('state bytes') });
    await page.getByTestId('asset-upload').getByRole('button', { name: 'Upload' }).click();
    const state = page.getByTestId('rom-states').getByTestId('asset-item');
    await eventually(() => state.count()).toBe(1);
    expect(await state.getByTestId('asset-name').textContent()).toBe('Zelda.state1');
    expect(await state.textContent()).toContain('retroarch');
    const [stored] = await api<{ id: number; emulator: string }[]>(`/api/states?rom_id=${romId}`);
    expect(stored?.emulator).toBe('retroarch');
    expect(await download(`/api/states/${stored?.id}/content`)).toBe('state bytes');
  });

  it('deletes a save after confirming', async () => {
    const item = page.getByTestId('rom-saves').getByTestId('asset-item');
    page.once('dialog', (d) => void d.dismiss());
    await item.getByTestId('asset-delete').click();
    expect(await item.count()).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await item.getByTestId('asset-delete').click();
    await eventually(() => item.count()).toBe(0);
    expect(await api<unknown[]>(`/api/saves?rom_id=${romId}`)).toEqual([]);
  });

  it('lists, renames and removes devices in the settings', async () => {
    await page.goto(url('/admin'));
    await page.getByTestId('admin-tab-devices').click();
    const row = page.getByTestId('device-row');
    await eventually(() => row.count()).toBe(1);
    expect(await row.getByTestId('device-name').textContent()).toBe('Retroid Pocket');
    expect(await row.textContent()).toContain('argosy');
    expect(await row.textContent()).toContain('android');

    await row.getByTestId('device-rename').click();
    await row.getByLabel('New name').fill('Handheld');
    await row.getByTestId('device-rename-save').click();
    await eventually(() => row.getByTestId('device-name').textContent()).toBe('Handheld');
    expect((await api<{ name: string }>(`/api/devices/${deviceId}`)).name).toBe('Handheld');

    page.once('dialog', (d) => void d.accept());
    await row.getByTestId('device-delete').click();
    await eventually(() => row.count()).toBe(0);
    expect(await api<unknown[]>('/api/devices')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
